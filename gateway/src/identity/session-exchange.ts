import type { Dispatcher } from 'undici';
import { LRUCache } from 'lru-cache';
import { InvalidTokenError, KeySetUnavailableError, type Identity, type IdentityVerifier } from '@twenny/identity';
import type { Logger } from '@twenny/logger';
import { cacheKey } from './cache-key.ts';

/** auth-service could not say whether the session is valid (down, slow, or an answer the gateway cannot use). */
export class SessionExchangeUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'SessionExchangeUnavailableError';
  }
}

export interface SessionExchange {
  /** From the cache alone: the identity, null for a refused session, undefined when auth-service must be asked. */
  cached(sessionCookie: string): Identity | null | undefined;
  /** The identity behind a session cookie (`name=value`), or null when the session is not valid. */
  identityFor(sessionCookie: string, context: { requestId: string; clientAddress: string }): Promise<Identity | null>;
  /** Forget the session's cached token (sign-out through the gateway), here and, through `onForget`, on every replica. */
  forget(sessionCookie: string): void;
  /** Forget a session another replica forgot, by its cache key. */
  forgetKey(key: string): void;
}

export interface SessionExchangeOptions {
  /** The pool to auth-service. */
  auth: Dispatcher;
  verifier: IdentityVerifier;
  logger: Logger;
  /** SESSION_TOKEN_CACHE_TTL_MS: the longest a token is reused. */
  cacheTtlMs: number;
  maxEntries: number;
  timeoutMs: number;
  /** Tells the other replicas (with the cache key, a digest: never the cookie). */
  onForget?: (key: string) => void;
}

type Entry = { identity: Identity | null; until: number };

// A token is reused until this long before it expires, so that the services
// behind, which verify it again, never receive one about to lapse.
const expiryMarginMs = 30_000;
// A session auth-service refused stays refused (its value never becomes valid
// again); remembering that briefly spares auth-service a stale cookie's retries.
const refusedTtlMs = 5_000;
const maxTokenResponseBytes = 64 * 1024;

/**
 * Trades a Better-Auth session cookie for the session's identity token at
 * auth-service (`GET /api/auth/token`), verifies it, and caches the result keyed
 * by a digest of the cookie. Concurrent requests of one session share one call.
 */
export function createSessionExchange(options: SessionExchangeOptions): SessionExchange {
  const { auth, verifier, logger, cacheTtlMs, timeoutMs } = options;
  const cache = new LRUCache<string, Entry>({ max: options.maxEntries });
  const inFlight = new Map<string, Promise<Identity | null>>();
  // When each session was last forgotten (a counter, not a clock): an exchange
  // that began before is answered but not cached, or a sign-out racing a lookup
  // would put the old token back.
  let generation = 0;
  const forgotten = new LRUCache<string, number>({ max: options.maxEntries });

  function forgetKey(key: string) {
    generation += 1;
    forgotten.set(key, generation);
    cache.delete(key);
    inFlight.delete(key);
  }

  async function exchange(sessionCookie: string, context: { requestId: string; clientAddress: string }): Promise<Entry> {
    let response: Dispatcher.ResponseData;
    try {
      response = await auth.request({
        path: '/api/auth/token',
        method: 'GET',
        headers: {
          cookie: sessionCookie,
          accept: 'application/json',
          'x-request-id': context.requestId,
          // Better-Auth rate-limits by client address: name the caller, not the gateway.
          'x-forwarded-for': context.clientAddress,
        },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      throw new SessionExchangeUnavailableError('auth-service did not answer the session exchange', { cause: error });
    }
    const text = await readLimited(response.body, maxTokenResponseBytes).catch((error: unknown) => {
      throw new SessionExchangeUnavailableError('auth-service\'s token response could not be read', { cause: error });
    });
    if (response.statusCode === 401 || response.statusCode === 403) {
      return { identity: null, until: Date.now() + refusedTtlMs };
    }
    if (response.statusCode !== 200) {
      throw new SessionExchangeUnavailableError(`auth-service answered the session exchange with ${response.statusCode}`);
    }
    const token = tokenFrom(text);
    if (!token) throw new SessionExchangeUnavailableError('auth-service\'s token response has no token');
    let identity: Identity;
    try {
      identity = await verifier.verify(token);
    } catch (error) {
      if (error instanceof KeySetUnavailableError) throw new SessionExchangeUnavailableError('the identity key set is unavailable', { cause: error });
      // auth-service issued a token this gateway refuses: issuer, audience or clocks disagree.
      if (error instanceof InvalidTokenError) logger.error({ reason: error.message }, 'auth-service issued a token the gateway cannot verify; check AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE');
      throw new SessionExchangeUnavailableError('the exchanged token could not be verified', { cause: error });
    }
    return { identity, until: Math.min(identity.expiresAt - expiryMarginMs, Date.now() + cacheTtlMs) };
  }

  function cached(key: string): Entry | undefined {
    const entry = cache.get(key);
    return entry && entry.until > Date.now() ? entry : undefined;
  }

  return {
    cached(sessionCookie) {
      return cached(cacheKey(sessionCookie))?.identity;
    },
    async identityFor(sessionCookie, context) {
      const key = cacheKey(sessionCookie);
      const hit = cached(key);
      if (hit) return hit.identity;
      const pending = inFlight.get(key);
      if (pending) return pending;
      const began = generation;
      const call = exchange(sessionCookie, context)
        .then((entry) => {
          const forgottenSince = (forgotten.get(key) ?? 0) > began;
          if (cacheTtlMs > 0 && entry.until > Date.now() && !forgottenSince) cache.set(key, entry);
          else cache.delete(key);
          return entry.identity;
        })
        .finally(() => {
          if (inFlight.get(key) === call) inFlight.delete(key);
        });
      inFlight.set(key, call);
      return call;
    },
    forget(sessionCookie) {
      const key = cacheKey(sessionCookie);
      forgetKey(key);
      options.onForget?.(key);
    },
    forgetKey,
  };
}

function tokenFrom(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { token?: unknown };
    return typeof parsed?.token === 'string' && parsed.token.length > 0 ? parsed.token : undefined;
  } catch {
    return undefined;
  }
}

async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new Error(`response larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
