import { LRUCache } from 'lru-cache';
import { HttpProblem } from '@twenny/http-kit';
import type { DbExecutor } from '@twenny/messaging';
import { categories } from '../domain/categories.ts';
import { decodeCursor, encodeCursor, queryFingerprint, type CursorPosition, type ListingSort } from '../domain/listing-cursor.ts';
import { facetCounts, facetSummary, searchEvents, type Facets, type ListingFilters, type ListingRow } from '../db/search-events.ts';
import type { SearchQuery } from '../http/schemas.ts';

const labels = new Map<string, string>(categories.map((c) => [c.slug, c.label]));

export interface SearchOptions {
  /** How long facet counts of one query are reused (ms); 0 counts on every request. */
  facetsTtlMs: number;
}

/**
 * The public listing: one page of published events, the cursor of the next, and
 * (on the first page) facet counts for the same query, reused for a few seconds
 * (counting every match of a broad query is the costly part of a listing).
 */
export function createEventSearch(db: DbExecutor, options: SearchOptions) {
  const facetCache = new LRUCache<string, Promise<Facets>>({ max: 5_000, ttl: Math.max(1, options.facetsTtlMs) });

  // The whole catalog's counts per (category, city), refreshed when older than the TTL
  // (stale answers served meanwhile): broad listings, the home page above all, would
  // otherwise count every upcoming event on each request.
  let summary: { at: number; rows: Promise<Awaited<ReturnType<typeof facetSummary>>> } | undefined;
  function summaryRows(now: Date) {
    const stale = !summary || Date.now() - summary.at >= options.facetsTtlMs;
    if (stale) {
      const previous = summary;
      const rows = facetSummary(db, now);
      summary = { at: Date.now(), rows: previous ? rows.catch(() => previous.rows) : rows };
      rows.catch(() => (summary = previous));
      if (previous) return previous.rows;
    }
    return summary!.rows;
  }

  async function summaryFacets(filters: ListingFilters, now: Date): Promise<Facets> {
    const rows = (await summaryRows(now)).filter((r) => (!filters.city || r.city === filters.city) && (!filters.category || r.category === filters.category));
    const total = (key: 'category' | 'city') => {
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row[key], (counts.get(row[key]) ?? 0) + row.count);
      return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    };
    return { categories: total('category'), cities: total('city').slice(0, 20) };
  }

  function facetsFor(filters: ListingFilters, fingerprint: string, now: Date): Promise<Facets> {
    if (options.facetsTtlMs <= 0) return facetCounts(db, filters, now);
    if (onlyCityAndCategory(filters)) return summaryFacets(filters, now);
    let counting = facetCache.get(fingerprint);
    if (!counting) {
      counting = facetCounts(db, filters, now);
      facetCache.set(fingerprint, counting);
      counting.catch(() => facetCache.delete(fingerprint));
    }
    return counting;
  }

  return async function search(query: SearchQuery, now = new Date()) {
    const filters: ListingFilters = {
      q: query.q || undefined,
      city: query.city,
      category: query.category,
      from: query.from === undefined ? undefined : dayStart(query.from),
      to: query.to === undefined ? undefined : dayEnd(query.to),
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      free: query.free,
      organization: query.organization,
    };
    if (filters.from && filters.to && filters.to <= filters.from) throw HttpProblem.validation([{ name: 'query.to', reason: 'The end of the date range must be after its start.' }]);
    const sort: ListingSort = query.sort ?? (filters.q ? 'relevance' : 'soonest');
    const fingerprint = queryFingerprint({ ...filters, from: query.from, to: query.to, sort });
    let after: CursorPosition | undefined;
    if (query.cursor !== undefined) {
      const decoded = decodeCursor(query.cursor, fingerprint);
      if ('invalid' in decoded) throw HttpProblem.validation([{ name: 'query.cursor', reason: decoded.invalid }]);
      if (decoded.sort !== sort) throw HttpProblem.validation([{ name: 'query.cursor', reason: 'The cursor belongs to a different sort order.' }]);
      after = decoded;
    }
    let rows: ListingRow[];
    if (filters.q) {
      // By words first; only when they match nothing, by similar titles (a misspelling).
      // Later pages keep what the first page used.
      filters.textMatch = after?.textMatch ?? 'words';
      rows = await searchEvents(db, filters, { sort, after, limit: query.limit, now });
      if (rows.length === 0 && !after) {
        filters.textMatch = 'similar';
        rows = await searchEvents(db, filters, { sort, after, limit: query.limit, now });
      }
    } else {
      rows = await searchEvents(db, filters, { sort, after, limit: query.limit, now });
    }
    const facets = after ? undefined : await facetsFor(filters, `${fingerprint}:${filters.textMatch ?? ''}`, now);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const more = rows.length > query.limit && last;
    return {
      items: page.map(eventSummary),
      nextCursor: more ? encodeCursor({ sort, key: cursorKey(sort, last), id: last.id, textMatch: filters.textMatch }, fingerprint) : null,
      sort,
      ...(filters.textMatch && { matched: filters.textMatch }),
      ...(facets && {
        facets: {
          categories: facets.categories.map(({ value, count }) => ({ slug: value, label: labels.get(value) ?? value, count })),
          cities: facets.cities.map(({ value, count }) => ({ city: value, count })),
        },
      }),
    };
  };
}

/** The last row's sort key as its cursor carries it: a number for relevance and popular, a timestamp's text otherwise. */
function cursorKey(sort: ListingSort, row: ListingRow): string | number {
  if (sort === 'relevance') return row.score!;
  if (sort === 'popular') return Number(row.sortKey);
  return row.sortKey!;
}

function onlyCityAndCategory(filters: ListingFilters): boolean {
  return Object.entries(filters).every(([key, value]) => value === undefined || key === 'city' || key === 'category');
}

export function eventSummary(row: ListingRow) {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    category: row.category,
    tags: row.tags,
    venueName: row.venueName,
    city: row.city,
    country: row.country,
    timeZone: row.timeZone,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    currency: row.currency,
    priceFromMinor: row.minPriceMinor,
    priceToMinor: row.maxPriceMinor,
    free: row.minPriceMinor === 0,
    coverImage: row.coverImage ?? null,
    organizationId: row.organizationId,
    hasSales: row.hasSales,
  };
}

/** A date means the whole day (UTC); an instant means itself. */
function dayStart(value: string): Date {
  return new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
}
function dayEnd(value: string): Date {
  return value.length === 10 ? new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000) : new Date(value);
}
