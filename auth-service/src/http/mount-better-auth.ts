import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { toNodeHandler } from 'better-auth/node';
import { HttpProblem, problemTypes } from '@twenny/http-kit';
import type { Auth } from '../auth/create-auth.ts';
import { clientAddress } from './client-address.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

/**
 * Better-Auth's own 429 names its wait only in X-Retry-After and answers plain
 * JSON: give it the standard Retry-After and a problem body like every other error.
 */
async function handleWithProblems(auth: Auth, request: Request | globalThis.Request): Promise<globalThis.Response> {
  const response = await auth.handler(request as globalThis.Request);
  if (response.status !== 429) return response;
  const seconds = Math.max(1, Number(response.headers.get('x-retry-after')) || 60);
  const headers = new Headers(response.headers);
  headers.set('retry-after', String(seconds));
  headers.set('content-type', 'application/problem+json');
  const body = { type: problemTypes.rateLimited, title: 'Too many requests', status: 429, detail: `Too many requests from this address; try again in ${seconds} s.`, retryAfter: seconds };
  return new Response(JSON.stringify(body), { status: 429, headers });
}

function asyncRoute(route: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction) => {
    route(req, res).catch(next);
  };
}

/**
 * Better-Auth under /api/auth. It reads its own bodies (these routes come before
 * the JSON parser), except sign-in, which is parsed here first so failed
 * attempts can be counted per account; better-call hands the parsed body on.
 */
export function mountBetterAuth(app: Express, deps: { auth: Auth; throttle: SignInThrottle }) {
  const { auth, throttle } = deps;
  const betterAuth = toNodeHandler((request: globalThis.Request) => handleWithProblems(auth, request));

  app.use('/api/auth', clientAddress());
  app.post(
    '/api/auth/sign-in/email',
    (req, _res, next) => {
      // Count every attempt: a body the throttle could not read would dodge it.
      if (!req.is(['application/json', 'application/x-www-form-urlencoded'])) {
        return next(new HttpProblem({ type: problemTypes.unsupportedMediaType, title: 'Unsupported media type', status: 415, detail: 'Send the sign-in as application/json.' }));
      }
      next();
    },
    express.json({ limit: '16kb' }),
    express.urlencoded({ limit: '16kb', extended: false }),
    asyncRoute(async (req, res) => {
      const email = typeof req.body?.email === 'string' ? req.body.email : '';
      const address = req.ip ?? 'unknown';
      const wait = await throttle.begin(email, address);
      if (wait !== undefined) throw HttpProblem.tooManyRequests(`Too many failed sign-ins; try again in ${wait} s.`, wait);
      let settled = false;
      try {
        await toNodeHandler(async (request: globalThis.Request) => {
          const response = await handleWithProblems(auth, request);
          settled = true;
          await throttle.end(email, address, response.status === 401 ? 'wrong-password' : response.ok ? 'succeeded' : 'other');
          return response;
        })(req, res);
      } finally {
        // Never answered (an error on the way): not a wrong password.
        if (!settled) await throttle.end(email, address, 'other');
      }
    }),
  );
  app.all('/api/auth/*splat', asyncRoute((req, res) => betterAuth(req, res)));
}
