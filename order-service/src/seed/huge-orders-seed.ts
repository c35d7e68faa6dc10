/**
 * The orders half of `npm run seed:huge` (scripts/seed-huge.ts runs it after
 * catalog-service's seed): fills order-service's schema with what selling the
 * seeded catalog would have left behind — several million tickets by default —
 * and catalog's availability projection with the numbers order-service would
 * have announced.
 *
 * What it writes, consistent with each other and with the catalog:
 * - orders.events and orders.inventory: every event that went on the bus
 *   (published, ended, cancelled; never drafts) with its ticket types, as
 *   order-service's consumer would have stored them;
 * - converted reservations with their items, paid orders (some refunded, every
 *   order of a cancelled event refunded), succeeded payments at the built-in
 *   `test` provider with the provider's own records (so refunding a seeded
 *   order works), refunds, and tickets with real signed codes (so check-in
 *   works; refunded ones void; most tickets of past events checked in);
 * - inventory `sold` = the valid tickets of each type, `held` = 0, versions as
 *   if every hold, sale and refund had happened, every change announced
 *   (nothing left in inventory_changes), buyer allowances = each buyer's valid
 *   tickets per event;
 * - catalog.availability equal to the inventory, version included, as if every
 *   order.inventory.changed message had been delivered.
 *
 * The seed acts for both services as a superuser (the admin connection): the
 * inventory, the allowances and catalog's projection are derived with
 * cross-schema SQL from what is loaded, which no service could do and none
 * does. Sales are generated from a seeded PRNG (the same catalog gives the same
 * orders, except for the codes' random nonces and what depends on the clock)
 * and loaded with COPY, one transaction per table, then ANALYZEd.
 *
 * How sales are spread: each sellable ticket type (not hidden, its sales
 * window opened before now) has a demand: capacity × the event's popularity
 * (one event in 33 is a hit, with demand enough to sell out; the others are
 * log-uniform, so most sell little) × how far its sales have got (they gather
 * pace towards the close: the share sold grows as the square of the elapsed
 * share of the window; a past window has sold all it will). One scale factor, found by bisection, makes the tickets add up to the
 * number asked for; no type sells beyond its capacity. Orders of one to six
 * tickets (now and then of two types) go to buyers drawn from a pool, never
 * more than the per-buyer limit for one event; holds fall inside the sales
 * window, payments minutes later and before now.
 */
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { testPaymentPagePath } from '../payments/test-provider.ts';
import { DEVELOPMENT_TICKET_SIGNING_KEYS, parseTicketSigningKeys, TicketSigningKeysError } from '../tickets/signing-keys.ts';
import { bulkCopyInto, bulkLoad, connectDatabase, runMigrations, serviceDatabases, chunkedSync, copyNull, copyOut, copyText, copyUnescape, count, createProgress, formatLoads, iso, type Progress, type ReservedSql, type Sql, type Table, type TableLoad } from '@twenny/db';
import { buyerEmail, buyerUserId, doorStaff, organiserUserId, personName } from './seed-people.ts';
import { createSigningPool, signAhead, type SignedBatch, type TicketBatch } from './signing-pool.ts';

/** What the seed reports as a plain message, without a stack: bad options, tables not empty, Postgres out of reach. */
export class SeedError extends Error {}

export interface OrdersSeedOptions {
  /** Tickets to issue, valid and void; fewer when the catalog has not that many on sale. */
  tickets: number;
  /** Delete order-service's sales and events and catalog's availability first. */
  reset: boolean;
  /** A TICKET_SIGNING_KEYS value; unset or empty: the development key, as order-service defaults. */
  ticketSigningKeys?: string | undefined;
  /** Worker threads that sign ticket codes (default: one per core); 0 signs on this thread. */
  signingThreads?: number;
  /** Distinct buyers to spread the orders over (default: one per ten tickets, at least 100). */
  buyers?: number;
  /** Receives the progress line (starting with "\r") about twice a second. */
  progress?: (text: string) => void;
}

export interface OrdersSeedSummary {
  tables: TableLoad[];
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Reading the catalog and planning the sales, before any row was written. */
  planSeconds: number;
  tickets: { valid: number; void: number };
  orders: { paid: number; refunded: number };
  buyers: number;
  /** Ticket types that sold every ticket. */
  soldOut: number;
  /** Codes signed, on how many threads, in how many seconds from the first table's start; how many were ready when the tickets' COPY began. */
  signing: { threads: number; codes: number; seconds: number; readyBeforeTickets: number };
}

/** A few million tickets for the default 300,000 events. */
export const defaultTicketsPerEvent = 10;
/** ORDER_MAX_TICKETS_PER_BUYER's default: the seed keeps every buyer within it. */
export const maxTicketsPerBuyer = 10;
/** ORDER_HOLD_SECONDS's default. */
const holdSeconds = 600;
/** How long after its hold a payment page stays payable (checkout.ts). */
const paymentGraceMs = 10 * 60_000;
/** PUBLIC_SITE_URL's and PAYMENT_PAGE_BASE_URL's default: where the payment records send buyers. */
const siteUrl = 'http://127.0.0.1:3000';

const prngSeed = 0x0eda2026;
const signingBatch = 1_000;
/**
 * Codes signed before the tickets' COPY asks for them, at most: about 160
 * bytes each, outside the heap. Enough for the default's three million, so
 * that signing never waits while the other tables load.
 */
const signedAhead = 4_000_000;
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

const ordersRole = serviceDatabases.find((s) => s.service === 'order-service')!.role;
const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** The tables the seed fills (and `--reset` empties), catalog's projection of the inventory last. */
const seededTables = [
  'orders.tickets', 'orders.refunds', 'orders.payments', 'orders.mails', 'orders.orders', 'orders.reservation_items', 'orders.reservations',
  'orders.buyer_allowances', 'orders.inventory_changes', 'orders.inventory', 'orders.events', 'orders.test_provider_payments', 'orders.idempotency_keys', 'catalog.availability',
];

