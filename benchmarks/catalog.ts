/**
 * npm run bench:catalog — the public catalog (listings, search, event pages) on
 * the huge seed (npm run seed:huge), two ways, same load:
 *   (gw) through the gateway to catalog-service, as `npm start` runs them
 *        (telemetry preloaded, logs at info, rate limits counted, identity
 *        checked), with the response cache off;
 *   (ceiling) through the bare undici hop (benchmarks/gateway-bare-proxy.ts) to
 *        benchmarks/catalog-ceiling.ts: Express 5 and postgres.js running the
 *        catalog's own use-case functions, so the same SQL, and nothing else.
 * Five request shapes, each from URLs built from the database (real cities,
 * categories, title words, events), requested in turn so that no single answer
 * repeats: the home listing (its first page in 11 sizes), filtered listings,
 * text searches (some misspelled), pages 20–50 deep by cursor, event pages (a
 * few hundred URLs each). The ceiling reuses facet counts as the service does
 * (CATALOG_FACETS_TTL_MS): they may be a few seconds old. Prints req/s,
 * p50/p99, CPU per request (hop, app, Postgres; from /proc) and the ratio
 * gw/ceiling (target ≥ 0.7); printed, never asserted.
 *
 * Then with catalog-service's response cache on (CATALOG_RESPONSE_CACHE_MS,
 * restarted): the home listing and event pages through the gateway against the
 * uncached ceiling (target ≥ 1.0), the hit rate (x-cache answers), and how old
 * a cached availability can be: an order.inventory.changed.v1 published on the
 * bus, and the time until the gateway's answer shows it.
 *
 * `--without-indexes` starts nothing: for each listing index of catalog.events,
 * the shapes' statements (captured from the catalog's own functions) run under
 * EXPLAIN ANALYZE with that index dropped inside a transaction that is rolled
 * back (DROP INDEX locks catalog.events until then), against all indexes.
 *
 * Reads database twenny as the catalog role (DATABASE_URL to change it). Every
 * process starts here on free ports, on a bus prefix and Redis prefix of its
 * own; the availability rows the staleness probe changed are put back.
 * BENCH_CONNECTIONS (64), BENCH_ROUNDS (1), BENCH_DURATION (5 s per path per
 * shape), BENCH_WARMUP (2 s), BENCH_URLS (300 per shape), BENCH_SEED (1),
 * BENCH_HOME_DAYS (0), BENCH_CACHE_MS (2000), BENCH_STALENESS_SAMPLES (5),
 * BENCH_CEILING_FACETS_TTL_MS (the service's), and for --without-indexes
 * BENCH_SAMPLES (7 sampled requests per shape).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import amqp from 'amqplib';
import { drizzle } from 'drizzle-orm/postgres-js';
import { loadConfig } from '@twenny/config';
import { connectDatabase } from '@twenny/db';
import { topologyNames, type DbExecutor } from '@twenny/messaging';
import { createTestIssuer, deleteRedisKeys, deleteTestTopology, infrastructure, uniquePrefix } from '@twenny/testing';
import { configSchema } from '../catalog-service/src/config.ts';
import { getEvent } from '../catalog-service/src/use-cases/get-event.ts';
import { createEventSearch } from '../catalog-service/src/use-cases/search-events.ts';
import { searchQueryFrom } from './lib/catalog-query.ts';
import type { LoadCommand, LoadReport, MeasuringNotice } from './lib/load.ts';
import { cpuSeconds, cpuSecondsOfAll, freePort, startPlatformProcess, startScript, stopChild, stopChildren, untilReady, type Started } from './lib/processes.ts';
import { createRandom } from './lib/random.ts';
import { row, f, median } from './lib/report.ts';

const { values: flags } = parseArgs({ options: { 'without-indexes': { type: 'boolean', default: false } } });
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 5);
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 2);
const roundCount = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const urlsPerShape = Number(process.env.BENCH_URLS ?? 300);
const seed = Number(process.env.BENCH_SEED ?? 1);
const cacheMs = Number(process.env.BENCH_CACHE_MS ?? 2000);
const stalenessSamples = Number(process.env.BENCH_STALENESS_SAMPLES ?? 5);
const explainSamples = Number(process.env.BENCH_SAMPLES ?? 7);
const minimumPublished = 100_000;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://twenny_catalog:twenny_catalog@127.0.0.1:5432/twenny';
// What the service and the ceiling read: the same schema, so the same defaults (pool size, facet TTL, typo threshold).
const passed = (names: string[]) => Object.fromEntries(names.filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]!]));
const sharedEnv: Record<string, string> = { DATABASE_URL: databaseUrl, ...passed(['DATABASE_POOL_MAX', 'CATALOG_FACETS_TTL_MS', 'CATALOG_TYPO_THRESHOLD']) };
const catalogConfig = loadConfig(configSchema, sharedEnv);
const ceilingFacetsTtlMs = Number(process.env.BENCH_CEILING_FACETS_TTL_MS ?? catalogConfig.CATALOG_FACETS_TTL_MS);


const random = createRandom(seed);

// ---------------------------------------------------------------------------
// The catalog: is the huge seed there, and what is in it

const database = connectDatabase({ url: databaseUrl, max: 2, applicationName: 'bench-catalog', settings: { 'pg_trgm.word_similarity_threshold': String(catalogConfig.CATALOG_TYPO_THRESHOLD) } });
const sql = database.sql;
const seedAdvice = 'load the huge seed first: npm run seed:huge -- --reset   (about a minute; --reset replaces the catalog\'s events)';

let published: number;
try {
  [{ published }] = (await sql`select count(*)::int as published from catalog.events where status = 'published'`) as unknown as [{ published: number }];
} catch (error) {
  console.error(`bench:catalog: cannot count catalog.events (${(error as Error).message}); ${seedAdvice}`);
  await database.close();
  process.exit(1);
}
if (published < minimumPublished) {
  console.error(`bench:catalog: catalog.events has ${f(published)} published events; the benchmark needs at least ${f(minimumPublished)}: ${seedAdvice}`);
  await database.close();
  process.exit(1);
}

const today = new Date(new Date().toISOString().slice(0, 10));
const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
const cities = ((await sql`
  select city, count(*)::int as count from catalog.events
  where status = 'published' and ends_at > now() group by city order by count desc, city limit 40`) as unknown as Array<{ city: string; count: number }>).map((r) => r.city);
const categories = ((await sql`
  select category, count(*)::int as count from catalog.events
  where status = 'published' and ends_at > now() group by category order by count desc, category`) as unknown as Array<{ category: string }>).map((r) => r.category);
// A reproducible sample of upcoming published events (ticket types visible to anyone), spread over the table.
const sampled = (await sql`
  select e.id, e.slug, e.title from catalog.events e tablesample bernoulli (1) repeatable (${seed})
  where e.status = 'published' and e.ends_at > now() + interval '1 day'
    and exists (select 1 from catalog.ticket_types t where t.event_id = e.id and not t.hidden)
  limit ${Math.max(urlsPerShape * 2, 600)}`) as unknown as Array<{ id: string; slug: string; title: string }>;

/** Encodes a query as the site would (URLSearchParams), skipping what is unset. */
const listing = (params: Record<string, string | number | boolean | undefined>) =>
  `/api/events?${new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]))}`;

