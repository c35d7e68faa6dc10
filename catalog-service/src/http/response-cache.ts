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
export function createResponseCache(ttlMs: number, maxEntries = 10_000) {
  const entries = ttlMs > 0 ? new LRUCache<string, Promise<Cached>>({ max: maxEntries, ttl: ttlMs }) : undefined;
  let hits = 0;
  let misses = 0;

  function prepare(value: unknown): Cached {
    const body = JSON.stringify(value);
    return { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` };
  }

  return {
    /** Answers `res` with what `compute` gives for `key`, from the cache when it is fresh. */
    async send(res: Response, key: string, compute: () => Promise<unknown>): Promise<void> {
      let cached = entries?.get(key);
      const hit = cached !== undefined;
      if (!cached) {
        cached = compute().then(prepare);
        if (entries) {
          entries.set(key, cached);
          cached.catch(() => entries.delete(key));
        }
      }
      const { body, etag } = await cached;
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