// ---------------------------------------------------------------------------
// Preparing

/**
 * order-service's migrations, applied as order-service applies them: as its
 * role (the superuser connection takes it on), so what they create is its own.
 */
export async function migrateOrders(adminDatabaseUrl: string): Promise<void> {
  const orders = connectDatabase({ url: adminDatabaseUrl, max: 2, applicationName: 'seed-huge', settings: { role: ordersRole } });
  try {
    await runMigrations(orders, { folder: migrationsFolder, schema: 'orders' });
  } finally {
    await orders.close();
  }
}

/**
 * Empties the seeded tables when `reset`; otherwise refuses unless they are
 * empty (ids repeat from run to run, and the numbers would not add up).
 * Leaves the outbox and inbox alone: they hold messages, not state.
 */
export async function makeRoomForOrders(sql: Sql, reset: boolean): Promise<void> {
  if (reset) {
    await sql.unsafe(`truncate ${seededTables.join(', ')}`);
    return;
  }
  const [existing] = await sql<{ events: number; reservations: number; availability: number }[]>`
    select (select count(*) from orders.events)::int as events, (select count(*) from orders.reservations)::int as reservations,
      (select count(*) from catalog.availability)::int as availability`;
  const { events, reservations, availability } = existing!;
  if (events > 0 || reservations > 0 || availability > 0) {
    throw new SeedError(`order-service already knows ${count(events)} events and has ${count(reservations)} reservations, and catalog holds availability for ${count(availability)} ticket types; run with --reset to delete them first`);
  }
}

/**
 * The TICKET_SIGNING_KEYS value to sign with (unset or empty: the development
 * key, as order-service defaults), checked: a bad one is a message, before
 * anything is deleted or loaded, not a thread's crash.
 */
export function signingKeys(value: string | undefined): string {
  const keys = value === undefined || value.trim() === '' ? DEVELOPMENT_TICKET_SIGNING_KEYS : value;
  try {
    parseTicketSigningKeys(keys);
  } catch (error) {
    if (error instanceof TicketSigningKeysError) throw new SeedError(error.message);
    throw error;
  }
  return keys;
}

// ---------------------------------------------------------------------------
// Loading

/** Sells the catalog's published, ended and cancelled events: see the top of this file. */
export async function seedOrders(sql: Sql, options: OrdersSeedOptions): Promise<OrdersSeedSummary> {
  if (!Number.isInteger(options.tickets) || options.tickets < 0) throw new SeedError('tickets must be a whole number, 0 or more');
  const keys = signingKeys(options.ticketSigningKeys);
  const startedAt = performance.now();
  await makeRoomForOrders(sql, options.reset);
  const progress = createProgress(options.progress);
  const pool = createSigningPool(keys, options.signingThreads ?? availableParallelism());
  try {
    options.progress?.('\rreading the catalog and planning the sales');
    const catalog = await readCatalog(sql);
    const now = Date.now();
    const buyers = options.buyers ?? Math.max(100, Math.round(options.tickets / 10));
    const plan = planSales(catalog, { tickets: options.tickets, buyers, now });
    const planSeconds = (performance.now() - startedAt) / 1000;
    options.progress?.(`\r${`planned ${count(plan.ticketCount)} tickets for ${count(catalog.types.id.length)} ticket types in ${planSeconds.toFixed(1)} s`.padEnd(90)}\n`);

    // The pool signs ahead while the tables the tickets depend on load.
    const codes = signAhead(pool, ticketBatches(plan), Math.ceil(signedAhead / signingBatch));
    const copy = (table: Table, total: number, lines: Iterable<string>) => load(sql, progress, table, total, (onRows) => chunkedSync(lines, onRows));
    const tables: TableLoad[] = [];
    tables.push(await copy(reservationTable, plan.orderCount, reservationLines(plan)));
    tables.push(await copy(reservationItemTable, plan.itemCount, reservationItemLines(plan)));
    tables.push(await copy(orderTable, plan.orderCount, orderLines(plan)));
    tables.push(await copy(paymentTable, plan.paymentCount, paymentLines(plan)));
    tables.push(await copy(testProviderTable, plan.paymentCount + plan.paidRefundCount, testProviderLines(plan)));
    tables.push(await copy(refundTable, plan.refundCount, refundLines(plan)));
    const signedBeforeTickets = codes.signed().codes;
    tables.push(await load(sql, progress, ticketTable, plan.ticketCount, (onRows) => ticketChunks(plan, codes, onRows)));

    tables.push(await derive(sql, progress, 'orders.events', deriveEvents));
    tables.push(await derive(sql, progress, 'orders.inventory', deriveInventory));
    tables.push(await derive(sql, progress, 'orders.buyer_allowances', deriveAllowances));
    tables.push(await derive(sql, progress, 'catalog.availability', deriveAvailability));
    tables.push(await derive(sql, progress, 'catalog.events', derivePopularity));

    progress.start('analyze', -1);
    await sql.unsafe(`analyze ${seededTables.filter((t) => t !== 'orders.mails' && t !== 'orders.idempotency_keys').join(', ')}`);
    progress.end();

    const [sold] = await sql<{ soldOut: number }[]>`select count(*)::int as "soldOut" from orders.inventory where sold = capacity and sold > 0`;
    const rows = tables.reduce((sum, t) => sum + t.rows, 0);
    const seconds = (performance.now() - startedAt) / 1000;
    return {
      tables,
      rows,
      seconds,
      rowsPerSecond: rows / seconds,
      planSeconds,
      tickets: { valid: plan.ticketCount - plan.voidTicketCount, void: plan.voidTicketCount },
      orders: { paid: plan.orderCount - plan.refundCount, refunded: plan.refundCount },
      buyers: plan.distinctBuyers,
      soldOut: sold!.soldOut,
      signing: { threads: pool.threads, ...codes.signed(), readyBeforeTickets: signedBeforeTickets },
    };
  } finally {
    progress.stop();
    await pool.close();
  }
}

