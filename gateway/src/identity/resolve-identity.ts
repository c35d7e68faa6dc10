import type { Request } from 'express';
import { LRUCache } from 'lru-cache';
import { bearerToken as parseBearer, InvalidTokenError, type Identity, type IdentityVerifier } from '@twenny/identity';
import type { RouteEntry } from '../routes/route-table.ts';
import { identityUnavailable, unauthorized } from '../http/problems.ts';
import { cacheKey } from './cache-key.ts';
import { findSessionCookie } from './session-cookie.ts';
import type { SessionExchange } from './session-exchange.ts';

/** `known()` could not tell without asking auth-service or checking a signature. */
export const needsLookup = Symbol('needs lookup');

export interface IdentityResolver {
  /**
   * What `resolve()` would give, from memory alone, synchronously: the caller,
   * undefined for anonymous, or `needsLookup`. Throws the same 401s.
   */
  known(req: Request, entry: RouteEntry): Identity | undefined | typeof needsLookup;
  /**
   * The caller of `req` for this route: from a bearer token (used as is) or else
   * from the session cookie (exchanged at auth-service). Undefined for an
   * anonymous caller, and on routes where the gateway neither applies a policy
   * nor forwards a token (their credentials pass through untouched, unexamined).
   * Throws a 401 problem for bad credentials, 503 when identity cannot be checked.
   */
  resolve(req: Request, entry: RouteEntry): Promise<Identity | undefined>;
  /** Forget the session of this request (sign-out). */
  forgetSession(req: Request): void;
}

const refusedSession = () => unauthorized('Your session has ended or is not valid; sign in again.');

/** Whether the gateway examines credentials on this route at all. */
export function examinesCredentials(entry: RouteEntry): boolean {
  return entry.policy !== 'public' || entry.credentials === 'token';
}

export function createIdentityResolver(options: {
  verifier: IdentityVerifier;
  sessions: SessionExchange;
  /** Caps how long a verified bearer token is remembered (SESSION_TOKEN_CACHE_TTL_MS). */
  cacheTtlMs: number;
  maxEntries: number;
}): IdentityResolver {
  const { verifier, sessions, cacheTtlMs } = options;
  // Verifying a signature costs ~0.2 ms of CPU; a client sends the same token
  // many times. Keyed by digest, kept no longer than the token is valid.
  const verified = new LRUCache<string, { identity: Identity; until: number }>({ max: options.maxEntries });

  function verifiedBefore(token: string): Identity | undefined {
    const cached = verified.get(cacheKey(token));
    return cached && cached.until > Date.now() ? cached.identity : undefined;
  }

  async function fromBearer(token: string): Promise<Identity> {
    const cached = verifiedBefore(token);
    if (cached) return cached;
    try {
      const identity = await verifier.verify(token);
      if (cacheTtlMs > 0) verified.set(cacheKey(token), { identity, until: Math.min(identity.expiresAt, Date.now() + cacheTtlMs) });
      return identity;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw unauthorized(error.message, 'invalid_token');
      throw identityUnavailable();
    }
  }

  function bearerToken(authorization: string): string {
    const token = parseBearer(authorization);
    if (!token) throw unauthorized('The Authorization header must be "Bearer <token>".', 'invalid_request');
    return token;
  }

  return {
    known(req, entry) {
      if (!examinesCredentials(entry)) return undefined;
      const authorization = req.headers.authorization;
      if (authorization !== undefined) return verifiedBefore(bearerToken(authorization)) ?? needsLookup;
      const session = findSessionCookie(req.headers.cookie);
      if (!session) return undefined;
      const identity = sessions.cached(session);
      if (identity === undefined) return needsLookup;
      if (identity === null && entry.policy !== 'public') throw refusedSession();
      return identity ?? undefined;
    },
    async resolve(req, entry) {
      if (!examinesCredentials(entry)) return undefined;
      const authorization = req.headers.authorization;
      if (authorization !== undefined) return fromBearer(bearerToken(authorization));
      const session = findSessionCookie(req.headers.cookie);
      if (!session) return undefined;
      let identity: Identity | null;
      try {
        identity = await sessions.identityFor(session, { requestId: req.id, clientAddress: req.ip ?? '' });
      } catch (error) {
        req.log.warn({ err: error }, 'session exchange failed');
        throw identityUnavailable();
      }
      // A stale cookie does not stop anyone browsing public routes; elsewhere it is a 401.
      if (identity === null && entry.policy !== 'public') throw refusedSession();
      return identity ?? undefined;
    },
    forgetSession(req) {
      const session = findSessionCookie(req.headers.cookie);
      if (session) sessions.forget(session);
    },
  };
}
