import { sql, type SQL } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import type { CursorPosition, ListingSort } from '../domain/listing-cursor.ts';
import { instant } from './sql-values.ts';

export interface ListingFilters {
  q?: string;
  /**
   * How `q` matches: `words` by full text (stemmed) over the title, tags, city,
   * venue name and description (events.search, see schema.ts); `similar` by
   * trigram word similarity to the title, for queries whose words match nothing
   * (misspellings).
   */
  textMatch?: 'words' | 'similar';
  city?: string;
  category?: string;
  from?: Date;
  to?: Date;
  minPrice?: number;
  maxPrice?: number;
  free?: boolean;
  organization?: string;
}

export interface ListingRow {
  id: string;
  slug: string;
  title: string;
  category: string;
  tags: string[];
  city: string;
  country: string;
  timeZone: string;
  startsAt: Date;
  endsAt: Date;
  publishedAt: Date;
  currency: string;
  minPriceMinor: number | null;
  maxPriceMinor: number | null;
  coverImage: unknown;
  organizationId: string;
  venueName: string;
  score: number | null;
  /** Whether any ticket has been sold (how many stays in the database: no sales figures are public). */
  hasSales: boolean;
  /** The sort column exactly as Postgres has it (microseconds; tickets sold as text), for the next cursor. */
  sortKey: string | null;
}

/**
 * Matching published events. Every condition is on a column of `events` with an
 * index (listings are partial indexes on status = 'published', so the literal
 * matters). Text matches by full text (stemmed, ranked) or, when its words match
 * nothing, by trigram word similarity to the title (threshold set per
 * connection): never both, since a loose similarity over a large catalog
 * matches tens of thousands of titles that have one word in common.
 */

export function listingConditions(filters: ListingFilters, now: Date): SQL {
  const conditions: SQL[] = [sql`e.status = 'published'`, sql`e.ends_at > ${instant(now)}`];
  if (filters.q) conditions.push(filters.textMatch === 'similar' ? sql`${filters.q} <% e.title` : sql`e.search @@ websearch_to_tsquery('english', ${filters.q})`);
  if (filters.city) conditions.push(sql`e.city = ${filters.city}`);
  if (filters.category) conditions.push(sql`e.category = ${filters.category}`);
  if (filters.from) conditions.push(sql`e.starts_at >= ${instant(filters.from)}`);
  if (filters.to) conditions.push(sql`e.starts_at < ${instant(filters.to)}`);
  if (filters.free) conditions.push(sql`e.min_price_minor = 0`);
  if (filters.minPrice !== undefined) conditions.push(sql`e.max_price_minor >= ${filters.minPrice}`);
  if (filters.maxPrice !== undefined) conditions.push(sql`e.min_price_minor <= ${filters.maxPrice}`);
  if (filters.organization) conditions.push(sql`e.organization_id = ${filters.organization}`);
  return sql.join(conditions, sql` and `);
}

const score = (filters: ListingFilters) =>
  filters.textMatch === 'similar' ? sql`word_similarity(${filters.q}, e.title)::real` : sql`ts_rank_cd(e.search, websearch_to_tsquery('english', ${filters.q}))::real`;

function ordering(sort: ListingSort, filters: ListingFilters, after: CursorPosition | undefined): { order: SQL; after: SQL | undefined; score: SQL; sortKey: SQL } {
  switch (sort) {
    case 'relevance':
      return {
        sortKey: sql`null::text`,
        score: score(filters),
        order: sql`score desc, e.id`,
        after: after && sql`(${score(filters)} < ${after.key}::real or (${score(filters)} = ${after.key}::real and e.id > ${after.id}))`,
      };
    case 'newest':
      return { sortKey: sql`e.published_at::text`, score: sql`null::real`, order: sql`e.published_at desc nulls last, e.id desc`, after: after && sql`(e.published_at, e.id) < (${after.key}::timestamptz, ${after.id}::uuid)` };
    case 'popular':
      // Most tickets sold first; ties (most events sell nothing) by id, descending like the
      // sold count so that the cursor is one row comparison: a single range of
      // events_listing_popular_idx however deep into a tie the page is.
      return {
        sortKey: sql`e.tickets_sold::text`,
        score: sql`null::real`,
        order: sql`e.tickets_sold desc nulls last, e.id desc nulls last`,
        after: after && sql`(e.tickets_sold, e.id) < (${after.key}::int, ${after.id}::uuid)`,
      };
    default:
      return { sortKey: sql`e.starts_at::text`, score: sql`null::real`, order: sql`e.starts_at, e.id`, after: after && sql`(e.starts_at, e.id) > (${after.key}::timestamptz, ${after.id}::uuid)` };
  }
}

/** One page of matching events (one row more than asked: whether another page follows). */
export async function searchEvents(db: DbExecutor, filters: ListingFilters, options: { sort: ListingSort; after?: CursorPosition; limit: number; now: Date }): Promise<ListingRow[]> {
  const { order, after, score, sortKey } = ordering(options.sort, filters, options.after);
  const where = after ? sql`${listingConditions(filters, options.now)} and ${after}` : listingConditions(filters, options.now);
  // The page is chosen from events alone; only its rows are joined to their venues.
  const rows = await db.execute(sql`
    select e.id, e.slug, e.title, e.category, e.tags, e.city, e.country, e.time_zone as "timeZone",
      e.starts_at as "startsAt", e.ends_at as "endsAt", e.published_at as "publishedAt", e.currency,
      e.min_price_minor as "minPriceMinor", e.max_price_minor as "maxPriceMinor", e.cover_image as "coverImage",
      e.organization_id as "organizationId", v.name as "venueName", e.tickets_sold > 0 as "hasSales", e.score, e."sortKey"
    from (
      select e.*, ${score} as score, ${sortKey} as "sortKey" from catalog.events e
      where ${where}
      order by ${order}
      limit ${options.limit + 1}
    ) e join catalog.venues v on v.id = e.venue_id
    order by ${order}`);
  return (rows as unknown as Record<string, unknown>[]).map((row) => ({
    ...row,
    startsAt: new Date(row.startsAt as string),
    endsAt: new Date(row.endsAt as string),
    publishedAt: new Date(row.publishedAt as string),
  })) as ListingRow[];
}

export interface Facets {
  categories: Array<{ value: string; count: number }>;
  cities: Array<{ value: string; count: number }>;
}

/** Exact counts by category and by city (the 20 largest) for the same conditions. */
export async function facetCounts(db: DbExecutor, filters: ListingFilters, now: Date): Promise<Facets> {
  const where = listingConditions(filters, now);
  const rows = (await db.execute(sql`
    with matching as materialized (select e.category, e.city from catalog.events e where ${where})
    (select 'category' as facet, category as value, count(*)::int as count from matching group by category)
    union all
    (select 'city', city, count(*)::int from matching group by city order by count(*) desc, city limit 20)`)) as unknown as Array<{ facet: string; value: string; count: number }>;
  const pick = (facet: string) => rows.filter((r) => r.facet === facet).map(({ value, count }) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return { categories: pick('category'), cities: pick('city') };
}

/** Upcoming published events per (category, city): the whole catalog's facets in a few hundred rows. */
export async function facetSummary(db: DbExecutor, now: Date): Promise<Array<{ category: string; city: string; count: number }>> {
  return (await db.execute(sql`
    select e.category, e.city, count(*)::int as count from catalog.events e
    where e.status = 'published' and e.ends_at > ${instant(now)}
    group by e.category, e.city`)) as unknown as Array<{ category: string; city: string; count: number }>;
}