async function load(sql: Sql, progress: Progress, table: Table, total: number, chunks: (onRows: (rows: number) => void) => Iterable<string> | AsyncIterable<string>): Promise<TableLoad> {
  progress.start(table.name, total);
  await bulkCopyInto(sql, table, chunks(progress.add));
  return progress.end();
}

async function derive(sql: Sql, progress: Progress, table: string, statement: (sql: ReservedSql) => Promise<{ count: number }>): Promise<TableLoad> {
  progress.start(table, -1);
  const result = await bulkLoad(sql, table, async (connection) => {
    // Aggregates over millions of tickets: sorts and hashes in memory.
    await connection`set local work_mem = '256MB'`;
    return statement(connection);
  });
  return progress.end(result.count);
}

export function formatOrdersSummary(summary: OrdersSeedSummary): string {
  const { tickets, orders, signing } = summary;
  const facts =
    `  ${count(tickets.valid + tickets.void)} tickets (${count(tickets.void)} void) in ${count(orders.paid + orders.refunded)} orders (${count(orders.refunded)} refunded) ` +
    `by ${count(summary.buyers)} buyers; ${count(summary.soldOut)} ticket types sold out\n` +
    `  reading the catalog and planning took ${summary.planSeconds.toFixed(1)} s; ${count(signing.codes)} codes signed on ${signing.threads || 'the main'} thread${signing.threads === 1 ? '' : 's'} ` +
    `in ${signing.seconds.toFixed(1)} s (${count(Math.round(signing.codes / Math.max(signing.seconds, 0.001)))}/s) alongside the loads, ${count(signing.readyBeforeTickets)} of them before the tickets' COPY began\n`;
  return formatLoads('seeded the orders', summary.tables, summary.seconds, ', ANALYZE included') + facts;
}

// ---------------------------------------------------------------------------
// Derived in SQL from what is loaded (cross-schema: the seed acts for both services)

/** Every event that went on the bus, as order-service's consumer keeps it: catalog's version, so older messages change nothing. */
const deriveEvents = (sql: ReservedSql) => sql`
  insert into orders.events (event_id, organization_id, title, slug, status, starts_at, ends_at, time_zone, currency, refundable_until_hours, version, updated_at)
  select id, organization_id, title, slug, status, starts_at, ends_at, time_zone, currency, refundable_until_hours, version, updated_at
  from catalog.events where status in ('published', 'ended', 'cancelled')`;

/**
 * The ticket types of those events with what was sold: `sold` counts the valid
 * tickets. Each hold and each sale changed a type's numbers once, each refund
 * once more. Every version was announced: the inventory's trigger, which marks
 * changes for the publisher, does not fire here (bulkLoad), so
 * inventory_changes stays empty.
 */
const deriveInventory = (sql: ReservedSql) => sql`
  with sold as (
    select ticket_type_id, count(*) filter (where status = 'valid')::int as sold from orders.tickets group by ticket_type_id
  ), changes as (
    select ri.ticket_type_id, (2 * count(*) + count(*) filter (where o.status = 'refunded'))::int as changes
    from orders.reservation_items ri join orders.orders o on o.reservation_id = ri.reservation_id
    group by ri.ticket_type_id
  )
  insert into orders.inventory (ticket_type_id, event_id, name, price_minor, capacity, held, sold, sales_start_at, sales_end_at, min_per_order, max_per_order, hidden, removed, version)
  select t.id, t.event_id, t.name, t.price_minor, t.capacity, 0, coalesce(s.sold, 0), t.sales_start_at, t.sales_end_at, t.min_per_order, t.max_per_order, t.hidden, false,
    1 + coalesce(c.changes, 0)
  from catalog.ticket_types t
    join orders.events e on e.event_id = t.event_id
    left join sold s on s.ticket_type_id = t.id
    left join changes c on c.ticket_type_id = t.id`;

/** What each buyer holds of each event's per-buyer limit: their valid tickets (a refund gave the void ones back). */
const deriveAllowances = (sql: ReservedSql) => sql`
  insert into orders.buyer_allowances (event_id, user_id, tickets, max_tickets)
  select event_id, user_id, count(*) filter (where status = 'valid')::int, ${maxTicketsPerBuyer}::int
  from orders.tickets group by event_id, user_id`;

/** catalog's projection: the inventory's latest numbers with their version, as order.inventory.changed.v1 carries them. */
const deriveAvailability = (sql: ReservedSql) => sql`
  insert into catalog.availability (ticket_type_id, event_id, capacity, held, sold, available, version)
  select ticket_type_id, event_id, capacity, held, sold, greatest(0, capacity - held - sold), version from orders.inventory`;

/** The popular listing's order: each event's tickets sold, as catalog keeps it from the same numbers. */
const derivePopularity = (sql: ReservedSql) => sql`
  update catalog.events e set tickets_sold = s.sold
  from (select event_id, sum(sold)::int as sold from catalog.availability group by event_id) s
  where s.event_id = e.id and e.tickets_sold <> s.sold`;

// ---------------------------------------------------------------------------
// The catalog as sold