function distinct(make: () => string, count: number): string[] {
  const urls = new Set<string>();
  for (let tries = 0; urls.size < count && tries < count * 50; tries++) urls.add(make());
  return random.shuffle([...urls]);
}

// 1. The home listing: the first page, only its size varying (so that answers differ). Its facet
// counts come from the whole-catalog summary. BENCH_HOME_DAYS adds `from` days: each is a query of its
// own whose facets are counted over every upcoming event (a few hundred ms of Postgres) once per
// CATALOG_FACETS_TTL_MS: a hundred such days keep two cores busy counting.
const homeDays = Number(process.env.BENCH_HOME_DAYS ?? 0);
const homeUrls = random.shuffle(
  [undefined, ...Array.from({ length: homeDays }, (_, i) => day(i))].flatMap((from) => Array.from({ length: 11 }, (_, i) => listing({ limit: 20 + i, from }))),
);

// 2. Filtered listings: city and category, free, price ranges, date ranges.
const priceRanges: Array<[number | undefined, number | undefined]> = [[undefined, 1_000], [undefined, 2_500], [1_000, 3_000], [2_000, 5_000], [5_000, 20_000], [10_000, undefined], [50_000, undefined]];
const filteredUrls = distinct(() => {
  const city = random.pick(cities.slice(0, 20));
  const category = random.pick(categories);
  const [minPrice, maxPrice] = random.pick(priceRanges);
  const from = random.int(0, 120);
  const range = { from: day(from), to: day(from + random.pick([7, 14, 30, 60])) };
  switch (random.int(0, 5)) {
    case 0: return listing({ city, category });
    case 1: return listing({ city, free: true });
    case 2: return listing({ category, minPrice, maxPrice });
    case 3: return listing({ city, ...range });
    case 4: return listing({ category, free: true, ...range });
    default: return listing({ city, category, minPrice, maxPrice, from: range.from });
  }
}, urlsPerShape);

// 3. Text searches: real title words, one or two; a quarter misspelled by one letter.
const titleWords = [...new Set(sampled.flatMap((e) => e.title.toLowerCase().split(/\s+/)).filter((w) => /^[a-z]{4,}$/.test(w)))];
const misspell = (word: string) => {
  const at = random.int(1, word.length - 2);
  const letters = 'abcdefghijklmnopqrstuvwxyz'.replace(word[at]!, '');
  return word.slice(0, at) + random.pick([...letters]) + word.slice(at + 1);
};
const searchUrls = distinct(() => {
  const roll = random.next();
  if (roll < 0.25) return listing({ q: misspell(random.pick(titleWords)) });
  if (roll < 0.5) {
    const words = random.pick(sampled).title.toLowerCase().split(/\s+/).filter((w) => /^[a-z]{3,}$/.test(w));
    if (words.length >= 2) {
      const start = random.int(0, words.length - 2);
      return listing({ q: `${words[start]} ${words[start + 1]}` });
    }
  }
  return listing({ q: random.pick(titleWords) });
}, urlsPerShape);

// 5. Event pages, by id or by slug.
const detailUrls = random.shuffle(sampled.slice(0, urlsPerShape).map((e, i) => `/api/events/${i % 2 ? e.slug : e.id}`));

