import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@twenny/db';
import type { DbExecutor } from '@twenny/messaging';
import { createTestDatabase, type TestDatabase } from '@twenny/testing';
import { searchEvents } from '../src/db/search-events.ts';
import { scheduleViolations, ticketTypeViolations } from '../src/domain/event-rules.ts';
import { eventSlug } from '../src/domain/slug.ts';
import { seedCatalog, type SeedSummary } from '../src/seed/huge-seed.ts';
import { cities } from '../src/seed/seed-data.ts';

const script = fileURLToPath(new URL('../src/seed/huge-seed.ts', import.meta.url));
const events = 2_000;

let database: TestDatabase;
let catalog: Database;
let summary: SeedSummary;

beforeAll(async () => {
  database = await createTestDatabase();
  // As catalog-service connects: its own role, and its typo threshold for search.
  catalog = connectDatabase({ url: database.urlFor('catalog-service'), max: 2, applicationName: 'huge-seed-test', settings: { 'pg_trgm.word_similarity_threshold': '0.4' } });
  summary = await seedCatalog(catalog.sql, { events, reset: false });
});

afterAll(async () => {
  await catalog?.close();
  await database?.drop();
});

/** `npm run seed:huge` against the test database. */
function runSeed(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: database.urlFor('catalog-service'), DATABASE_ADMIN_URL: database.adminUrl };
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

async function counts() {
  const [row] = await catalog.sql<{ venues: number; events: number; ticketTypes: number; availability: number }[]>`
    select (select count(*) from catalog.venues)::int as venues, (select count(*) from catalog.events)::int as events,
      (select count(*) from catalog.ticket_types)::int as "ticketTypes", (select count(*) from catalog.availability)::int as availability`;
  return row!;
}

/** What the seed makes the same on every run (dates and statuses follow the clock). */
async function fingerprint() {
  const [row] = await catalog.sql<{ events: string; ticketTypes: string; venues: string }[]>`
    select (select md5(string_agg(concat_ws('|', id, venue_id, slug, title, tags, min_price_minor), ',' order by id)) from catalog.events) as events,
      (select md5(string_agg(concat_ws('|', id, event_id, name, price_minor, capacity, hidden), ',' order by id)) from catalog.ticket_types) as "ticketTypes",
      (select md5(string_agg(concat_ws('|', id, organization_id, name, city), ',' order by id)) from catalog.venues) as venues`;
  return row!;
}