interface CatalogEvent {
  id: string;
  organizationId: string;
  title: string;
  status: 'published' | 'ended' | 'cancelled';
  currency: string;
  refundableUntilHours: number | null;
  startsAt: number;
  endsAt: number;
  /** Last (re)published: on sale since. */
  publishedAt: number;
  /** When it was cancelled (its last change); NaN if it was not. */
  cancelledAt: number;
  firstType: number;
  typeCount: number;
}

/** Ticket types in columns (a million of them): index i of each array is one type. */
interface CatalogTypes {
  id: string[];
  event: number[];
  priceMinor: number[];
  capacity: number[];
  salesStartAt: number[];
  salesEndAt: number[];
  minPerOrder: number[];
  maxPerOrder: number[];
  hidden: boolean[];
}

interface Catalog {
  events: CatalogEvent[];
  types: CatalogTypes;
}

/**
 * The events order-service heard of, in id order, with their ticket types;
 * instants as epoch ms. Read with COPY: a million rows parse several times
 * faster as text split here than as rows decoded by the client.
 */
async function readCatalog(sql: Sql): Promise<Catalog> {
  const events: CatalogEvent[] = [];
  const eventIndex = new Map<string, number>();
  const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
  const number = (field: string) => (field === copyNull ? Number.NaN : Number(field));
  for await (const f of copyOut(sql, `
      select id, organization_id, title, status, currency, refundable_until_hours, ${ms('starts_at')}, ${ms('ends_at')}, ${ms('published_at')}, ${ms('updated_at')}
      from catalog.events where status in ('published', 'ended', 'cancelled') order by id`)) {
    eventIndex.set(f[0]!, events.length);
    const status = f[3] as CatalogEvent['status'];
    events.push({
      id: f[0]!,
      organizationId: f[1]!,
      title: copyUnescape(f[2]!),
      status,
      currency: f[4]!,
      refundableUntilHours: f[5] === copyNull ? null : Number(f[5]),
      startsAt: Number(f[6]),
      endsAt: Number(f[7]),
      publishedAt: Number(f[8]),
      cancelledAt: status === 'cancelled' ? Number(f[9]) : Number.NaN,
      firstType: 0,
      typeCount: 0,
    });
  }
  const types: CatalogTypes = { id: [], event: [], priceMinor: [], capacity: [], salesStartAt: [], salesEndAt: [], minPerOrder: [], maxPerOrder: [], hidden: [] };
  for await (const f of copyOut(sql, `
      select t.event_id, t.id, t.price_minor, t.capacity, ${ms('t.sales_start_at')}, ${ms('t.sales_end_at')}, t.min_per_order, t.max_per_order, t.hidden
      from catalog.ticket_types t join catalog.events e on e.id = t.event_id
      where e.status in ('published', 'ended', 'cancelled') order by t.event_id, t.sort_order, t.id`)) {
    const e = eventIndex.get(f[0]!)!;
    const event = events[e]!;
    if (event.typeCount === 0) event.firstType = types.id.length;
    event.typeCount++;
    types.id.push(f[1]!);
    types.event.push(e);
    types.priceMinor.push(Number(f[2]));
    types.capacity.push(Number(f[3]));
    types.salesStartAt.push(number(f[4]!));
    types.salesEndAt.push(number(f[5]!));
    types.minPerOrder.push(Number(f[6]));
    types.maxPerOrder.push(Number(f[7]));
    types.hidden.push(f[8] === 't');
  }
  return { events, types };
}

// ---------------------------------------------------------------------------
// The sales plan: every order in columns; ids and the rest derived when written

const Refund = { None: 0, Buyer: 1, Organiser: 2, EventCancelled: 3 } as const;
type Refund = (typeof Refund)[keyof typeof Refund];

/** As refund-order.ts words them for the buyer. */
const refundWords = ['', 'You asked for a refund.', 'The organiser refunded your order.', 'The event was cancelled.'] as const;
const refundReasons = ['', 'buyer', 'organiser', 'event-cancelled'] as const;

interface Plan {
  catalog: Catalog;
  now: number;
  orderCount: number;
  itemCount: number;
  ticketCount: number;
  voidTicketCount: number;
  /** Orders with something to pay (free orders have no payment). */
  paymentCount: number;
  refundCount: number;
  /** Refunds of orders that had a payment: the provider keeps a record of each. */
  paidRefundCount: number;
  distinctBuyers: number;
  orders: {
    event: number[];
    buyer: number[];
    /** First item; the order's items run to the next order's first. */
    firstItem: number[];
    firstTicket: number[];
    heldAt: number[];
    checkedOutAt: number[];
    paidAt: number[];
    totalMinor: number[];
    refund: Refund[];
    refundedAt: number[];
  };
  items: { type: number[]; quantity: number[] };
}

/** A ticket type's sales window as the seed sells it; null when it sold nothing before now. */
interface Window {
  opensAt: number;
  closesAt: number;
  /** Holds are placed until here: the close, or a little before now. */
  lastHoldAt: number;
  /** The share of its eventual sales made by `lastHoldAt`. */
  progress: number;
}

/** Sales speed up towards the close: the share sold by a point of the window is the elapsed share to this power. */
const salesCurve = 2;
/** Tickets per order and how common each count is. */
const orderSizes = [[1, 30], [2, 42], [3, 10], [4, 12], [5, 3], [6, 3]] as const;
const orderSizeTotal = orderSizes.reduce((sum, [, weight]) => sum + weight, 0);

