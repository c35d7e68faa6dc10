/**
 * Every public query shape uses an index. The app's own query functions run
 * against a catalog seeded large enough for the planner to prefer indexes where
 * they help (default planner settings, after ANALYZE); each statement they send
 * is EXPLAINed and the test fails on a sequential scan of events or ticket types.
 * Excluded by design: the whole-catalog facet summary (one aggregate per TTL, in
 * the background, see search-events.ts).
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbExecutor } from '@twenny/messaging';
import { createTestDatabase, type TestDatabase } from '@twenny/testing';
import { eventWithVenue, ticketTypesWithNumbers } from '../src/db/event-reads.ts';
import { facetCounts, searchEvents, type ListingFilters } from '../src/db/search-events.ts';
import { seedCatalog } from '../src/seed/huge-seed.ts';

let database: TestDatabase;
let sql: postgres.Sql;
let db: DbExecutor;
// Statements the app sent since the last take(): text and parameters, as postgres.js sent them.
let sent: Array<{ query: string; params: unknown[] }> = [];
const now = new Date();

beforeAll(async () => {
  database = await createTestDatabase();
  sql = postgres(database.urlFor('catalog-service'), {
    max: 2,
    onnotice: () => {},
    connection: { 'pg_trgm.word_similarity_threshold': '0.4' },
    debug: (_connection, query, params) => {
      if (!/^\s*(explain|analyze|begin|commit)/i.test(query)) sent.push({ query, params: params as unknown[] });
    },
  });
  await seedCatalog(sql as never, { events: 100_000, reset: false });
  // Sales as a popular listing sees them: most events sell nothing (one large tie at 0), a few sell a lot.
  await sql`update catalog.events set tickets_sold = (abs(hashtext(id::text)) % 5000) where abs(hashtext(id::text)) % 10 = 0`;
  await sql`analyze catalog.events`;
  db = drizzle({ client: sql }) as unknown as DbExecutor;
}, 180_000);

afterAll(async () => {
  await sql?.end();
  await database?.drop();
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function seqScans(node: PlanNode): string[] {
  const own = node['Node Type'] === 'Seq Scan' && ['events', 'ticket_types'].includes(node['Relation Name'] ?? '') ? [node['Relation Name']!] : [];
  return [...own, ...(node.Plans ?? []).flatMap(seqScans)];
}

/** Runs the shape, then EXPLAINs every statement it sent; returns the sequential scans found. */
async function scansOf(shape: () => Promise<unknown>): Promise<Array<{ query: string; scans: string[] }>> {
  sent = [];
  await shape();
  const statements = sent;
  sent = [];
  expect(statements.length).toBeGreaterThan(0);
  const found = [];
  for (const { query, params } of statements) {
    const [row] = await sql.unsafe(`explain (format json) ${query}`, params as never[]);
    const plan = (row as unknown as { 'QUERY PLAN': Array<{ Plan: PlanNode }> })['QUERY PLAN'][0]!.Plan;
    found.push({ query: query.replace(/\s+/g, ' ').slice(0, 160), scans: seqScans(plan) });
  }
  return found;
}

async function sample() {
  const [row] = await sql<{ id: string; slug: string; city: string; category: string; organization_id: string; title: string }[]>`
    select id, slug, city, category, organization_id, title from catalog.events where status = 'published' and ends_at > now() order by id limit 1`;
  return row!;
}

