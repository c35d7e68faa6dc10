import type { Express, Response } from 'express';
import { validated } from '@twenny/http-kit';
import { authorize, type IdentityVerifier } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { categories } from '../domain/categories.ts';
import { listingCounts } from '../db/event-reads.ts';
import { getEvent } from '../use-cases/get-event.ts';
import type { createEventSearch } from '../use-cases/search-events.ts';
import { createResponseCache } from './response-cache.ts';
import { eventKeyParams, searchQuery } from './schemas.ts';

/**
 * Honest caching: listings and event pages may be reused briefly (availability
 * moves), and revalidated with their ETag (Express computes it from the body and
 * answers 304 itself). A page a signed-in organiser sees may hold drafts: private.
 */
function cacheFor(res: Response, seconds: number, personal = false) {
  res.setHeader('cache-control', personal ? 'private, no-cache' : `public, max-age=${seconds}, stale-while-revalidate=${seconds}`);
  if (!personal) res.setHeader('vary', 'authorization');
}

export function publicRoutes(app: Express, deps: { db: DbExecutor; verifier: IdentityVerifier; search: ReturnType<typeof createEventSearch>; countsTtlMs: number; responseCacheMs: number }) {
  const { db, verifier, search } = deps;
  const cache = createResponseCache(deps.responseCacheMs);

  app.get('/api/events', authorize(verifier, 'public'), validated({ query: searchQuery }, async ({ query }, req, res) => {
    cacheFor(res, 10);
    // The listing is the same for everyone (drafts never appear in it).
    await cache.send(res, req.originalUrl, () => search(query));
  }));

  app.get('/api/events/:key', authorize(verifier, 'public'), validated({ params: eventKeyParams }, async ({ params }, req, res) => {
    // The public answer, shared by everyone but the event's own organisers (drafts, hidden
    // ticket types, sold counts), who always get a fresh one of their own.
    const shared = () => cache.send(res, `event:${params.key}`, () => getEvent(db, params.key, undefined));
    if (!req.identity || req.identity.orgs.length === 0) {
      cacheFor(res, 5);
      return shared();
    }
    const event = await getEvent(db, params.key, req.identity);
    cacheFor(res, 0, true);
    res.json(event);
  }));

  // Few rows, but counting them scans every upcoming event: computed at most once per interval.
  const counts = cachedCounts(db, deps.countsTtlMs);
  app.get('/api/categories', authorize(verifier, 'public'), async (_req, res) => {
    const byCategory = new Map((await counts('category')).map((row) => [row.category, row.count]));
    cacheFor(res, 60);
    res.json({ items: categories.map((c) => ({ ...c, upcomingEvents: byCategory.get(c.slug) ?? 0 })) });
  });
  app.get('/api/cities', authorize(verifier, 'public'), async (_req, res) => {
    cacheFor(res, 60);
    res.json({ items: (await counts('city')).map((row) => ({ city: row.city, country: row.country, upcomingEvents: row.count })) });
  });
}

function cachedCounts(db: DbExecutor, ttlMs: number) {
  const cache = new Map<string, { at: number; rows: Promise<Awaited<ReturnType<typeof listingCounts>>> }>();
  return (column: 'category' | 'city') => {
    const hit = cache.get(column);
    if (hit && Date.now() - hit.at < ttlMs) return hit.rows;
    const rows = listingCounts(db, column, new Date());
    cache.set(column, { at: Date.now(), rows });
    rows.catch(() => cache.delete(column));
    return rows;
  };
}