function planSales(catalog: Catalog, { tickets, buyers, now }: { tickets: number; buyers: number; now: number }): Plan {
  const random = createRandom(prngSeed);
  const { events, types } = catalog;
  const typeCount = types.id.length;

  // Demand: what each type would sell before now at scale 1.
  const windows: Array<Window | null> = new Array(typeCount).fill(null);
  const demand = new Float64Array(typeCount);
  for (const event of events) {
    // Now and then a hit that sells out; most events sell a little.
    const popularity = random.chance(0.03) ? 50 : random.logUniform(0.001, 1);
    for (let t = event.firstType; t < event.firstType + event.typeCount; t++) {
      const window = salesWindow(event, types, t, now);
      windows[t] = window;
      const tierAppeal = random.logUniform(0.5, 1.5);
      if (window) demand[t] = types.capacity[t]! * popularity * tierAppeal * window.progress;
    }
  }
  const scale = scaleFor(demand, types.capacity, tickets);
  const quota = new Int32Array(typeCount);
  for (let t = 0; t < typeCount; t++) {
    const wanted = Math.min(types.capacity[t]!, demand[t]! * scale);
    quota[t] = Math.floor(wanted) + (random.chance(wanted % 1) ? 1 : 0);
  }

  const plan: Plan = {
    catalog,
    now,
    orderCount: 0,
    itemCount: 0,
    ticketCount: 0,
    voidTicketCount: 0,
    paymentCount: 0,
    refundCount: 0,
    paidRefundCount: 0,
    distinctBuyers: 0,
    orders: { event: [], buyer: [], firstItem: [], firstTicket: [], heldAt: [], checkedOutAt: [], paidAt: [], totalMinor: [], refund: [], refundedAt: [] },
    items: { type: [], quantity: [] },
  };
  const { orders, items } = plan;
  const buyersSeen = new Uint8Array(buyers);
  // A few buyers buy much more than most.
  const pickBuyer = () => Math.floor(buyers * random.next() ** 1.3);

  for (let e = 0; e < events.length; e++) {
    const event = events[e]!;
    const bought = new Map<number, number>(); // tickets per buyer of this event
    const last = event.firstType + event.typeCount;
    for (let t = event.firstType; t < last; t++) {
      const min = types.minPerOrder[t]!;
      let misses = 0;
      while (quota[t]! >= min && misses < 20) {
        // A buyer with room left under the per-buyer limit for this event.
        let buyer = pickBuyer();
        for (let tries = 0; tries < 8 && (bought.get(buyer) ?? 0) + min > maxTicketsPerBuyer; tries++) buyer = pickBuyer();
        const room = maxTicketsPerBuyer - (bought.get(buyer) ?? 0);
        const quantity = Math.min(pickOrderSize(random), types.maxPerOrder[t]!, quota[t]!, room);
        if (quantity < min) {
          misses++;
          continue;
        }
        let window = windows[t]!;
        const orderItems: Array<[number, number]> = [[t, quantity]];
        // Now and then a second ticket type of the same event, on sale at the same time.
        if (event.typeCount > 1 && random.chance(0.12)) {
          const other = event.firstType + random.between(0, event.typeCount);
          const otherWindow = windows[other];
          const both = otherWindow && other !== t ? overlap(window, otherWindow) : null;
          const otherMin = types.minPerOrder[other]!;
          const otherQuantity = Math.min(pickOrderSize(random), types.maxPerOrder[other]!, quota[other]!, room - quantity);
          if (both && otherQuantity >= otherMin) {
            orderItems.push([other, otherQuantity]);
            window = both;
          }
        }

        // When: the hold in the window (more of them late), checkout and payment minutes later.
        const heldAt = Math.floor(window.opensAt + (window.closesAt - window.opensAt) * (random.next() * window.progress) ** (1 / salesCurve));
        const checkedOutAt = heldAt + random.between(20_000, 4 * minute);
        const paidAt = checkedOutAt + random.between(3_000, 90_000);

        let totalMinor = 0;
        let orderTickets = 0;
        orders.firstItem.push(plan.itemCount);
        for (const [type, n] of orderItems) {
          items.type.push(type);
          items.quantity.push(n);
          quota[type] = quota[type]! - n;
          totalMinor += n * types.priceMinor[type]!;
          orderTickets += n;
          plan.itemCount++;
        }
        bought.set(buyer, (bought.get(buyer) ?? 0) + orderTickets);
        if (buyersSeen[buyer] === 0) {
          buyersSeen[buyer] = 1;
          plan.distinctBuyers++;
        }
        const [refund, refundedAt] = refundOf(random, event, paidAt, now);

        orders.event.push(e);
        orders.buyer.push(buyer);
        orders.firstTicket.push(plan.ticketCount);
        orders.heldAt.push(heldAt);
        orders.checkedOutAt.push(checkedOutAt);
        orders.paidAt.push(paidAt);
        orders.totalMinor.push(totalMinor);
        orders.refund.push(refund);
        orders.refundedAt.push(refundedAt);
        plan.orderCount++;
        plan.ticketCount += orderTickets;
        if (totalMinor > 0) plan.paymentCount++;
        if (refund !== Refund.None) {
          plan.refundCount++;
          plan.voidTicketCount += orderTickets;
          if (totalMinor > 0) plan.paidRefundCount++;
        }
      }
    }
  }
  orders.firstItem.push(plan.itemCount);
  orders.firstTicket.push(plan.ticketCount);
  return plan;
}

function pickOrderSize(random: Random): number {
  let target = random.next() * orderSizeTotal;
  for (const [size, weight] of orderSizes) if ((target -= weight) < 0) return size;
  return 1;
}

/**
 * From its opening until its close: hidden types are not sold to buyers (guest
 * lists). What has sold by the last hold counts: a little before now, or
 * before the event was cancelled. Null if that is less than an hour of sales.
 */