describe('public query shapes', () => {
  const listing = (filters: ListingFilters, sort: 'soonest' | 'newest' | 'relevance' | 'popular' = 'soonest') => () => searchEvents(db, filters, { sort, limit: 20, now });

  it('use indexes', async () => {
    const event = await sample();
    const firstWord = event.title.split(' ')[0]!.toLowerCase();
    const misspelt = `${firstWord.slice(0, 2)}${firstWord.slice(3)}x`;
    const [page] = await Promise.all([searchEvents(db, {}, { sort: 'soonest', limit: 20, now })]);
    const last = page.at(-1)!;
    const newest = (await searchEvents(db, {}, { sort: 'newest', limit: 20, now })).at(-1)!;
    const popular = (await searchEvents(db, {}, { sort: 'popular', limit: 20, now })).at(-1)!;
    const shapes: Record<string, () => Promise<unknown>> = {
      'first listing page': listing({}),
      'newest first': listing({}, 'newest'),
      'popular first': listing({}, 'popular'),
      'popular in a city': listing({ city: event.city }, 'popular'),
      'city and category': listing({ city: event.city, category: event.category }),
      city: listing({ city: event.city }),
      'free only': listing({ free: true }),
      'price range': listing({ minPrice: 1000, maxPrice: 2500 }),
      'date range': listing({ from: new Date(Date.now() + 30 * 86_400_000), to: new Date(Date.now() + 37 * 86_400_000) }),
      organisation: listing({ organization: event.organization_id }),
      'text, words': listing({ q: firstWord, textMatch: 'words' }, 'relevance'),
      'text, misspelt': listing({ q: misspelt, textMatch: 'similar' }, 'relevance'),
      'deep page by cursor (soonest)': () => searchEvents(db, {}, { sort: 'soonest', limit: 20, now, after: { sort: 'soonest', key: last.sortKey!, id: last.id } }),
      'deep page by cursor (newest)': () => searchEvents(db, {}, { sort: 'newest', limit: 20, now, after: { sort: 'newest', key: newest.sortKey!, id: newest.id } }),
      'deep page by cursor (popular)': () => searchEvents(db, {}, { sort: 'popular', limit: 20, now, after: { sort: 'popular', key: Number(popular.sortKey), id: popular.id } }),
      'event by slug': () => eventWithVenue(db, event.slug),
      'event by id, with its ticket types': async () => {
        await eventWithVenue(db, event.id);
        await ticketTypesWithNumbers(db, event.id);
      },
      'facets, city and category': () => facetCounts(db, { city: event.city, category: event.category }, now),
      'facets, text': () => facetCounts(db, { q: firstWord, textMatch: 'words' }, now),
      'facets, organisation': () => facetCounts(db, { organization: event.organization_id }, now),
    };
    const offenders: string[] = [];
    for (const [name, shape] of Object.entries(shapes)) {
      for (const { query, scans } of await scansOf(shape)) if (scans.length > 0) offenders.push(`${name}: seq scan of ${scans.join(', ')} in ${query}`);
    }
    expect(offenders).toEqual([]);
  }, 120_000);

  it('page a popular listing deep into a tie by reading about a page of the index', async () => {
    // Halfway through the events that sold nothing: a cursor is one row comparison, a range of the index.
    const [middle] = await sql<{ id: string }[]>`
      select id from catalog.events where status = 'published' and tickets_sold = 0 order by id desc offset (select count(*) / 2 from catalog.events where status = 'published' and tickets_sold = 0) limit 1`;
    sent = [];
    await searchEvents(db, {}, { sort: 'popular', limit: 20, now, after: { sort: 'popular', key: 0, id: middle!.id } });
    const [{ query, params }] = sent as [{ query: string; params: unknown[] }];
    const [row] = await sql.unsafe(`explain (analyze, format json) ${query}`, params as never[]);
    const plan = (row as unknown as { 'QUERY PLAN': Array<{ Plan: PlanNode }> })['QUERY PLAN'][0]!.Plan;
    const scans: Array<PlanNode & { 'Index Name'?: string; 'Actual Rows'?: number; 'Rows Removed by Filter'?: number }> = [];
    const walk = (node: PlanNode) => {
      if (node['Relation Name'] === 'events') scans.push(node);
      (node.Plans ?? []).forEach(walk);
    };
    walk(plan);
    expect(scans.map((s) => s['Index Name'])).toEqual(['events_listing_popular_idx']);
    // The page, plus the few past events the index holds that are no longer upcoming.
    expect(scans[0]!['Actual Rows']! + (scans[0]!['Rows Removed by Filter'] ?? 0)).toBeLessThan(200);
  }, 60_000);
});
