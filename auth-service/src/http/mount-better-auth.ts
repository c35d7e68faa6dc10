import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { toNodeHandler } from 'better-auth/node';
import { HttpProblem, problemTypes } from '@twenny/http-kit';
import type { Auth } from '../auth/create-auth.ts';
import { withProblemBodies } from './better-auth-problems.ts';
import { clientAddress } from './client-address.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

async function handleWithProblems(auth: Auth, request: Request | globalThis.Request): Promise<globalThis.Response> {
  return withProblemBodies(await auth.handler(request as globalThis.Request));
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