function salesWindow(event: CatalogEvent, types: CatalogTypes, t: number, now: number): Window | null {
  if (types.hidden[t]) return null;
  const opensAt = Math.max(event.publishedAt, Number.isNaN(types.salesStartAt[t]!) ? -Infinity : types.salesStartAt[t]!);
  // A payment comes up to 5.5 minutes after its hold: holds stop early enough for it to land before the close (or cancellation) and before now.
  const closesAt = Math.min(Number.isNaN(types.salesEndAt[t]!) ? event.endsAt : types.salesEndAt[t]!, event.endsAt) - 6 * minute;
  const lastHoldAt = Math.min(closesAt, now - 10 * minute, Number.isNaN(event.cancelledAt) ? Infinity : event.cancelledAt - 6 * minute);
  if (lastHoldAt - opensAt < hour) return null;
  return { opensAt, closesAt, lastHoldAt, progress: ((lastHoldAt - opensAt) / (closesAt - opensAt)) ** salesCurve };
}

/** Where two types are both on sale; null if too little of it has passed. */
function overlap(a: Window, b: Window): Window | null {
  const opensAt = Math.max(a.opensAt, b.opensAt);
  const closesAt = Math.min(a.closesAt, b.closesAt);
  const lastHoldAt = Math.min(a.lastHoldAt, b.lastHoldAt);
  if (lastHoldAt - opensAt < hour) return null;
  return { opensAt, closesAt, lastHoldAt, progress: ((lastHoldAt - opensAt) / (closesAt - opensAt)) ** salesCurve };
}

/**
 * The factor that makes the types sell `tickets` in all (each at most its
 * capacity): bisection, the total rising with it. Infinity if even selling out
 * every type on sale makes fewer.
 */
function scaleFor(demand: Float64Array, capacity: number[], tickets: number): number {
  const total = (scale: number) => {
    let sum = 0;
    for (let t = 0; t < demand.length; t++) if (demand[t]! > 0) sum += Math.min(capacity[t]!, demand[t]! * scale);
    return sum;
  };
  if (tickets === 0) return 0;
  if (total(Number.MAX_VALUE) <= tickets) return Infinity;
  let [low, high] = [0, 1];
  while (total(high) < tickets) high *= 2;
  for (let i = 0; i < 50; i++) {
    const middle = (low + high) / 2;
    if (total(middle) < tickets) low = middle;
    else high = middle;
  }
  return high;
}

/**
 * Every order of a cancelled event was refunded soon after the cancellation;
 * otherwise a few buyers refunded before the deadline, if the event allows it,
 * and organisers refunded a few more.
 */
function refundOf(random: Random, event: CatalogEvent, paidAt: number, now: number): [Refund, number] {
  const latest = now - minute;
  if (event.status === 'cancelled') return [Refund.EventCancelled, Math.min(event.cancelledAt + random.between(minute, hour), latest)];
  const roll = random.next();
  if (roll < 0.03 && event.refundableUntilHours !== null) {
    const until = Math.min(latest, event.startsAt - event.refundableUntilHours * hour);
    if (until > paidAt + 10 * minute) return [Refund.Buyer, random.between(paidAt + 10 * minute, until)];
  } else if (roll > 0.995) {
    const until = Math.min(latest, event.endsAt + 7 * day);
    if (until > paidAt + 10 * minute) return [Refund.Organiser, random.between(paidAt + 10 * minute, until)];
  }
  return [Refund.None, Number.NaN];
}

// ---------------------------------------------------------------------------
// Rows

const reservationTable: Table = { name: 'orders.reservations', columns: ['id', 'user_id', 'event_id', 'status', 'total_minor', 'currency', 'expires_at', 'created_at', 'ended_at'] };
const reservationItemTable: Table = { name: 'orders.reservation_items', columns: ['reservation_id', 'ticket_type_id', 'quantity', 'unit_price_minor'] };
const orderTable: Table = {
  name: 'orders.orders',
  columns: ['id', 'reservation_id', 'user_id', 'buyer_email', 'event_id', 'organization_id', 'status', 'total_minor', 'currency', 'attendees', 'created_at', 'paid_at', 'paid_payment_id', 'refunded_at', 'status_reason', 'version'],
};
const paymentTable: Table = {
  name: 'orders.payments',
  columns: ['id', 'order_id', 'provider', 'provider_payment_id', 'status', 'amount_minor', 'currency', 'redirect_url', 'failure_code', 'created_at', 'completed_at'],
};
const testProviderTable: Table = {
  name: 'orders.test_provider_payments',
  columns: ['id', 'amount_minor', 'currency', 'description', 'reference', 'return_url', 'status', 'failure_code', 'card_last4', 'refunded_minor', 'expires_at', 'created_at', 'completed_at'],
};
const refundTable: Table = {
  name: 'orders.refunds',
  columns: ['id', 'order_id', 'payment_id', 'amount_minor', 'reason', 'requested_by', 'status', 'provider_refund_id', 'attempts', 'last_error', 'created_at', 'completed_at'],
};
const ticketTable: Table = {
  name: 'orders.tickets',
  columns: ['id', 'order_id', 'event_id', 'ticket_type_id', 'user_id', 'code', 'attendee_name', 'attendee_email', 'status', 'issued_at', 'checked_in_at', 'checked_in_by', 'checked_in_by_email'],
};

