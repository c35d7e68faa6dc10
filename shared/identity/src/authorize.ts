import type { RequestHandler } from 'express';
import { HttpProblem, problemTypes } from '@twenny/http-kit';
import { bearerToken, unauthorized } from './bearer.ts';
import type { Identity } from './claims.ts';
import { InvalidTokenError, type IdentityVerifier } from './verifier.ts';

/**
 * Who may call a route. Every route declares one; resource ownership (member of
 * the organisation that owns this event) is decided by the use case on top.
 */
export const routePolicies = ['public', 'signed-in', 'platform-admin'] as const;
export type RoutePolicy = (typeof routePolicies)[number];

declare global {
  namespace Express {
    interface Request {
      /** The verified caller; set when a valid bearer token came with the request. */
      identity?: Identity;
    }
  }
}


/**
 * Verifies the caller's bearer token and applies the route's policy. Identity
 * comes only from a token this service verified itself: no header such as
 * X-User-Id is ever read. A present but invalid token is refused even on public
 * routes, so a client learns its token is bad instead of being served as anonymous.
 */
export function authorize(verifier: IdentityVerifier, policy: RoutePolicy): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (header === undefined) {
      if (policy === 'public') return next();
      return next(unauthorized('Sign in, or send a bearer token.'));
    }
    const token = bearerToken(header);
    if (!token) return next(unauthorized('The Authorization header must be "Bearer <token>".', 'invalid_request'));
    try {
      req.identity = await verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) return next(unauthorized(error.message, 'invalid_token'));
      req.log.warn({ err: error }, 'identity key set unavailable');
      return next(
        new HttpProblem(
          { type: problemTypes.unavailable, title: 'Service unavailable', status: 503, detail: 'Identity cannot be checked right now; try again shortly.' },
          { 'retry-after': '5' },
        ),
      );
    }
    if (policy === 'platform-admin' && req.identity.role !== 'admin') {
      return next(HttpProblem.forbidden('Only platform administrators may do this.'));
    }
    next();
  };
}
