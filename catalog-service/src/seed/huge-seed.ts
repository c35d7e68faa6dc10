/**
 * `npm run seed:huge -- [--events N] [--reset]`: fills catalog-service's
 * schema with a realistic, reproducible catalog (default 300,000 events with
 * about a million ticket types) to measure listings and search against.
 *
 * Prepares the database first as `npm start` and the service would (database,
 * roles, migrations; all idempotent), then loads venues, events and ticket types
 * with COPY, one transaction per table, and ANALYZEs them. Rows are generated
 * lazily from a seeded PRNG: the ticket-type pass generates the events again
 * instead of remembering a million rows. Seeded events never went on the bus:
 * `npm run seed:huge` (scripts/seed-huge.ts) goes on with order-service's seed
 * (order-service/src/seed/huge-orders-seed.ts), which gives order-service the
 * events and their sales, and this schema the availability that goes with them.
 * Run alone, this file loads the catalog only.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chunkedSync, connectDatabase, copyInto, copyNull, copyText as copyEscaped, count, createProgress, ensureDatabaseExists, provisionDatabase, runMigrations, serviceDatabases, type Database, type Progress, type Table, type TableLoad } from '@twenny/db';
import { localDefaults } from '@twenny/dev-infra';
import { safeUrl } from '@twenny/logger';
import { categories, type CategorySlug } from '../domain/categories.ts';
import { priceRange, type EventStatus } from '../domain/event-rules.ts';
import { toInstant } from '@twenny/time';
import { eventSlug } from '../domain/slug.ts';
import { categoryContent, cities, currencies, descriptionEndings, hiddenTicketNames, ticketDescriptions, venueWords, type CategoryContent, type City } from './seed-data.ts';

type Sql = Database['sql'];

export interface SeedOptions {
  events: number;
  /** Delete the catalog's events, ticket types, venues and availability first. */
  reset: boolean;
  /** Receives the progress line (starting with "\r") about twice a second. */
  progress?: (text: string) => void;
}