// Ids follow from a kind and a number (a bijection of the number comes first, so they never clash within a kind): every pass makes the same ones without remembering them.
const Kind = { Reservation: 1, Order: 2, Payment: 3, Refund: 4, Ticket: 5, ProviderPayment: 6, ProviderRefund: 7 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const orderId = (o: number) => seedUuid(Kind.Order, o);
const reservationId = (o: number) => seedUuid(Kind.Reservation, o);
const paymentId = (o: number) => seedUuid(Kind.Payment, o);
const ticketId = (t: number) => seedUuid(Kind.Ticket, t);
const providerPaymentId = (o: number) => providerId('tp', Kind.ProviderPayment, o);
const providerRefundId = (o: number) => providerId('tr', Kind.ProviderRefund, o);

function* reservationLines(plan: Plan): Generator<string> {
  const { orders, catalog } = plan;
  for (let o = 0; o < plan.orderCount; o++) {
    const event = catalog.events[orders.event[o]!]!;
    const heldAt = orders.heldAt[o]!;
    yield `${reservationId(o)}\t${buyerUserId(orders.buyer[o]!)}\t${event.id}\tconverted\t${orders.totalMinor[o]}\t${event.currency}\t${iso(heldAt + holdSeconds * 1000)}\t${iso(heldAt)}\t${iso(orders.paidAt[o]!)}\n`;
  }
}

function* reservationItemLines(plan: Plan): Generator<string> {
  const { orders, items, catalog } = plan;
  for (let o = 0; o < plan.orderCount; o++) {
    const id = reservationId(o);
    for (let i = orders.firstItem[o]!; i < orders.firstItem[o + 1]!; i++) {
      const type = items.type[i]!;
      yield `${id}\t${catalog.types.id[type]}\t${items.quantity[i]}\t${catalog.types.priceMinor[type]}\n`;
    }
  }
}

function* orderLines(plan: Plan): Generator<string> {
  const { orders, catalog } = plan;
  for (let o = 0; o < plan.orderCount; o++) {
    const event = catalog.events[orders.event[o]!]!;
    const buyer = orders.buyer[o]!;
    const email = buyerEmail(buyer);
    const attendees: Array<{ ticketTypeId: string; name: string; email: string }> = [];
    for (const ticket of ticketsOf(plan, o)) attendees.push({ ticketTypeId: catalog.types.id[ticket.type]!, name: attendeeName(buyer, ticket), email });
    const refund = orders.refund[o]!;
    const refunded = refund !== Refund.None;
    yield [
      orderId(o), reservationId(o), buyerUserId(buyer), email, event.id, event.organizationId, refunded ? 'refunded' : 'paid', orders.totalMinor[o], event.currency,
      copyText(JSON.stringify(attendees)), iso(orders.checkedOutAt[o]!), iso(orders.paidAt[o]!), orders.totalMinor[o]! > 0 ? paymentId(o) : copyNull,
      refunded ? iso(orders.refundedAt[o]!) : copyNull,
      refunded ? refundWords[refund] : copyNull,
      // pending, paid; then refunding, refunded
      refunded ? 4 : 2,
    ].join('\t') + '\n';
  }
}

function* paymentLines(plan: Plan): Generator<string> {
  const { orders, catalog } = plan;
  for (let o = 0; o < plan.orderCount; o++) {
    const total = orders.totalMinor[o]!;
    if (total === 0) continue;
    const event = catalog.events[orders.event[o]!]!;
    const provided = providerPaymentId(o);
    yield `${paymentId(o)}\t${orderId(o)}\ttest\t${provided}\tsucceeded\t${total}\t${event.currency}\t${siteUrl}${testPaymentPagePath}/${provided}\t${copyNull}\t${iso(orders.checkedOutAt[o]!)}\t${iso(orders.paidAt[o]!)}\n`;
  }
}

/** The test provider's own records: each payment (paid with the success card), and each refund of one beside it. */
function* testProviderLines(plan: Plan): Generator<string> {
  const { orders, catalog } = plan;
  for (let o = 0; o < plan.orderCount; o++) {
    const total = orders.totalMinor[o]!;
    if (total === 0) continue;
    const event = catalog.events[orders.event[o]!]!;
    const provided = providerPaymentId(o);
    const refunded = orders.refund[o] !== Refund.None;
    const tickets = orders.firstTicket[o + 1]! - orders.firstTicket[o]!;
    const id = orderId(o);
    yield `${provided}\t${total}\t${event.currency}\t${copyText(`${event.title}: ${tickets} ticket(s)`)}\t${id}\t${siteUrl}/orders/${id}?order=${id}\tsucceeded\t${copyNull}\t4242\t${refunded ? total : 0}\t${iso(orders.heldAt[o]! + holdSeconds * 1000 + paymentGraceMs)}\t${iso(orders.checkedOutAt[o]!)}\t${iso(orders.paidAt[o]!)}\n`;
    if (refunded) {
      const at = iso(orders.refundedAt[o]!);
      yield `${providerRefundId(o)}\t${total}\t${event.currency}\tRefund of ${provided}\t${provided}\t\tsucceeded\t${copyNull}\t${copyNull}\t0\t${at}\t${at}\t${at}\n`;
    }
  }
}

function* refundLines(plan: Plan): Generator<string> {
  const { orders } = plan;
  for (let o = 0; o < plan.orderCount; o++) {
    const refund = orders.refund[o]!;
    if (refund === Refund.None) continue;
    const paid = orders.totalMinor[o]! > 0;
    const requestedBy = refund === Refund.Buyer ? buyerUserId(orders.buyer[o]!) : refund === Refund.Organiser ? organiserUserId : copyNull;
    const refundedAt = orders.refundedAt[o]!;
    yield [
      seedUuid(Kind.Refund, o), orderId(o), paid ? paymentId(o) : copyNull, orders.totalMinor[o], refundReasons[refund], requestedBy, 'succeeded',
      paid ? providerRefundId(o) : copyNull, 1, copyNull, iso(refundedAt - 2_000), iso(refundedAt),
    ].join('\t') + '\n';
  }
}

interface PlannedTicket {
  /** The ticket's number, 0 to ticketCount - 1: its id and its place in the tickets' COPY. */
  n: number;
  order: number;
  type: number;
  /** Its place in the order: the first attendee is the buyer. */
  position: number;
}

function* ticketsOf(plan: Plan, o: number): Generator<PlannedTicket> {
  const { orders, items } = plan;
  let n = orders.firstTicket[o]!;
  let position = 0;
  for (let i = orders.firstItem[o]!; i < orders.firstItem[o + 1]!; i++) {
    for (let k = 0; k < items.quantity[i]!; k++) yield { n: n++, order: o, type: items.type[i]!, position: position++ };
  }
}

function* allTickets(plan: Plan): Generator<PlannedTicket> {
  for (let o = 0; o < plan.orderCount; o++) yield* ticketsOf(plan, o);
}

const attendeeName = (buyer: number, ticket: PlannedTicket) => personName(ticket.position === 0 ? buyer : fmix32(ticket.n ^ 0x2545f491));

/** What the signing pool signs: the tickets in COPY order, a batch at a time. */
function* ticketBatches(plan: Plan): Generator<TicketBatch> {
  let batch: TicketBatch = { ticketIds: [], eventIds: [] };
  for (const ticket of allTickets(plan)) {
    batch.ticketIds.push(ticketId(ticket.n));
    batch.eventIds.push(plan.catalog.events[plan.orders.event[ticket.order]!]!.id);
    if (batch.ticketIds.length === signingBatch) {
      yield batch;
      batch = { ticketIds: [], eventIds: [] };
    }
  }
  if (batch.ticketIds.length > 0) yield batch;
}

/** The tickets' COPY text, a chunk per signed batch. Most valid tickets of past events were scanned at the door around the start. */
async function* ticketChunks(plan: Plan, codes: ReturnType<typeof signAhead>, onRows: (rows: number) => void): AsyncGenerator<string> {
  const { orders, catalog, now } = plan;
  let batch: SignedBatch | undefined;
  let lines: string[] = [];
  // What all tickets of an order share, made once per order.
  let current = -1;
  let shared = '';
  let buyer = 0;
  let valid = true;
  let issuedAt = '';
  let event = catalog.events[0]!;
  for (const ticket of allTickets(plan)) {
    if (lines.length === (batch?.size ?? 0)) {
      if (lines.length > 0) {
        onRows(lines.length);
        yield lines.join('');
      }
      batch = (await codes.next())!;
      lines = [];
    }
    const o = ticket.order;
    if (o !== current) {
      current = o;
      event = catalog.events[orders.event[o]!]!;
      buyer = orders.buyer[o]!;
      valid = orders.refund[o] === Refund.None;
      issuedAt = iso(orders.paidAt[o]!);
      shared = `${orderId(o)}\t${event.id}\t`;
    }
    const paidAt = orders.paidAt[o]!;
    const hash = fmix32(ticket.n ^ 0x5bd1e995);
    const checkedInAt = Math.min(Math.max(event.startsAt - 45 * minute + ((hash >>> 8) % (2 * hour)), paidAt + minute), event.endsAt, now - minute);
    const scanned = valid && event.status === 'ended' && hash % 100 < 85 && checkedInAt > paidAt;
    lines.push(
      `${ticketId(ticket.n)}\t${shared}${catalog.types.id[ticket.type]}\t${buyerUserId(buyer)}\t${batch!.code(lines.length)}\t` +
        `${copyText(attendeeName(buyer, ticket))}\t${buyerEmail(buyer)}\t${valid ? 'valid' : 'void'}\t${issuedAt}\t` +
        (scanned ? `${iso(checkedInAt)}\t${doorStaff.userId}\t${doorStaff.email}\n` : `${copyNull}\t${copyNull}\t${copyNull}\n`),
    );
  }
  if (lines.length > 0) {
    onRows(lines.length);
    yield lines.join('');
  }
}

// ---------------------------------------------------------------------------
// Numbers

/** mulberry32: tiny and fast, with a 32-bit state; ample for test data, and reproducible. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    next,
    /** An integer in [from, to). */
    between: (from: number, to: number) => from + Math.floor(next() * (to - from)),
    /** Spread evenly over orders of magnitude. */
    logUniform: (min: number, max: number) => min * (max / min) ** next(),
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof createRandom>;

/** murmur3's finaliser: a bijection of 32-bit integers that scatters every bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hexBytes = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (w: number) => hexBytes[w >>> 24]! + hexBytes[(w >>> 16) & 255]! + hexBytes[(w >>> 8) & 255]! + hexBytes[w & 255]!;

/** A version-4 UUID for number `n` of `kind`: its first 32 bits are a bijection of `n`, the rest follow from them. */
function seedUuid(kind: Kind, n: number): string {
  const a = fmix32((n ^ Math.imul(kind, 0x9e3779b1) ^ prngSeed) >>> 0);
  const b = fmix32((a + 0x68e31da4) >>> 0);
  const c = fmix32((b ^ 0xb5297a4d) >>> 0);
  const d = fmix32((c + 0x1b56c4e9) >>> 0);
  const bHex = hex8(((b & 0xffff0fff) | 0x4000) >>> 0);
  const cHex = hex8(((c & 0x3fffffff) | 0x80000000) >>> 0);
  return `${hex8(a)}-${bHex.slice(0, 4)}-${bHex.slice(4)}-${cHex.slice(0, 4)}-${cHex.slice(4)}${hex8(d)}`;
}

const idBytes = Buffer.alloc(32);

/** The test provider's ids: a prefix and 43 base64url characters (32 bytes), like its keyed ones. */
function providerId(prefix: string, kind: Kind, n: number): string {
  let word = fmix32((n ^ Math.imul(kind, 0x9e3779b1) ^ prngSeed) >>> 0);
  for (let i = 0; i < 8; i++) {
    idBytes.writeUInt32BE(word, i * 4);
    word = fmix32((word + 0x6d2b79f5) >>> 0);
  }
  return `${prefix}_${idBytes.toString('base64url')}`;
}
