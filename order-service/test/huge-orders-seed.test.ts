import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@twenny/db';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { createTestDatabase, type TestDatabase } from '@twenny/testing';
import { ticketByCode } from '../src/db/check-in-store.ts';
import { verifyTicketCode } from '../src/domain/ticket-code.ts';
import { DEVELOPMENT_TICKET_SIGNING_KEYS, parseTicketSigningKeys } from '../src/tickets/signing-keys.ts';
import { maxTicketsPerBuyer } from '../src/seed/huge-orders-seed.ts';
import { checkIn } from '../src/use-cases/check-in.ts';

const script = fileURLToPath(new URL('../../scripts/seed-huge.ts', import.meta.url));
const events = 300;
const tickets = 4_000;
const keys = parseTicketSigningKeys(DEVELOPMENT_TICKET_SIGNING_KEYS);

let database: TestDatabase;
/** Superuser: the checks read both schemas. */
let admin: Database;
/** As order-service connects. */
let orders: Database;
let seeded: { code: number; stdout: string; stderr: string };
/** Indexes, constraints, triggers and owners as the migrations made them, before the seed dropped and rebuilt them. */
let schemaBefore: string[];

/** `npm run seed:huge` against the test database. */
function runSeed(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // The development key signs, as order-service defaults.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.urlFor('catalog-service'), DATABASE_ADMIN_URL: database.adminUrl };
  delete env.TICKET_SIGNING_KEYS;
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

async function schemaShape(): Promise<string[]> {
  const rows = await admin.sql<{ item: string }[]>`
    select format('%s %s', tablename, indexdef) as item from pg_indexes where schemaname = 'orders' or tablename = 'availability'
    union all
    select format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) from pg_constraint where connamespace = 'orders'::regnamespace
    union all
    select format('%s trigger %s enabled %s', tgrelid::regclass, tgname, tgenabled) from pg_trigger where not tgisinternal and tgrelid::regclass::text ~ '^(orders|catalog)\.'
    union all
    select format('%s owned by %s', tablename, tableowner) from pg_tables where schemaname in ('orders', 'catalog')
    order by 1`;
  return rows.map((r) => r.item);
}

beforeAll(async () => {
  database = await createTestDatabase();
  admin = connectDatabase({ url: database.adminUrl, max: 2, applicationName: 'huge-orders-seed-test' });
  orders = connectDatabase({ url: database.urlFor('order-service'), max: 2, applicationName: 'huge-orders-seed-test' });
  schemaBefore = await schemaShape();
  seeded = await runSeed('--events', String(events), '--tickets', String(tickets));
}, 240_000);

afterAll(async () => {
  await orders?.close();
  await admin?.close();
  await database?.drop();
});

const one = async <T>(query: Promise<T[]>): Promise<T> => (await query)[0]!;

describe('seed:huge, orders', () => {
  it('seeds the catalog, then the orders, and reports both', async () => {
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/^seeded the catalog: [\d,]+ rows/m);
    expect(seeded.stdout).toMatch(/^seeded the orders: [\d,]+ rows/m);
    expect(seeded.stdout).toMatch(/orders\.tickets +[\d,]+ rows/);
    const counts = await one(admin.sql<{ events: number; tickets: number; void: number; buyers: number }[]>`
      select (select count(*) from catalog.events)::int as events, (select count(*) from orders.tickets)::int as tickets,
        (select count(*) from orders.tickets where status = 'void')::int as void, (select count(distinct user_id) from orders.orders)::int as buyers`);
    expect(counts.events).toBe(events);
    // About as many as asked: each type's share is rounded up or down at random.
    expect(Math.abs(counts.tickets - tickets)).toBeLessThan(tickets * 0.03);
    expect(counts.void).toBeGreaterThan(0);
    expect(counts.void).toBeLessThan(counts.tickets * 0.2);
    expect(counts.buyers).toBeGreaterThan(100);
  });

  it('gives order-service every event that went on the bus, with its ticket types', async () => {
    const row = await one(admin.sql`
      select
        (select count(*) from catalog.events where status in ('published', 'ended', 'cancelled'))::int as "busEvents",
        (select count(*) from orders.events)::int as events,
        (select count(*) from orders.events o join catalog.events c on c.id = o.event_id
          where (o.organization_id, o.title, o.slug, o.status, o.starts_at, o.ends_at, o.time_zone, o.currency, o.refundable_until_hours, o.version)
            is not distinct from (c.organization_id, c.title, c.slug, c.status, c.starts_at, c.ends_at, c.time_zone, c.currency, c.refundable_until_hours, c.version))::int as "sameEvents",
        (select count(*) from catalog.ticket_types t join orders.events e on e.event_id = t.event_id)::int as "busTypes",
        (select count(*) from orders.inventory)::int as inventory,
        (select count(*) from orders.inventory i join catalog.ticket_types t on t.id = i.ticket_type_id
          where (i.event_id, i.name, i.price_minor, i.capacity, i.sales_start_at, i.sales_end_at, i.min_per_order, i.max_per_order, i.hidden, i.removed)
            is not distinct from (t.event_id, t.name, t.price_minor, t.capacity, t.sales_start_at, t.sales_end_at, t.min_per_order, t.max_per_order, t.hidden, false))::int as "sameTypes"`);
    expect(row.events).toBe(row.busEvents);
    expect(row.sameEvents).toBe(row.events);
    expect(row.inventory).toBe(row.busTypes);
    expect(row.sameTypes).toBe(row.inventory);
  });

  it('keeps the inventory equal to the tickets, within capacity, with every change announced', async () => {
    const row = await one(admin.sql`
      with valid as (select ticket_type_id, count(*) filter (where status = 'valid')::int as n from orders.tickets group by ticket_type_id)
      select
        count(*) filter (where i.sold <> coalesce(v.n, 0))::int as "soldNotTickets",
        count(*) filter (where i.held <> 0)::int as held,
        count(*) filter (where i.held + i.sold > i.capacity)::int as oversold,
        (select count(*) from orders.inventory_changes)::int as unannounced,
        count(*) filter (where i.sold > 0)::int as selling,
        count(*) filter (where i.sold = i.capacity)::int as "soldOut",
        count(*) filter (where i.hidden and i.sold > 0)::int as "hiddenSold"
      from orders.inventory i left join valid v on v.ticket_type_id = i.ticket_type_id`);
    expect(row).toMatchObject({ soldNotTickets: 0, held: 0, oversold: 0, unannounced: 0, hiddenSold: 0 });
    expect(row.selling).toBeGreaterThan(20);
    // Each hold and each sale moved a type's numbers once, each refund once more.
    const versions = await one(admin.sql`
      with changes as (
        select ri.ticket_type_id, 2 * count(*) + count(*) filter (where o.status = 'refunded') as n
        from orders.reservation_items ri join orders.orders o on o.reservation_id = ri.reservation_id group by ri.ticket_type_id)
      select count(*) filter (where i.version <> 1 + coalesce(c.n, 0))::int as wrong from orders.inventory i left join changes c on c.ticket_type_id = i.ticket_type_id`);
    expect(versions).toEqual({ wrong: 0 });
    // No ticket of a type order-service does not know.
    const strays = await one(admin.sql`select count(*)::int as n from orders.tickets t left join orders.inventory i on i.ticket_type_id = t.ticket_type_id and i.event_id = t.event_id where i.ticket_type_id is null`);
    expect(strays).toEqual({ n: 0 });
  });

  it("gives catalog's projection exactly the inventory's numbers and versions", async () => {
    const row = await one(admin.sql`
      select count(*)::int as compared,
        count(*) filter (where a.ticket_type_id is null or i.ticket_type_id is null
          or (a.event_id, a.capacity, a.held, a.sold, a.available, a.version) is distinct from (i.event_id, i.capacity, i.held, i.sold, greatest(0, i.capacity - i.held - i.sold), i.version))::int as different
      from orders.inventory i full join catalog.availability a on a.ticket_type_id = i.ticket_type_id`);
    expect(row.compared).toBeGreaterThan(events);
    expect(row.different).toBe(0);
  });

  it("ranks catalog's events for the popular listing by the tickets they sold", async () => {
    const row = await one(admin.sql`
      select count(*)::int as events, count(*) filter (where e.tickets_sold > 0)::int as selling,
        count(*) filter (where e.tickets_sold <> coalesce(s.sold, 0))::int as different
      from catalog.events e left join (select event_id, sum(sold)::int as sold from catalog.availability group by event_id) s on s.event_id = e.id`);
    expect(row.selling).toBeGreaterThan(0);
    expect(row.different).toBe(0);
  });

  it('keeps each buyer within the per-buyer limit, with allowances counting their valid tickets', async () => {
    const row = await one(admin.sql`
      with per_buyer as (
        select event_id, user_id, count(*) filter (where status = 'valid')::int as valid, count(*)::int as issued from orders.tickets group by event_id, user_id)
      select
        count(*) filter (where a.user_id is null or p.user_id is null or a.tickets <> p.valid)::int as different,
        count(*) filter (where p.issued > ${maxTicketsPerBuyer} or a.max_tickets <> ${maxTicketsPerBuyer})::int as "overLimit"
      from per_buyer p full join orders.buyer_allowances a on a.event_id = p.event_id and a.user_id = p.user_id`);
    expect(row).toEqual({ different: 0, overLimit: 0 });
  });

  it('makes every order a paid conversion of its hold, priced as the inventory, inside the sales window and before now', async () => {
    const row = await one(admin.sql`
      with items as (
        select reservation_id, sum(quantity)::int as tickets, sum(quantity * unit_price_minor)::bigint as total,
          bool_and(ri.unit_price_minor = i.price_minor) as priced,
          bool_and(i.event_id = r.event_id) as "sameEvent",
          bool_and(r.created_at >= coalesce(i.sales_start_at, '-infinity') and r.created_at < coalesce(i.sales_end_at, 'infinity')
            and ri.quantity between i.min_per_order and i.max_per_order and not i.hidden) as sellable
        from orders.reservation_items ri join orders.inventory i on i.ticket_type_id = ri.ticket_type_id join orders.reservations r on r.id = ri.reservation_id
        group by reservation_id
      ), issued as (select order_id, count(*)::int as n from orders.tickets group by order_id)
      select
        count(*)::int as orders,
        count(*) filter (where o.status not in ('paid', 'refunded') or r.status <> 'converted')::int as "wrongStatus",
        count(*) filter (where o.total_minor <> it.total or r.total_minor <> o.total_minor or o.currency <> e.currency or r.currency <> e.currency)::int as "wrongTotal",
        count(*) filter (where not it.priced or not it."sameEvent" or not it.sellable or o.event_id <> r.event_id or o.organization_id <> e.organization_id)::int as "wrongItems",
        count(*) filter (where jsonb_array_length(o.attendees) <> it.tickets or coalesce(s.n, 0) <> it.tickets)::int as "wrongTickets",
        count(*) filter (where not (c.published_at <= r.created_at and r.created_at < o.created_at and o.created_at <= o.paid_at
          and o.paid_at < r.expires_at and r.ended_at = o.paid_at and o.paid_at < e.ends_at and o.paid_at < now()))::int as "wrongTimes",
        count(*) filter (where o.user_id <> r.user_id or o.user_id !~ '^seed-buyer-[0-9]+$' or o.buyer_email <> replace(o.user_id, 'seed-buyer-', 'buyer') || '@seed.twenny.local')::int as "wrongBuyer",
        count(*) filter (where (o.status = 'refunded') <> (o.refunded_at is not null) or o.refunded_at <= o.paid_at or o.refunded_at > now())::int as "wrongRefund",
        count(*) filter (where e.status = 'cancelled' and o.status <> 'refunded')::int as "cancelledNotRefunded",
        count(*) filter (where o.status = 'refunded')::int as refunded
      from orders.orders o
        join orders.reservations r on r.id = o.reservation_id
        join items it on it.reservation_id = r.id
        join orders.events e on e.event_id = o.event_id
        join catalog.events c on c.id = o.event_id
        left join issued s on s.order_id = o.id`);
    expect(row).toMatchObject({ wrongStatus: 0, wrongTotal: 0, wrongItems: 0, wrongTickets: 0, wrongTimes: 0, wrongBuyer: 0, wrongRefund: 0, cancelledNotRefunded: 0 });
    expect(row.orders).toBe((await one(admin.sql<{ n: number }[]>`select count(*)::int as n from orders.reservations`)).n);
    expect(row.refunded).toBeGreaterThan(0);
  });

  it('names one attendee per ticket, the buyer first, matching the tickets', async () => {
    const row = await one(admin.sql`
      with named as (
        select o.id, a.value ->> 'ticketTypeId' as type, count(*)::int as n from orders.orders o cross join jsonb_array_elements(o.attendees) a group by 1, 2
      ), issued as (select order_id as id, ticket_type_id::text as type, count(*)::int as n from orders.tickets group by 1, 2)
      select count(*) filter (where named.n is distinct from issued.n)::int as different from named full join issued using (id, type)`);
    expect(row).toEqual({ different: 0 });
    const firsts = await one(admin.sql`
      select count(*) filter (where t.attendee_email <> o.buyer_email or t.user_id <> o.user_id or t.event_id <> o.event_id or t.issued_at <> o.paid_at)::int as wrong,
        count(*) filter (where (t.status = 'void') <> (o.status = 'refunded'))::int as "wrongStatus"
      from orders.tickets t join orders.orders o on o.id = t.order_id`);
    expect(firsts).toEqual({ wrong: 0, wrongStatus: 0 });
  });

  it('records a succeeded payment at the test provider for every order with something to pay, and each refund', async () => {
    const row = await one(admin.sql`
      select
        count(*) filter (where o.total_minor > 0 and (p.id is null or p.status <> 'succeeded' or p.provider <> 'test' or p.amount_minor <> o.total_minor or p.currency <> o.currency))::int as "wrongPayment",
        count(*) filter (where o.total_minor = 0 and p.id is not null or o.paid_payment_id is distinct from p.id)::int as "paymentForFree",
        count(*) filter (where p.id is not null and (tp.id is null or tp.status <> 'succeeded' or tp.amount_minor <> p.amount_minor or tp.reference <> o.id::text
          or tp.refunded_minor <> case when o.status = 'refunded' then p.amount_minor else 0 end))::int as "wrongProvider",
        count(*) filter (where (o.status = 'refunded') <> (f.id is not null) or f.id is not null and (f.status <> 'succeeded' or f.amount_minor <> o.total_minor
          or f.payment_id is distinct from p.id or (p.id is not null) <> (f.provider_refund_id is not null)))::int as "wrongRefund",
        count(*) filter (where p.provider_payment_id !~ '^tp_[A-Za-z0-9_-]{43}$')::int as "wrongProviderId"
      from orders.orders o
        left join orders.payments p on p.order_id = o.id
        left join orders.test_provider_payments tp on tp.id = p.provider_payment_id
        left join orders.refunds f on f.order_id = o.id`);
    expect(row).toEqual({ wrongPayment: 0, paymentForFree: 0, wrongProvider: 0, wrongRefund: 0, wrongProviderId: 0 });
  });

  it('issues real signed codes: they verify, find their ticket, and check in at the door', async () => {
    const sample = await admin.sql<{ id: string; eventId: string; code: string; status: string; organizationId: string; eventStatus: string }[]>`
      (select t.id, t.event_id as "eventId", t.code, t.status, e.organization_id as "organizationId", e.status as "eventStatus"
        from orders.tickets t join orders.events e on e.event_id = t.event_id where t.status = 'valid' and e.status = 'published' order by t.id limit 5)
      union all
      (select t.id, t.event_id, t.code, t.status, e.organization_id, e.status from orders.tickets t join orders.events e on e.event_id = t.event_id where t.status = 'void' order by t.id limit 2)`;
    expect(sample.filter((t) => t.status === 'valid')).toHaveLength(5);
    expect(sample.filter((t) => t.status === 'void')).toHaveLength(2);
    const db = orders.db as unknown as DbExecutor;
    for (const ticket of sample) {
      expect(verifyTicketCode(ticket.code, keys)).toEqual({ ok: true, ticketId: ticket.id, eventId: ticket.eventId, kid: keys.active.kid });
      const found = await ticketByCode(db, ticket.code);
      expect(found?.ticket.id).toBe(ticket.id);
      expect(found?.organizationId).toBe(ticket.organizationId);
      expect(found?.ticketTypeName).toBeTruthy();
    }
    const [valid, refunded] = [sample[0]!, sample.find((t) => t.status === 'void')!];
    const door = (organizationId: string): Identity => ({ userId: 'door-test', email: 'door@example.test', role: 'user', orgs: [{ id: organizationId, role: 'member' }], token: '', expiresAt: Date.now() + 60_000 });
    const admitted = await checkIn(db, keys, door(valid.organizationId), { code: valid.code });
    expect(admitted).toMatchObject({ outcome: 'admitted', ticketId: valid.id });
    await expect(checkIn(db, keys, door(refunded.organizationId), { code: refunded.code })).rejects.toMatchObject({ status: 409 });

    const codes = await one(admin.sql`select count(*)::int as n, count(distinct code)::int as "distinct", count(*) filter (where code !~ '^TW1\\.dev\\.')::int as "otherKey" from orders.tickets`);
    expect(codes).toMatchObject({ distinct: codes.n, otherKey: 0 });
  });

  it('has the door check in most tickets of past events, none of other events', async () => {
    const wrong = await admin.sql`
      select t.id, t.status, t.issued_at, t.checked_in_at, t.checked_in_by, e.status as "eventStatus", e.starts_at, e.ends_at
      from orders.tickets t join orders.events e on e.event_id = t.event_id
      where t.checked_in_at is not null and t.checked_in_by <> 'door-test' -- the scan of the test above
        and (e.status <> 'ended' or t.status <> 'valid' or t.checked_in_at <= t.issued_at or t.checked_in_at > e.ends_at or t.checked_in_by is null)
      limit 5`;
    expect(wrong).toEqual([]);
    const row = await one(admin.sql`
      select count(*) filter (where e.status = 'ended' and t.status = 'valid')::int as "pastValid", count(*) filter (where t.checked_in_at is not null)::int as "checkedIn"
      from orders.tickets t join orders.events e on e.event_id = t.event_id`);
    if (row.pastValid > 20) expect(row.checkedIn / row.pastValid).toBeGreaterThan(0.6);
  });

  it('leaves the indexes, keys, triggers and owners as the migrations made them', async () => {
    expect(await schemaShape()).toEqual(schemaBefore);
  });

  it('refuses to add to seeded orders, and with --orders-only --reset seeds them again on the same catalog', async () => {
    const refused = await runSeed('--orders-only', '--tickets', '100');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already knows \d[\d,]* events .*--reset/);

    const again = await runSeed('--orders-only', '--reset', '--tickets', '500');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/seeded the catalog/);
    const row = await one(admin.sql`
      select (select count(*) from catalog.events)::int as events, (select count(*) from orders.tickets)::int as tickets,
        (select count(*) from orders.inventory i join catalog.availability a using (ticket_type_id) where a.sold = i.sold and a.version = i.version)::int as matching,
        (select count(*) from orders.inventory)::int as inventory,
        (select sum(sold) from orders.inventory)::int as sold, (select count(*) from orders.tickets where status = 'valid')::int as valid`);
    expect(row.events).toBe(events);
    expect(Math.abs(row.tickets - 500)).toBeLessThan(50);
    expect(row.matching).toBe(row.inventory);
    expect(row.sold).toBe(row.valid);
  });
});
