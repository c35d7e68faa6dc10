import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { LRUCache } from 'lru-cache';

interface Cached {
  body: string;
  etag: string;
}

/**
 * Public answers kept in this process for a moment (CATALOG_RESPONSE_CACHE_MS):
 * on-sale day means thousands asking for the same listing each second, and an
 * answer a second or two old is as good (availability on it is at most that old).
 * Concurrent misses for one key share a single computation. `x-cache` says which.
 * ttlMs 0 turns it off (every answer computed, still with an ETag).
 */
export function createResponseCache(ttlMs: number, maxBytes = 64 * 1024 * 1024) {
  // Bounded by the bytes of the answers kept, not their number (a page may be 100 events).
  const entries = ttlMs > 0 ? new LRUCache<string, Cached>({ maxSize: maxBytes, sizeCalculation: (entry) => entry.body.length + entry.etag.length + 64, ttl: ttlMs }) : undefined;
  const computing = new Map<string, Promise<Cached>>();
  let hits = 0;
  let misses = 0;

  function prepare(value: unknown): Cached {
    const body = JSON.stringify(value);
    return { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` };
  }

  return {
    /** Answers `res` with what `compute` gives for `key`, from the cache when it is fresh. */
    async send(res: Response, key: string, compute: () => Promise<unknown>): Promise<void> {
      const kept = entries?.get(key);
      const hit = kept !== undefined;
      let pending = kept ? Promise.resolve(kept) : computing.get(key);
      if (!pending) {
        pending = compute().then(prepare);
        if (entries) {
          const settled = pending.then(
            (entry) => void entries.set(key, entry),
            () => undefined,
          );
          computing.set(key, pending);
          void settled.finally(() => computing.delete(key));
        }
      }
      const { body, etag } = await pending;
      if (entries) {
        if (hit) hits += 1;
        else misses += 1;
        res.setHeader('x-cache', hit ? 'hit' : 'miss');
      }
      // Express answers 304 itself when the request's If-None-Match names this ETag.
      res.setHeader('etag', etag);
      res.type('json').send(body);
    },
    stats: () => ({ hits, misses }),
  };
}