// 4. Deep pages: listings walked page by page (through the gateway, below), their pages 20 to 50.
const deepBases = [
  listing({}),
  listing({ sort: 'newest' }),
  listing({ free: true }),
  ...cities.slice(0, 10).map((city) => listing({ city })),
  ...categories.slice(0, 8).map((category) => listing({ category })),
  ...Array.from({ length: 6 }, (_, i) => listing({ city: cities[i]!, category: categories[i % 3]! })),
  ...categories.slice(0, 3).map((category) => listing({ category, sort: 'newest' })),
];

interface Shape {
  name: string;
  urls: string[];
}

// ---------------------------------------------------------------------------
// --without-indexes: what each index is worth to each shape, by EXPLAIN ANALYZE

if (flags['without-indexes']) {
  try {
    await withoutIndexes();
  } finally {
    await database.close();
  }
  process.exit(process.exitCode ?? 0);
}

interface Captured {
  query: string;
  params: unknown[];
  facets: boolean;
}

async function withoutIndexes() {
  // Statements recorded as the catalog's own functions run them (facets counted on every
  // first page, as on a cache miss; facet counts recognised by their count(*)).
  let recording: Captured[] = [];
  const recorder = drizzle({ client: sql, logger: { logQuery: (query, params) => recording.push({ query, params, facets: /count\(\*\)/i.test(query) }) } }) as unknown as DbExecutor;
  const search = createEventSearch(recorder, { facetsTtlMs: 0 });
  /** The statements one request runs (and a listing's next cursor). */
  const capture = async (url: string): Promise<{ statements: Captured[]; nextCursor: string | null }> => {
    recording = [];
    const parsed = new URL(url, 'http://bench');
    if (parsed.pathname === '/api/events') {
      const page = await search(searchQueryFrom(Object.fromEntries(parsed.searchParams)));
      return { statements: recording, nextCursor: page.nextCursor };
    }
    await getEvent(recorder, decodeURIComponent(parsed.pathname.slice('/api/events/'.length)), undefined);
    return { statements: recording, nextCursor: null };
  };

  // Deep pages: a few base listings walked with the same functions, their pages 20–30 kept.
  const deep: string[] = [];
  for (const base of deepBases.slice(0, explainSamples)) {
    let cursor: string | null = null;
    for (let page = 1; page <= 30 && (page === 1 || cursor); page++) {
      const url: string = cursor ? `${base}&cursor=${cursor}` : base;
      if (page >= 20) deep.push(url);
      cursor = (await capture(url)).nextCursor;
    }
  }
  const shapes: Shape[] = [
    { name: 'home listing', urls: homeUrls.slice(0, explainSamples) },
    { name: 'filtered listings', urls: filteredUrls.slice(0, explainSamples) },
    { name: 'text search', urls: searchUrls.slice(0, explainSamples) },
    { name: 'pages 20–50', urls: random.shuffle(deep).slice(0, explainSamples) },
    // By id and by slug apart: each has an index of its own.
    { name: 'event page by id', urls: sampled.slice(0, explainSamples).map((e) => `/api/events/${e.id}`) },
    { name: 'event page by slug', urls: sampled.slice(0, explainSamples).map((e) => `/api/events/${e.slug}`) },
  ];
  const statements = new Map<string, Captured[][]>();
  for (const shape of shapes) {
    const sets: Captured[][] = [];
    for (const url of shape.urls) sets.push((await capture(url)).statements);
    statements.set(shape.name, sets);
  }

  const indexes = ((await sql`
    select indexname from pg_indexes
    where schemaname = 'catalog' and tablename = 'events'
      and (indexname like 'events\\_listing\\_%' or indexname in ('events_search_idx', 'events_title_trgm_idx', 'events_slug_idx', 'events_published_ends_idx'))
    order by indexname`) as unknown as Array<{ indexname: string }>).map((r) => r.indexname);

  interface Timing {
    page: { median: number; mean: number };
    facets: { median: number; mean: number };
    indexes: Set<string>;
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  /**
   * Per shape: the median and mean over sampled requests of the summed planning + execution
   * time of their statements, each statement the quicker of two runs (less of the machine's noise).
   */
  const explainAll = async (dropped: string | undefined) => {
    const result = new Map<string, Timing>();
    const rollback = new Error('rollback');
    await sql
      .begin(async (tx) => {
        await tx`set local lock_timeout = '10s'`;
        if (dropped) await tx.unsafe(`drop index catalog."${dropped}"`);
        for (const [name, sets] of statements) {
          const pages: number[] = [];
          const facets: number[] = [];
          const used = new Set<string>();
          for (const set of sets) {
            let page = 0;
            let facet = 0;
            for (const statement of set) {
              let ms = Infinity;
              for (let run = 0; run < 2; run++) {
                const [plan] = (await tx.unsafe(`explain (analyze, timing off, format json) ${statement.query}`, statement.params as never[])) as unknown as Array<{ 'QUERY PLAN': Array<{ 'Planning Time': number; 'Execution Time': number; Plan: unknown }> }>;
                const top = plan!['QUERY PLAN'][0]!;
                ms = Math.min(ms, top['Planning Time'] + top['Execution Time']);
                JSON.stringify(top.Plan, (key, value) => {
                  if (key === 'Index Name') used.add(value as string);
                  return value;
                });
              }
              if (statement.facets) facet += ms;
              else page += ms;
            }
            pages.push(page);
            facets.push(facet);
          }
          result.set(name, { page: { median: median(pages), mean: mean(pages) }, facets: { median: median(facets), mean: mean(facets) }, indexes: used });
        }
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    return result;
  };

  console.log(`\ncatalog benchmark --without-indexes — ${new Date().toISOString()} — node ${process.version}; database ${new URL(databaseUrl).pathname.slice(1)} as ${decodeURIComponent(new URL(databaseUrl).username)}: ${f(published)} published events`);
  console.log(`each index of catalog.events in turn dropped inside a transaction, then rolled back; ${explainSamples} sampled requests per shape, their statements (the catalog's own) under EXPLAIN (ANALYZE, TIMING OFF), the quicker of two runs: planning + execution ms per request, median · mean over the samples (× the median against all indexes); facet counts as the catalog runs them with CATALOG_FACETS_TTL_MS=0 (on every first page)\n`);
  await explainAll(undefined); // warms the caches: every variant then starts alike
  const all = await explainAll(undefined);
  const rows: Array<[string, Map<string, Timing>]> = [['(none: all indexes)', all]];
  for (const index of indexes) {
    process.stderr.write(`\rdropping ${index.padEnd(40)}`);
    rows.push([index, await explainAll(index)]);
  }
  process.stderr.write(`\r${' '.repeat(50)}\r`);
  const ms = (value: number) => f(value, value < 10 ? 2 : 1);
  const cell = (value: { median: number; mean: number }, baseline: { median: number }) => `${ms(value.median)} · ${ms(value.mean)}${baseline.median > 0 ? ` (×${f(value.median / baseline.median, 1)})` : ''}`;
  console.log(row(['index dropped', ...shapes.map((s) => `${s.name} ms`)]));
  console.log(row(['---', ...shapes.map(() => '---:')]));
  for (const [label, timings] of rows) console.log(row([label, ...shapes.map((s) => cell(timings.get(s.name)!.page, all.get(s.name)!.page))]));
  const first = shapes.slice(0, 3);
  console.log(`\nfacet counts of the first pages (reused for CATALOG_FACETS_TTL_MS by the service; ms as above):\n`);
  console.log(row(['index dropped', ...first.map((s) => `${s.name} facets ms`)]));
  console.log(row(['---', ...first.map(() => '---:')]));
  for (const [label, timings] of rows) console.log(row([label, ...first.map((s) => cell(timings.get(s.name)!.facets, all.get(s.name)!.facets))]));
  console.log(`\nindexes the plans use with all of them present:`);
  for (const shape of shapes) console.log(`- ${shape.name}: ${[...all.get(shape.name)!.indexes].sort().join(', ') || '(none)'}`);
}

// ---------------------------------------------------------------------------
// The HTTP benchmark

// Every outbox row not yet relayed would go to this benchmark's private exchange, where nobody hears it.
const [{ pending }] = (await sql`select count(*)::int as pending from catalog.outbox where published_at is null`) as unknown as [{ pending: number }];
if (pending > 0) {
  console.error(`bench:catalog: catalog.outbox holds ${pending} messages not yet relayed; the benchmark's catalog-service would relay them to a bus prefix of its own, where no one hears them. Start the platform (npm start) to relay them first.`);
  await database.close();
  process.exit(1);
}

const infra = await infrastructure();
const prefix = uniquePrefix();
const issuer = await createTestIssuer();
const jwks = await issuer.serve();
const ports = { catalog: await freePort(), gateway: await freePort(), ceiling: await freePort(), bare: await freePort(), nowhere: await freePort() };
const urls = {
  catalog: `http://127.0.0.1:${ports.catalog}`,
  gateway: `http://127.0.0.1:${ports.gateway}`,
  ceiling: `http://127.0.0.1:${ports.ceiling}`,
  bare: `http://127.0.0.1:${ports.bare}`,
  // The gateway's other upstreams: a port nothing listens on (public catalog routes never reach them).
  nowhere: `http://127.0.0.1:${ports.nowhere}`,
};

type PathName = 'gw' | 'ceiling';
type Cpu = Record<'hop' | 'app' | 'postgres', number | undefined>;
type Measured = LoadReport & { cpuMicrosPerRequest: Cpu };

/** One measurement's rounds as one figure: rates and CPU over all requests, the median p50, the worst p99. */
function combine(rounds: Measured[]): Measured {
  const sum = (pick: (m: Measured) => number) => rounds.reduce((total, m) => total + pick(m), 0);
  const requests = (m: Measured) => m.ok + m.failed;
  const cpu = (name: keyof Cpu) =>
    rounds.some((m) => m.cpuMicrosPerRequest[name] === undefined) ? undefined : sum((m) => m.cpuMicrosPerRequest[name]! * requests(m)) / sum(requests);
  const statuses: Record<string, number> = {};
  const headerCounts: Record<string, number> = {};
  for (const m of rounds) {
    for (const [code, count] of Object.entries(m.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
    for (const [value, count] of Object.entries(m.headerCounts ?? {})) headerCounts[value] = (headerCounts[value] ?? 0) + count;
  }
  return {
    requestsPerSecond: sum((m) => m.requestsPerSecond) / rounds.length,
    p50: median(rounds.map((m) => m.p50)),
    p99: Math.max(...rounds.map((m) => m.p99)),
    ok: sum((m) => m.ok),
    failed: sum((m) => m.failed),
    warmupRequests: sum((m) => m.warmupRequests),
    statuses,
    headerCounts,
    cpuMicrosPerRequest: { hop: cpu('hop'), app: cpu('app'), postgres: cpu('postgres') },
  };
}

/** What an answer says, to compare the two paths: the events of a page and its cursor, or an event's ticket types. */
function digest(body: Record<string, unknown>): string {
  if (Array.isArray(body.items)) return JSON.stringify([(body.items as Array<{ id: string }>).map((i) => i.id), body.nextCursor ?? null]);
  if (Array.isArray(body.ticketTypes)) return JSON.stringify([body.id, (body.ticketTypes as Array<{ id: string; available: number }>).map((t) => [t.id, t.available])]);
  return JSON.stringify(body);
}

let load: ChildProcess | undefined;
let catalog: Started | undefined;
const touched = new Map<string, Record<string, unknown> | undefined>();
const sentMessages: string[] = [];
let bus: amqp.ChannelModel | undefined;
try {
  const catalogEnv = (responseCacheMs: number): Record<string, string> => ({
    ...sharedEnv,
    PORT: String(ports.catalog),
    LOG_LEVEL: 'info',
    AMQP_URL: infra.amqpUrl,
    AMQP_PREFIX: `${prefix}.`,
    AUTH_JWKS_URL: jwks.url,
    AUTH_JWT_ISSUER: issuer.issuer,
    AUTH_JWT_AUDIENCE: issuer.audience,
    CATALOG_RESPONSE_CACHE_MS: String(responseCacheMs),
    // Its sweep of ended events runs once, at start, and not again during the run: each would be
    // background work in the figures, and its messages go to this run's bus prefix, heard by no one.
    CATALOG_END_SWEEP_MS: String(3_600_000),
  });
  const startCatalog = async (responseCacheMs: number) => {
    const started = startPlatformProcess('catalog-service', catalogEnv(responseCacheMs));
    try {
      await untilReady('catalog-service', `${urls.catalog}/health/ready`, started);
    } catch (error) {
      console.error(`catalog-service did not start, so nothing can be measured: ${(error as Error).message}`);
      console.error(started.stderr.slice(-20).join('\n'));
      process.exitCode = 1;
      throw error;
    }
    return started;
  };
  catalog = await startCatalog(0);

  const ceiling = startScript(fileURLToPath(new URL('./catalog-ceiling.ts', import.meta.url)), {
    ...sharedEnv,
    PORT: String(ports.ceiling),
    CATALOG_FACETS_TTL_MS: String(ceilingFacetsTtlMs),
  });
  const bare = startScript(fileURLToPath(new URL('./gateway-bare-proxy.ts', import.meta.url)), { PORT: String(ports.bare), BENCH_TARGET: urls.ceiling, BENCH_POOL_CONNECTIONS: String(connections) });
  const unlimited = String(1_000_000_000);
  const gateway = startPlatformProcess('gateway', {
    PORT: String(ports.gateway),
    LOG_LEVEL: 'info',
    AUTH_SERVICE_URL: urls.nowhere,
    CATALOG_SERVICE_URL: urls.catalog,
    ORDER_SERVICE_URL: urls.nowhere,
    MEDIA_SERVICE_URL: urls.nowhere,
    AUTH_JWKS_URL: jwks.url,
    AUTH_JWT_ISSUER: issuer.issuer,
    AUTH_JWT_AUDIENCE: issuer.audience,
    REDIS_URL: infra.redisUrl,
    REDIS_PREFIX: `${prefix}-gateway`,
    UPSTREAM_CONNECTIONS: String(connections),
    RATE_LIMIT_PER_ADDRESS: unlimited,
    RATE_LIMIT_PER_USER: unlimited,
  });
  await untilReady('the ceiling', `${urls.ceiling}/health/live`, ceiling);
  await untilReady('the bare proxy', `${urls.bare}/health/live`, bare);
  await untilReady('the gateway', `${urls.gateway}/health/ready`, gateway);

  const get = async (origin: string, path: string) => {
    const response = await fetch(`${origin}${path}`);
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: response.status, body, cache: response.headers.get('x-cache') };
  };

  // Deep pages: each base listing walked through the gateway, its cursors of pages 20–50 kept.
  const deep: string[] = [];
  const walk = async (base: string) => {
    let cursor: string | null = null;
    for (let page = 1; page <= 50; page++) {
      const url: string = cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base;
      if (page >= 20) deep.push(url);
      const { status, body } = await get(urls.gateway, url);
      if (status !== 200) throw new Error(`walking ${url} through the gateway: ${status} ${JSON.stringify(body)}`);
      cursor = (body.nextCursor as string | null) ?? null;
      if (!cursor) return;
    }
  };
  const bases = [...deepBases];
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let base = bases.shift(); base !== undefined; base = bases.shift()) await walk(base);
  }));
  const deepUrls = random.shuffle(deep).slice(0, urlsPerShape);

  const shapes: Shape[] = [
    { name: 'home listing', urls: homeUrls },
    { name: 'filtered listings', urls: filteredUrls },
    { name: 'text search', urls: searchUrls },
    { name: 'pages 20–50 (cursor)', urls: deepUrls },
    { name: 'event page', urls: detailUrls },
  ];

  // The two paths must give the same answers, or the comparison means nothing.
  const differences: string[] = [];
  let compared = 0;
  for (const shape of shapes) {
    for (const url of shape.urls.slice(0, 4)) {
      const [a, b] = await Promise.all([get(urls.gateway, url), get(urls.bare, url)]);
      compared++;
      if (a.status !== b.status || digest(a.body) !== digest(b.body)) differences.push(`${url}: gw ${a.status}, ceiling ${b.status}`);
    }
  }

  load = fork(fileURLToPath(new URL('./lib/load.ts', import.meta.url)));
  const watched = { hop: undefined as number | undefined, app: undefined as number | undefined };
  /** Runs the load on `origin` over `paths`; reports, besides autocannon's figures, CPU µs per request of the hop, the app behind it and Postgres. */
  const measure = (origin: string, paths: string[], hop: ChildProcess, app: ChildProcess, countHeader?: string) =>
    new Promise<Measured>((resolve) => {
      watched.hop = hop.pid;
      watched.app = app.pid;
      let before: Cpu = { hop: undefined, app: undefined, postgres: undefined };
      const sample = (): Cpu => ({ hop: cpuSeconds(watched.hop), app: cpuSeconds(watched.app), postgres: cpuSecondsOfAll('postgres') });
      const onMessage = (message: LoadReport | MeasuringNotice) => {
        if ('measuring' in message) {
          before = sample();
          return;
        }
        load!.off('message', onMessage);
        const after = sample();
        const requests = message.ok + message.failed;
        const perRequest = (name: keyof Cpu) => {
          const start = before[name];
          const end = after[name];
          return start === undefined || end === undefined || requests === 0 ? undefined : ((end - start) * 1e6) / requests;
        };
        resolve({ ...message, cpuMicrosPerRequest: { hop: perRequest('hop'), app: perRequest('app'), postgres: perRequest('postgres') } });
      };
      load!.on('message', onMessage);
      load!.send({ url: origin, paths, connections, warmupSeconds, durationSeconds, ...(countHeader && { countHeader }) } satisfies LoadCommand);
    });

  /**
   * Waits until neither catalog-service nor the ceiling has a statement running:
   * requests a run leaves in flight (autocannon stops, the apps' queued queries
   * do not) would otherwise slow the next run down, whichever path it measures.
   */
  const quiesce = async () => {
    const deadline = performance.now() + 60_000;
    for (let idle = 0; idle < 3 && performance.now() < deadline; ) {
      const [{ active }] = (await sql`
        select count(*)::int as active from pg_stat_activity
        where application_name in ('catalog-service', 'catalog-ceiling') and state = 'active'`) as unknown as [{ active: number }];
      idle = active === 0 ? idle + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  /** Rounds, each measuring every shape on both paths, in an order that turns each round (drift falls on all alike). */
  const runRounds = async (selected: Shape[], countHeader?: string) => {
    const rounds: Array<Map<string, Record<PathName, Measured>>> = [];
    for (let round = 0; round < roundCount; round++) {
      const measured = new Map<string, Record<PathName, Measured>>();
      for (let i = 0; i < selected.length; i++) {
        const shape = selected[(i + round) % selected.length]!;
        const order: PathName[] = (i + round) % 2 === 0 ? ['gw', 'ceiling'] : ['ceiling', 'gw'];
        const pair = {} as Record<PathName, Measured>;
        for (const path of order) {
          process.stderr.write(`\rround ${round + 1}/${roundCount}: ${shape.name}, ${path}`.padEnd(60));
          await quiesce();
          pair[path] = path === 'gw' ? await measure(urls.gateway, shape.urls, gateway.child, catalog!.child, countHeader) : await measure(urls.bare, shape.urls, bare.child, ceiling.child);
        }
        measured.set(shape.name, pair);
      }
      rounds.push(measured);
    }
    process.stderr.write(`\r${' '.repeat(60)}\r`);
    return selected.map((shape) => ({
      shape,
      gw: combine(rounds.map((r) => r.get(shape.name)!.gw)),
      ceiling: combine(rounds.map((r) => r.get(shape.name)!.ceiling)),
      byRound: rounds.map((r) => r.get(shape.name)!.gw.requestsPerSecond / r.get(shape.name)!.ceiling.requestsPerSecond),
    }));
  };

  const main = await runRounds(shapes);

  // With the response cache on: catalog-service restarted on the same port.
  await stopChild(catalog.child);
  catalog = await startCatalog(cacheMs);
  const cachedShapes = [shapes[0]!, shapes[4]!];
  const cached = await runRounds(cachedShapes, 'x-cache');

  // How old a cached availability gets: publish new numbers for a ticket type, time until the gateway shows them.
  bus = await amqp.connect(infra.amqpUrl);
  const channel = await bus.createConfirmChannel();
  const exchange = topologyNames(`${prefix}.`).exchange;
  const staleness: Array<{ event: string; ceiling: number | undefined; gw: number | undefined }> = [];
  const available = (body: Record<string, unknown>, ticketTypeId: string) => (body.ticketTypes as Array<{ id: string; available: number }> | undefined)?.find((t) => t.id === ticketTypeId)?.available;
  const timeUntil = async (origin: string, path: string, ticketTypeId: string, expected: number, since: number) => {
    const deadline = since + 15_000;
    while (performance.now() < deadline) {
      const { body } = await get(origin, path);
      if (available(body, ticketTypeId) === expected) return performance.now() - since;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return undefined;
  };
  await quiesce();
  // Every answer the load cached has expired: each event's first fetch below caches it afresh.
  await new Promise((resolve) => setTimeout(resolve, cacheMs + 100));
  for (const event of sampled.slice(0, stalenessSamples)) {
    const path = `/api/events/${event.id}`;
    // Cached just now (a miss): the answer stays cached the longest it can.
    const before = await get(urls.gateway, path);
    const ticketType = (before.body.ticketTypes as Array<{ id: string; available: number; capacity: number }>)[0]!;
    const [previous] = (await sql`select * from catalog.availability where ticket_type_id = ${ticketType.id}`) as unknown as Array<Record<string, unknown> & { version: number }>;
    if (!touched.has(ticketType.id)) touched.set(ticketType.id, previous);
    const next = ticketType.available > 0 ? ticketType.available - 1 : Math.min(1, ticketType.capacity);
    const id = randomUUID();
    sentMessages.push(id);
    const envelope = {
      id,
      type: 'order.inventory.changed.v1',
      source: 'order-service',
      time: new Date().toISOString(),
      subject: ticketType.id,
      version: (previous?.version ?? 0) + 1,
      data: { ticketTypeId: ticketType.id, eventId: event.id, capacity: ticketType.capacity, held: ticketType.capacity - next, sold: 0, available: next },
    };
    const since = performance.now();
    channel.publish(exchange, envelope.type, Buffer.from(JSON.stringify(envelope)), { messageId: id, type: envelope.type, contentType: 'application/json', persistent: true });
    await channel.waitForConfirms();
    const [ceilingMs, gwMs] = await Promise.all([timeUntil(urls.bare, path, ticketType.id, next, since), timeUntil(urls.gateway, path, ticketType.id, next, since)]);
    staleness.push({ event: event.slug, ceiling: ceilingMs, gw: gwMs });
  }

  // ------------------------------------------------------------------------
  // Report

  const facetsNote = ceilingFacetsTtlMs === catalogConfig.CATALOG_FACETS_TTL_MS ? `both reuse facet counts ${catalogConfig.CATALOG_FACETS_TTL_MS} ms` : `facet counts reused ${catalogConfig.CATALOG_FACETS_TTL_MS} ms by catalog-service, ${ceilingFacetsTtlMs} ms by the ceiling`;
  console.log(`\ncatalog benchmark — ${new Date().toISOString()} — node ${process.version}; autocannon in a child process, ${connections} connections; ${roundCount} round${roundCount > 1 ? 's' : ''} of ${warmupSeconds} s warm-up + ${durationSeconds} s per path per shape`);
  console.log(`database ${new URL(databaseUrl).pathname.slice(1)} as ${decodeURIComponent(new URL(databaseUrl).username)}: ${f(published)} published events; catalog-service and ceiling: ${catalogConfig.DATABASE_POOL_MAX} pooled connections each, pg_trgm.word_similarity_threshold ${catalogConfig.CATALOG_TYPO_THRESHOLD}, ${facetsNote}`);
  console.log(`(gw) gateway → catalog-service as npm start runs them (telemetry preloaded, info logs, rate limits counted), response cache off (CATALOG_RESPONSE_CACHE_MS=0)`);
  console.log(`(ceiling) bare undici hop → Express 5 + postgres.js calling the catalog's own use-case functions (the same SQL): no validation, identity, logs, telemetry or response cache`);
  console.log(`each shape: its URLs requested in turn (seed ${seed}); req/s and CPU over all rounds; p50 the median round's, p99 the worst round's; CPU µs per request from /proc (Postgres: all its processes)\n`);
  const micros = (value: number | undefined) => (value === undefined ? 'n/a' : f(value));
  const table = (results: Awaited<ReturnType<typeof runRounds>>, gwLabel: string, ceilingLabel: string) => {
    console.log(row(['shape', 'URLs', 'path', 'req/s', 'p50 ms', 'p99 ms', 'not 2xx', 'hop CPU µs/req', 'app CPU µs/req', 'Postgres CPU µs/req']));
    console.log(row(['---', '---:', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
    for (const { shape, gw, ceiling: c } of results) {
      for (const [label, m] of [[gwLabel, gw], [ceilingLabel, c]] as const) {
        console.log(row([shape.name, f(shape.urls.length), label, f(m.requestsPerSecond), f(m.p50, 1), f(m.p99, 1), f(m.failed), micros(m.cpuMicrosPerRequest.hop), micros(m.cpuMicrosPerRequest.app), micros(m.cpuMicrosPerRequest.postgres)]));
      }
    }
  };
  const shownRatio = (ratio: number) => (Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a');
  const cpuRatio = (gw: Measured, c: Measured) => {
    const total = (m: Measured) => (m.cpuMicrosPerRequest.hop === undefined || m.cpuMicrosPerRequest.app === undefined ? undefined : m.cpuMicrosPerRequest.hop + m.cpuMicrosPerRequest.app);
    const [a, b] = [total(gw), total(c)];
    return a === undefined || b === undefined || b === 0 ? 'n/a' : (a / b).toFixed(2);
  };
  table(main, '(gw) gateway → catalog-service', '(ceiling) bare hop → ceiling');
  console.log(`\nratio gw/ceiling (req/s), target ≥ 0.70 with the response cache off:\n`);
  console.log(row(['shape', 'gw/ceiling', 'target ≥ 0.70', 'by round', 'CPU per request (hop + app), gw/ceiling']));
  console.log(row(['---', '---:', '---', '---', '---:']));
  for (const { shape, gw, ceiling: c, byRound } of main) {
    const ratio = gw.requestsPerSecond / c.requestsPerSecond;
    console.log(row([shape.name, shownRatio(ratio), !Number.isFinite(ratio) ? 'n/a' : ratio >= 0.7 ? 'met' : 'not met', byRound.map(shownRatio).join(', '), cpuRatio(gw, c)]));
  }
  console.log(`\nanswers compared before measuring (first 4 URLs of each shape): ${compared - differences.length} of ${compared} the same on both paths${differences.length ? `; differing:\n${differences.map((d) => `  ${d}`).join('\n')}` : ''}`);
  for (const { shape, gw, ceiling: c } of main) {
    if (gw.failed > 0) console.log(`(gw) ${shape.name} statuses: ${JSON.stringify(gw.statuses)}`);
    if (c.failed > 0) console.log(`(ceiling) ${shape.name} statuses: ${JSON.stringify(c.statuses)}`);
  }

  console.log(`\nwith the response cache on (catalog-service restarted with CATALOG_RESPONSE_CACHE_MS=${cacheMs}) against the same, uncached ceiling:\n`);
  table(cached, `(gw) gateway → catalog-service, cache ${cacheMs} ms`, '(ceiling) bare hop → ceiling, uncached');
  console.log('');
  console.log(row(['shape', 'gw/ceiling', 'target ≥ 1.0', 'by round', 'x-cache hit rate (measured runs)']));
  console.log(row(['---', '---:', '---', '---', '---:']));
  for (const { shape, gw, ceiling: c, byRound } of cached) {
    const ratio = gw.requestsPerSecond / c.requestsPerSecond;
    const counts = gw.headerCounts ?? {};
    const hits = counts.hit ?? 0;
    const misses = counts.miss ?? 0;
    const hitRate =
      hits + misses > 0 ? `${((100 * hits) / (hits + misses)).toFixed(1)}% (${f(hits)} hits, ${f(misses)} misses${counts['(none)'] ? `, ${f(counts['(none)'])} without the header` : ''})`
      : counts['(none)'] ? 'n/a (no x-cache header)'
      : 'n/a (no answers)';
    console.log(row([shape.name, shownRatio(ratio), !Number.isFinite(ratio) ? 'n/a' : ratio >= 1 ? 'met' : 'not met', byRound.map(shownRatio).join(', '), hitRate]));
  }
  const shown = (ms: number | undefined) => (ms === undefined ? 'not within 15 s' : f(ms));
  console.log(`\nhow old a cached availability gets: new numbers for a ticket type published on the bus (order.inventory.changed.v1) right after the gateway cached the event page; ms until the answer shows them:\n`);
  console.log(row(['event', 'ceiling (bus + projection, uncached) ms', 'gateway → catalog-service (cached) ms', 'of which the response cache ms']));
  console.log(row(['---', '---:', '---:', '---:']));
  for (const s of staleness) console.log(row([s.event, shown(s.ceiling), shown(s.gw), s.gw !== undefined && s.ceiling !== undefined ? f(Math.max(0, s.gw - s.ceiling)) : 'n/a']));
  const worst = staleness.map((s) => s.gw).filter((ms): ms is number => ms !== undefined);
  console.log(`\nstalest cached availability: ${worst.length ? `${f(Math.max(...worst))} ms` : 'n/a'} (cache ${cacheMs} ms)${worst.length < staleness.length ? `; ${staleness.length - worst.length} not shown within 15 s` : ''}`);
} finally {
  load?.kill();
  await stopChildren();
  await jwks.close();
  await bus?.close().catch(() => undefined);
  // The availability rows the staleness probe changed, as they were.
  for (const [ticketTypeId, previous] of touched) {
    await (previous
      ? sql`update catalog.availability set capacity = ${previous.capacity as number}, held = ${previous.held as number}, sold = ${previous.sold as number}, available = ${previous.available as number}, version = ${previous.version as number}, updated_at = ${previous.updated_at as Date} where ticket_type_id = ${ticketTypeId}`
      : sql`delete from catalog.availability where ticket_type_id = ${ticketTypeId}`
    ).catch((error: unknown) => console.error(`could not restore the availability of ${ticketTypeId}: ${(error as Error).message}`));
  }
  if (sentMessages.length) await sql`delete from catalog.inbox where message_id in ${sql(sentMessages)}`.catch(() => undefined);
  // catalog-service declared the whole topology (every subscriber's queues) under this prefix.
  await deleteTestTopology(infra.amqpUrl, `${prefix}.`).catch(() => undefined);
  await deleteRedisKeys(infra.redisUrl, `${prefix}-`);
  await database.close();
}