export interface SeedSummary {
  tables: TableLoad[];
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

/** What the seed reports as a plain message, without a stack: bad options, a catalog not empty, Postgres out of reach. */
export class SeedError extends Error {}

export const defaultEvents = 300_000;
/** Event ids start with a 24-bit bijection of the event's number (see eventIdHead). */
export const maxEvents = 2 ** 24;
const prngSeed = 0x5eed2026;
const eventsPerOrganization = 150;
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
/** The most a ticket may cost in minor units, as the API accepts it. */
const maxPriceMinor = 100_000_000;

// ---------------------------------------------------------------------------
// Loading

/** Loads a generated catalog of `options.events` events; refuses a catalog that has one unless `reset`. */
export async function seedCatalog(sql: Sql, options: SeedOptions): Promise<SeedSummary> {
  const startedAt = performance.now();
  await makeRoom(sql, options.reset);
  const now = Date.now();
  const plan = () => createPlan(options.events, now);
  const progress = createProgress(options.progress);
  try {
    const { organizations } = plan();
    const venues = organizations.flatMap((o) => o.venues);
    const venueLoad = await load(sql, venueTable, venues.map(venueRow), venues.length, progress);

    // The events pass counts the ticket types, which the second pass then loads.
    let ticketTypeCount = 0;
    function* eventRows() {
      for (const event of plan().events) {
        ticketTypeCount += event.ticketTypes.length;
        yield eventRow(event);
      }
    }
    function* ticketTypeRows() {
      for (const event of plan().events) for (const ticketType of event.ticketTypes) yield ticketTypeRow(event, ticketType);
    }
    const eventLoad = await load(sql, eventTable, eventRows(), options.events, progress);
    const ticketTypeLoad = await load(sql, ticketTypeTable, ticketTypeRows(), ticketTypeCount, progress);

    await sql`analyze catalog.events, catalog.ticket_types, catalog.venues`;
    const tables = [venueLoad, eventLoad, ticketTypeLoad];
    const rows = tables.reduce((sum, t) => sum + t.rows, 0);
    const seconds = (performance.now() - startedAt) / 1000;
    return { tables, rows, seconds, rowsPerSecond: rows / seconds };
  } finally {
    progress.stop();
  }
}

/**
 * Refuses to add to a catalog that has events or venues unless told to delete it
 * first: venue ids repeat from run to run, so even the venues of a load that
 * failed halfway would clash.
 */
async function makeRoom(sql: Sql, reset: boolean): Promise<void> {
  if (reset) {
    await sql`truncate catalog.ticket_types, catalog.events, catalog.venues, catalog.availability`;
    return;
  }
  const [existing] = await sql<{ events: number; venues: number }[]>`
    select (select count(*) from catalog.events)::int as events, (select count(*) from catalog.venues)::int as venues`;
  if (existing!.events > 0 || existing!.venues > 0) {
    throw new SeedError(`the catalog already has ${count(existing!.events)} events and ${count(existing!.venues)} venues; run with --reset to delete them (with their ticket types and availability) first`);
  }
}

async function load(sql: Sql, table: Table, rows: Iterable<Field[]>, total: number, progress: Progress): Promise<TableLoad> {
  progress.start(table.name, total);
  await copyInto(sql, table, chunkedSync(copyLines(rows), progress.add));
  return progress.end();
}

export function formatSummary(summary: SeedSummary): string {
  const lines = summary.tables.map((t) => `  ${t.table.padEnd(21)} ${count(t.rows).padStart(9)} rows  ${t.seconds.toFixed(1).padStart(6)} s  ${count(Math.round(t.rows / t.seconds)).padStart(7)} rows/s`);
  return `seeded the catalog: ${count(summary.rows)} rows in ${summary.seconds.toFixed(1)} s (${count(Math.round(summary.rowsPerSecond))} rows/s, ANALYZE included)\n${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// COPY text format

type Field = string | number | boolean | null | readonly string[];

function copyField(value: Field): string {
  if (value === null) return copyNull;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return copyEscaped(typeof value === 'string' ? value : arrayLiteral(value));
}

/** `{"a","b \"c\""}`: every element quoted, so commas, braces and spaces need no more thought. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** Rows as COPY text lines. */
function* copyLines(rows: Iterable<Field[]>): Generator<string> {
  for (const row of rows) yield `${row.map(copyField).join('\t')}\n`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

// Each table's columns, then its row in the same order. Not written: defaults
// (events' cover_image) and the generated search column.

const venueTable: Table = {
  name: 'catalog.venues',
  columns: ['id', 'organization_id', 'name', 'address', 'city', 'country', 'latitude', 'longitude', 'time_zone', 'created_at'],
};
const venueRow = (v: Venue): Field[] => [v.id, v.organizationId, v.name, v.address, v.city.name, v.city.country, v.latitude, v.longitude, v.city.timeZone, iso(v.createdAt)];

const eventTable: Table = {
  name: 'catalog.events',
  columns: ['id', 'organization_id', 'venue_id', 'slug', 'title', 'description', 'category', 'tags', 'city', 'country', 'venue_name', 'time_zone', 'starts_at', 'ends_at', 'currency', 'refundable_until_hours', 'status', 'first_published_at', 'published_at', 'min_price_minor', 'max_price_minor', 'version', 'created_at', 'updated_at'],
};
const eventRow = (e: SeedEvent): Field[] => [
  e.id, e.organizationId, e.venue.id, e.slug, e.title, e.description, e.category, e.tags, e.venue.city.name, e.venue.city.country, e.venue.name, e.venue.city.timeZone,
  iso(e.startsAt), iso(e.endsAt), e.venue.city.currency, e.refundableUntilHours, e.status, isoOrNull(e.firstPublishedAt), isoOrNull(e.publishedAt),
  e.minPriceMinor, e.maxPriceMinor, e.version, iso(e.createdAt), iso(e.updatedAt),
];

const ticketTypeTable: Table = {
  name: 'catalog.ticket_types',
  columns: ['id', 'event_id', 'name', 'description', 'price_minor', 'capacity', 'sales_start_at', 'sales_end_at', 'min_per_order', 'max_per_order', 'sort_order', 'hidden', 'created_at', 'updated_at'],
};
const ticketTypeRow = (e: SeedEvent, t: SeedTicketType): Field[] => [
  t.id, e.id, t.name, t.description, t.priceMinor, t.capacity, isoOrNull(t.salesStartAt), isoOrNull(t.salesEndAt),
  t.minPerOrder, t.maxPerOrder, t.sortOrder, t.hidden, iso(e.createdAt), iso(e.updatedAt),
];

// ---------------------------------------------------------------------------
// Generation

/** mulberry32: tiny and fast, with a 32-bit state; ample for test data, and reproducible. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const u32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = () => u32() / 2 ** 32;
  return {
    u32,
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    /** An integer in [from, to). */
    between: (from: number, to: number) => from + Math.floor(next() * (to - from)),
    /** Spread evenly over orders of magnitude: as many 100s as 1,000s. */
    logUniform: ([min, max]: readonly [number, number]) => min * (max / min) ** next(),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    /** `n` different items, in random order. */
    some: <T>(items: readonly T[], n: number): T[] => {
      const pool = [...items];
      for (let i = 0; i < n; i++) {
        const j = i + Math.floor(next() * (pool.length - i));
        [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      }
      return pool.slice(0, n);
    },
  };
}
type Random = ReturnType<typeof createRandom>;

function weightedPicker<T>(items: readonly T[], weight: (item: T) => number): (random: Random) => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (const item of items) cumulative.push((sum += weight(item)));
  return (random) => {
    const target = random.next() * sum;
    return items[cumulative.findIndex((c) => target < c)]!;
  };
}

const pickCity = weightedPicker(cities, (c) => c.weight);
const pickCategory = weightedPicker(categories.map((c) => c.slug), (slug) => categoryContent[slug].weight);
/** 1 to 6 ticket types, 3.3 on average. */
const pickTicketTypeCount = weightedPicker([[1, 10], [2, 20], [3, 25], [4, 25], [5, 12], [6, 8]] as const, ([, w]) => w);

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');

/** A version-4 UUID from the PRNG, beginning with `head` (24 bits) when given. */
function uuid(random: Random, head = random.u32() >>> 8): string {
  const d = hex(head, 6) + hex(random.u32(), 8) + hex(random.u32(), 8) + hex(random.u32(), 8) + hex(random.u32() >>> 24, 2);
  // The version digit and the variant bits, as randomUUID() sets them.
  const variant = '89ab'[Number.parseInt(d[16]!, 16) & 3];
  return `${d.slice(0, 8)}-${d.slice(8, 12)}-4${d.slice(13, 16)}-${variant}${d.slice(17, 20)}-${d.slice(20, 32)}`;
}

/**
 * The first 24 bits of event number `n`'s id: a bijection (xorshifts and odd
 * multipliers, modulo 2^24), so no two events share them. A slug is the title
 * plus those six hex digits, so slugs never clash (events_slug_idx is unique)
 * without remembering every slug made.
 */
function eventIdHead(n: number): number {
  let x = (n + 0x5bd1e9) & 0xffffff;
  x = Math.imul(x ^ (x >>> 12), 0x2c1b3d) & 0xffffff;
  x = Math.imul(x ^ (x >>> 11), 0x297a2d) & 0xffffff;
  return x ^ (x >>> 12);
}

interface Organization {
  id: string;
  /** What it mostly organises. */
  category: CategorySlug;
  venues: Venue[];
}

interface Venue {
  id: string;
  organizationId: string;
  name: string;
  address: string;
  city: City;
  latitude: number;
  longitude: number;
  createdAt: number;
}

interface SeedTicketType {
  id: string;
  name: string;
  description: string;
  priceMinor: number;
  capacity: number;
  salesStartAt: number | null;
  salesEndAt: number | null;
  minPerOrder: number;
  maxPerOrder: number;
  sortOrder: number;
  hidden: boolean;
}

interface Lifecycle {
  status: EventStatus;
  createdAt: number;
  firstPublishedAt: number | null;
  publishedAt: number | null;
  updatedAt: number;
  version: number;
}

interface SeedEvent extends Lifecycle {
  id: string;
  organizationId: string;
  venue: Venue;
  slug: string;
  title: string;
  description: string;
  category: CategorySlug;
  tags: string[];
  startsAt: number;
  endsAt: number;
  refundableUntilHours: number | null;
  minPriceMinor: number | null;
  maxPriceMinor: number | null;
  ticketTypes: SeedTicketType[];
}

/**
 * The whole catalog from the same seed: organisations and their venues now,
 * events lazily. Each call gives the same catalog (for the same `now`).
 */
function createPlan(eventCount: number, now: number) {
  const random = createRandom(prngSeed);
  const organizations = Array.from({ length: Math.ceil(eventCount / eventsPerOrganization) }, () => createOrganization(random, now));
  function* events(): Generator<SeedEvent> {
    for (let n = 0; n < eventCount; n++) yield createEvent(random, n, organizations, now);
  }
  return { organizations, events: events() };
}

function createOrganization(random: Random, now: number): Organization {
  const id = uuid(random);
  const home = pickCity(random);
  // Mostly in their own city; some also book a venue elsewhere.
  const venues = Array.from({ length: random.pick([1, 1, 2, 2, 3, 4, 6]) }, () => createVenue(random, id, random.chance(0.85) ? home : pickCity(random), now));
  return { id, category: pickCategory(random), venues };
}

function createVenue(random: Random, organizationId: string, city: City, now: number): Venue {
  const { adjectives, nouns, streets } = venueWords;
  const roll = random.next();
  const name =
    roll < 0.4 ? `${random.pick(adjectives)} ${random.pick(nouns)}`
    : roll < 0.7 ? `The ${random.pick(adjectives)} ${random.pick(nouns)}`
    : roll < 0.9 ? `${city.name} ${random.pick(nouns)}`
    : `${random.pick(nouns)} ${random.int(1, 99)}`;
  // Within a few kilometres of the centre.
  const spread = 0.05;
  return {
    id: uuid(random),
    organizationId,
    name,
    address: `${random.pick(streets)} ${random.int(1, 250)}`,
    city,
    latitude: round(city.latitude + (random.next() - 0.5) * 2 * spread, 5),
    longitude: round(city.longitude + ((random.next() - 0.5) * 2 * spread) / Math.cos((city.latitude * Math.PI) / 180), 5),
    createdAt: now - random.between(400 * day, 1500 * day),
  };
}

const round = (n: number, decimals: number) => Math.round(n * 10 ** decimals) / 10 ** decimals;

function createEvent(random: Random, n: number, organizations: readonly Organization[], now: number): SeedEvent {
  // A few organisers run most events.
  const organization = organizations[Math.floor(random.next() ** 1.5 * organizations.length)]!;
  const venue = random.pick(organization.venues);
  const category = random.chance(0.7) ? organization.category : pickCategory(random);
  const content = categoryContent[category];
  const subject = random.pick(content.subjects);
  const { startsAt, endsAt } = createSchedule(random, content, venue.city, now);
  const title = createTitle(random, content, subject, venue, startsAt);
  const id = uuid(random, eventIdHead(n));
  const lifecycle = createLifecycle(random, startsAt, endsAt, now);
  const ticketTypes = createTicketTypes(random, content, venue.city.currency, { startsAt, createdAt: lifecycle.createdAt });
  const prices = priceRange(ticketTypes);
  return {
    ...lifecycle,
    id,
    organizationId: organization.id,
    venue,
    slug: eventSlug(title, id),
    title,
    description: createDescription(random, content, subject, title, venue),
    category,
    tags: [...new Set([subject.toLowerCase(), ...random.some(content.tags, random.int(1, 3))])],
    startsAt,
    endsAt,
    refundableUntilHours: random.pick([null, null, null, 0, 24, 48, 48, 72, 168]),
    minPriceMinor: prices.min,
    maxPriceMinor: prices.max,
    ticketTypes,
  };
}

/** From two months ago to eighteen months ahead, at a local hour usual for the category. */
function createSchedule(random: Random, content: CategoryContent, city: City, now: number) {
  const date = iso(now + random.int(-60, 540) * day).slice(0, 10);
  const time = `${String(random.pick(content.startHours)).padStart(2, '0')}:${random.pick(['00', '00', '30'])}`;
  const startsAt = toInstant(`${date}T${time}`, city.timeZone)!.getTime();
  const minutes = Math.round(random.logUniform(content.minutes) / 15) * 15;
  return { startsAt, endsAt: startsAt + minutes * minute };
}

function createTitle(random: Random, content: CategoryContent, subject: string, venue: Venue, startsAt: number): string {
  const format = random.pick(content.formats);
  const roll = random.next();
  const title =
    roll < 0.3 ? `${venue.city.name} ${subject} ${format}`
    : roll < 0.6 ? `${random.pick(content.adjectives)} ${subject} ${format}`
    : roll < 0.9 ? `${subject} ${format}`
    : `${subject} ${format} at ${venue.name}`;
  // Series number their editions; annual events carry the year.
  const edition = random.next();
  return edition < 0.06 ? `${title} Vol. ${random.int(2, 12)}` : edition < 0.1 ? `${title} ${new Date(startsAt).getUTCFullYear()}` : title;
}

/** An opening line, two sentences about the subject and a practical note, in paragraphs. */
function createDescription(random: Random, content: CategoryContent, subject: string, title: string, venue: Venue): string {
  const about = random.some(content.blurbs, 2).map((b) => b.replaceAll('{subject}', subject).replaceAll('{city}', venue.city.name));
  return [`${title} at ${venue.name}, ${venue.city.name}.`, about.join(' '), random.pick(descriptionEndings)].filter(Boolean).join('\n\n');
}

/**
 * Created weeks or months ahead (never after now); most published within days,
 * some still drafts, a few cancelled; published events that are over have ended.
 */
function createLifecycle(random: Random, startsAt: number, endsAt: number, now: number): Lifecycle {
  const createdAt = Math.min(startsAt - random.between(3 * day, 150 * day), now - random.between(minute, 30 * day));
  const roll = random.next();
  const status: EventStatus = roll < 0.08 ? 'draft' : roll < 0.12 ? 'cancelled' : endsAt <= now ? 'ended' : 'published';
  if (status === 'draft') return { status, createdAt, firstPublishedAt: null, publishedAt: null, updatedAt: random.between(createdAt, now), version: random.int(1, 3) };
  const lastPublishable = Math.min(now, startsAt);
  const firstPublishedAt = random.between(createdAt, Math.min(createdAt + 5 * day, lastPublishable));
  // Some were unpublished for a while and published again.
  const republished = random.chance(0.05);
  const publishedAt = republished ? random.between(firstPublishedAt, lastPublishable) : firstPublishedAt;
  const changes = 1 + (republished ? 2 : 0) + (status === 'cancelled' ? 1 : 0) + random.int(0, 3);
  return { status, createdAt, firstPublishedAt, publishedAt, updatedAt: random.between(publishedAt, now), version: 1 + changes };
}

/**
 * Consecutive tiers of the category (prices rise in its usual steps); the first
 * free for a free event; now and then a hidden guest-list type at the end.
 */
function createTicketTypes(random: Random, content: CategoryContent, currency: string, event: { startsAt: number; createdAt: number }): SeedTicketType[] {
  const [size] = pickTicketTypeCount(random);
  const hiddenOne = size > 1 && random.chance(0.1);
  const visible = hiddenOne ? size - 1 : size;
  const free = random.chance(content.freeShare);
  const firstTier = random.int(0, content.tiers.length - visible);
  // Some events are pricier than others, the same across their tiers.
  const priceLevel = random.logUniform([0.6, 1.6]);
  const capacityPerTier = random.logUniform(content.capacity) / visible;
  const types = content.tiers.slice(firstTier, firstTier + visible).map((tier, i): SeedTicketType => {
    const isFree = free && i === 0;
    const capacity = roundCapacity(capacityPerTier * random.logUniform([0.5, 2]));
    const salesStartAt = random.chance(0.2) ? Math.min(event.createdAt + random.between(day, 14 * day), event.startsAt) : null;
    return {
      id: uuid(random),
      name: isFree ? content.freeTicket : tier.name,
      description: random.chance(0.4) ? random.pick(ticketDescriptions) : '',
      priceMinor: isFree ? 0 : priceMinor(content.basePriceEuro * tier.factor * priceLevel, currency),
      capacity,
      salesStartAt,
      salesEndAt: salesEnd(random, tier.name, event.startsAt, salesStartAt ?? event.createdAt),
      minPerOrder: random.chance(0.03) && capacity >= 2 ? 2 : 1,
      maxPerOrder: random.pick([4, 6, 8, 10, 10, 10, 20]),
      sortOrder: i,
      hidden: false,
    };
  });
  if (!hiddenOne) return types;
  const guests: SeedTicketType = {
    id: uuid(random),
    name: random.pick(hiddenTicketNames),
    description: '',
    priceMinor: 0,
    capacity: random.int(5, 50),
    salesStartAt: null,
    salesEndAt: null,
    minPerOrder: 1,
    maxPerOrder: 10,
    sortOrder: visible,
    hidden: true,
  };
  return [...types, guests];
}

/**
 * Early birds stop a month before the start; other tiers often at or shortly
 * before it; the rest sell until the event ends. Never at or before `opensAt`.
 */
function salesEnd(random: Random, tierName: string, startsAt: number, opensAt: number): number | null {
  const end = tierName.startsWith('Early') ? startsAt - 30 * day : random.chance(0.4) ? startsAt - random.pick([0, hour, 2 * hour, day]) : null;
  return end !== null && end > opensAt ? end : null;
}

/** A price in the currency's minor units, rounded to two significant digits as organisers do (€37, ¥4,600). */
function priceMinor(euros: number, currency: string): number {
  const { perEuro, digits } = currencies[currency]!;
  const major = euros * perEuro;
  const step = 10 ** (Math.floor(Math.log10(major)) - 1);
  return Math.min(Math.round(Math.round(major / step) * step * 10 ** digits), maxPriceMinor);
}

const roundCapacity = (n: number) => (n < 50 ? Math.max(1, Math.round(n)) : Math.round(n / 10) * 10);

// ---------------------------------------------------------------------------
// Entry point

const defaultDatabaseUrl = 'postgres://twenny_catalog:twenny_catalog@127.0.0.1:5432/twenny';
const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

function readOptions(args: string[]): Pick<SeedOptions, 'events' | 'reset'> {
  const { values } = parseArgs({ args, options: { events: { type: 'string' }, reset: { type: 'boolean', default: false } } });
  const events = Number(values.events ?? defaultEvents);
  if (!Number.isInteger(events) || events < 1 || events > maxEvents) throw new SeedError(`--events takes a whole number from 1 to ${count(maxEvents)}`);
  return { events, reset: values.reset };
}

/** The database, the service roles and catalog's tables, made as `npm start` and catalog-service make them. */
export async function prepareDatabase(databaseUrl: string, adminUrl: string): Promise<Database> {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  try {
    await ensureDatabaseExists(adminUrl, database);
    await provisionDatabase({ adminUrl, database, services: serviceDatabases });
  } catch (error) {
    throw new SeedError(`cannot prepare database "${database}" as ${safeUrl(adminUrl)} (${(error as Error).message}); is Postgres running? DATABASE_ADMIN_URL sets the superuser URL`);
  }
  const catalog = connectDatabase({ url: databaseUrl, max: 2, applicationName: 'seed-huge' });
  await runMigrations(catalog, { folder: migrationsFolder, schema: 'catalog' });
  return catalog;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const catalog = await prepareDatabase(process.env.DATABASE_URL ?? defaultDatabaseUrl, process.env.DATABASE_ADMIN_URL ?? localDefaults.adminDatabaseUrl);
  try {
    const summary = await seedCatalog(catalog.sql, { ...options, progress: (text) => process.stderr.write(text) });
    process.stdout.write(formatSummary(summary));
  } finally {
    await catalog.close();
  }
}

if (import.meta.main) {
  await main().catch((error: unknown) => {
    const usage = error instanceof SeedError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    process.stderr.write(`seed:huge: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