describe('seed:huge', () => {
  it('loads the events asked for with about 3.3 ticket types each, and reports what it loaded', async () => {
    const loaded = await counts();
    expect(loaded.events).toBe(events);
    expect(loaded.ticketTypes / events).toBeGreaterThan(3);
    expect(loaded.ticketTypes / events).toBeLessThan(3.6);
    expect(summary.tables.map((t) => [t.table, t.rows])).toEqual([
      ['catalog.venues', loaded.venues],
      ['catalog.events', events],
      ['catalog.ticket_types', loaded.ticketTypes],
    ]);
    expect(summary.rows).toBe(loaded.venues + events + loaded.ticketTypes);
  });

  it('gives every event a ticket type buyers can see, and the visible price range', async () => {
    const [row] = await catalog.sql`
      select count(*) filter (where p.visible = 0)::int as "withoutVisible",
        count(*) filter (where e.min_price_minor is distinct from p.min or e.max_price_minor is distinct from p.max)::int as "wrongRange"
      from catalog.events e cross join lateral (
        select count(*) filter (where not t.hidden) as visible, min(t.price_minor) filter (where not t.hidden) as min, max(t.price_minor) filter (where not t.hidden) as max
        from catalog.ticket_types t where t.event_id = e.id) p`;
    expect(row).toEqual({ withoutVisible: 0, wrongRange: 0 });
  });

  // Postgres checked its constraints while loading; these are the rules it leaves to the app.
  it('keeps the rules the application checks', async () => {
    const rows = await catalog.sql<{ id: string; title: string; slug: string; city: string; currency: string; startsAt: string; endsAt: string }[]>`
      select id, title, slug, city, currency, starts_at as "startsAt", ends_at as "endsAt" from catalog.events`;
    expect(rows.filter((e) => e.slug !== eventSlug(e.title, e.id))).toEqual([]);
    expect(rows.filter((e) => e.currency !== cities.find((c) => c.name === e.city)?.currency)).toEqual([]);
    expect(rows.flatMap((e) => scheduleViolations({ startsAt: new Date(e.startsAt), endsAt: new Date(e.endsAt) }))).toEqual([]);

    // Timestamps as text: drizzle, on the same client, turns off postgres.js's date parsing.
    const ticketTypes = await catalog.sql<{ capacity: number; priceMinor: number; salesStartAt: string | null; salesEndAt: string | null; minPerOrder: number; maxPerOrder: number; hidden: boolean; endsAt: string }[]>`
      select t.capacity, t.price_minor as "priceMinor", t.sales_start_at as "salesStartAt", t.sales_end_at as "salesEndAt",
        t.min_per_order as "minPerOrder", t.max_per_order as "maxPerOrder", t.hidden, e.ends_at as "endsAt"
      from catalog.ticket_types t join catalog.events e on e.id = t.event_id`;
    const date = (text: string | null) => (text === null ? null : new Date(text));
    const violations = ticketTypes.flatMap((t) => ticketTypeViolations({ ...t, salesStartAt: date(t.salesStartAt), salesEndAt: date(t.salesEndAt) }, { endsAt: new Date(t.endsAt) }, 'ticketType'));
    expect(violations).toEqual([]);
    expect(ticketTypes.filter((t) => t.priceMinor > 100_000_000 || t.maxPerOrder > 100)).toEqual([]);

    const [broken] = await catalog.sql`
      select
        count(*) filter (where (e.organization_id, e.city, e.country, e.time_zone, e.venue_name) is distinct from (v.organization_id, v.city, v.country, v.time_zone, v.name))::int as "notLikeVenue",
        count(*) filter (where (e.status = 'draft') <> (e.published_at is null) or (e.published_at is null) <> (e.first_published_at is null)
          or e.first_published_at > e.published_at or e.published_at > now())::int as "publication",
        count(*) filter (where e.status = 'ended' and e.ends_at > now() or e.status = 'published' and e.ends_at < now() - interval '1 minute')::int as "ended",
        count(*) filter (where e.created_at >= e.starts_at or e.created_at > e.updated_at or e.updated_at > now())::int as "timeline",
        count(*) filter (where date_trunc('milliseconds', e.starts_at) <> e.starts_at or date_trunc('milliseconds', e.created_at) <> e.created_at)::int as "microseconds"
      from catalog.events e join catalog.venues v on v.id = e.venue_id`;
    expect(broken).toEqual({ notLikeVenue: 0, publication: 0, ended: 0, timeline: 0, microseconds: 0 });
  });

  it('mixes statuses, free events and hidden ticket types', async () => {
    const byStatus = Object.fromEntries((await catalog.sql<{ status: string; n: number }[]>`select status, count(*)::int as n from catalog.events group by status`).map((r) => [r.status, r.n / events]));
    expect(byStatus.published! + byStatus.ended!).toBeGreaterThan(0.82);
    expect(byStatus.draft).toBeGreaterThan(0.04);
    expect(byStatus.cancelled).toBeGreaterThan(0.01);
    expect(byStatus.ended).toBeGreaterThan(0.03);
    const [shares] = await catalog.sql<{ free: number; hidden: number }[]>`
      select (select avg((min_price_minor = 0)::int) from catalog.events)::float as free, (select avg(hidden::int) from catalog.ticket_types)::float as hidden`;
    expect(shares!.free).toBeGreaterThan(0.05);
    expect(shares!.free).toBeLessThan(0.15);
    expect(shares!.hidden).toBeGreaterThan(0.01);
  });

  it('fills the generated search column: full-text and typo-tolerant search find events', async () => {
    const [unfindable] = await catalog.sql`
      select count(*)::int as n from catalog.events
      where not search @@ plainto_tsquery('english', title) or not search @@ plainto_tsquery('english', city) or not search @@ plainto_tsquery('english', venue_name)
        or not search @@ plainto_tsquery('english', array_to_string(tags, ' '))`;
    expect(unfindable).toEqual({ n: 0 });

    const db = catalog.db as unknown as DbExecutor;
    const search = (q: string, textMatch: 'words' | 'similar' = 'words') => searchEvents(db, { q, textMatch }, { sort: 'relevance', limit: 10, now: new Date() });
    const found = await search('comedy');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.title).toMatch(/comedy/i);
    // Misspelt: no full-text match, found by trigram similarity to titles.
    const typo = await search('commedy', 'similar');
    expect(typo.length).toBeGreaterThan(0);
    expect(typo.every((e) => /comedy/i.test(e.title))).toBe(true);
  });

  it('refuses a catalog that has events unless given --reset, which replaces it with the same catalog', async () => {
    const before = await fingerprint();
    const refused = await runSeed('--events', String(events));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already has 2,000 events .*--reset/);
    expect(await fingerprint()).toEqual(before);

    await catalog.sql`
      insert into catalog.availability (ticket_type_id, event_id, capacity, held, sold, available, version)
      select id, event_id, capacity, 0, 1, capacity - 1, 1 from catalog.ticket_types limit 1`;
    const reset = await runSeed('--reset', '--events', String(events));
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/^seeded the catalog: [\d,]+ rows in [\d.]+ s/);
    expect(await fingerprint()).toEqual(before);
    expect((await counts()).availability).toBe(0);
  });
});
