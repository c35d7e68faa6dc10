import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, startHttpServer } from '@twenny/http-kit';
import { createIdentityVerifier } from '@twenny/identity';
import { createLifecycle, type Lifecycle } from '@twenny/lifecycle';
import type { DbExecutor } from '@twenny/messaging';
import { captureLogger } from '@twenny/testing';
import { organiserRoutes } from '../src/http/organiser-routes.ts';
import { bucketCount } from '../src/use-cases/organiser-reports.ts';
import { attendeesFor, cards, checkoutCall, holdTickets, newBuyer } from './support/buying.ts';
import { call } from './support/http.ts';
import { startTestOrderService, type Snapshot, type TestOrderService } from './support/order-service.ts';

let orders: TestOrderService;
let lifecycle: Lifecycle;
let logs: Array<Record<string, unknown>>;
/** Our routes, on an app of their own (service.ts mounts them in production). */
let reportsUrl: string;

beforeAll(async () => {
  orders = await startTestOrderService();
  const captured = captureLogger('organiser-reports', 'info');
  logs = captured.lines;
  lifecycle = createLifecycle({ logger: captured.logger, timeoutMs: 5_000 });
  const env = orders.environment;
  const verifier = createIdentityVerifier({ jwksUrl: env.AUTH_JWKS_URL!, issuer: env.AUTH_JWT_ISSUER!, audience: env.AUTH_JWT_AUDIENCE! });
  const db = orders.service.database.db as unknown as DbExecutor;
  const app = createHttpApp({ logger: captured.logger, lifecycle, routes: (app) => organiserRoutes(app, { db, verifier }) });
  reportsUrl = (await startHttpServer(app, { port: 0, host: '127.0.0.1', lifecycle, logger: captured.logger })).url;
  lifecycle.markReady();
});
afterAll(async () => {
  await lifecycle?.stop('test');
  await orders?.stop();
});

const organiserOf = (event: Snapshot, role: 'owner' | 'admin' | 'member' = 'admin') => orders.tokenFor(`organiser-${randomUUID()}`, [{ id: event.organizationId, role }]);
const get = (path: string, token: string) => call(reportsUrl, 'GET', path, { token });
const refund = (token: string, orderId: string) => call(orders.url, 'POST', `/api/orders/${orderId}/refund`, { token });

/** Buys `quantity` of the event's ticket type `index`, with the attendees given (or numbered ones). */
async function buyOf(event: Snapshot, index: number, quantity: number, attendees?: Array<{ name: string; email: string }>) {
  const buyer = await newBuyer(orders);
  const reservation = await holdTickets(orders, buyer.token, event, quantity, index);
  const named = attendees ? attendees.map((a) => ({ ...a, ticketTypeId: reservation.items[0]!.ticketTypeId })) : attendeesFor(reservation.items);
  const response = await checkoutCall(orders, buyer.token, reservation.id, { attendees: named, payment: { method: 'card', cardNumber: cards.success } });
  expect(response.status).toBe(201);
  return { buyer, order: response.body as { id: string; tickets: Array<{ id: string }> } };
}

/** The CSV's text after its UTF-8 byte order mark (which `Response.text()` would drop silently). */
async function csvBody(response: Response): Promise<string> {
  const bytes = Buffer.from(await response.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return bytes.subarray(3).toString('utf8');
}

function ticketType(overrides: Partial<Snapshot['ticketTypes'][number]>): Snapshot['ticketTypes'][number] {
  return { ticketTypeId: randomUUID(), name: 'Standing', priceMinor: 3500, capacity: 100, salesStartAt: null, salesEndAt: null, minPerOrder: 1, maxPerOrder: 10, hidden: false, ...overrides };
}

describe('GET /api/events/:eventId/sales', () => {
  it('counts per ticket type from the orders: prices as sold, refunds netted out, live holds only, removed types that sold', async () => {
    const standing = ticketType({ name: 'Standing', priceMinor: 3500, capacity: 100 });
    const balcony = ticketType({ name: 'Balcony', priceMinor: 1000, capacity: 50 });
    const early = ticketType({ name: 'Early bird', priceMinor: 2000, capacity: 10 });
    const unsold = ticketType({ name: 'Never sold', priceMinor: 900, capacity: 5 });
    const v1 = await orders.publishEvent({ ticketTypes: [standing, balcony, early, unsold] });
    const organiser = await organiserOf(v1);

    const empty = await get(`/api/events/${v1.eventId}/sales`, organiser);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('cache-control')).toBe('private, no-store');
    expect(empty.body.totals).toMatchObject({ capacity: 165, sold: 0, held: 0, available: 165, revenueMinor: 0 });

    const first = await buyOf(v1, 0, 2); // 2 × 3500, refunded below
    await buyOf(v1, 0, 3); // 3 × 3500
    await buyOf(v1, 1, 1); // 1 × 1000
    await buyOf(v1, 2, 1); // 1 × 2000, of a type removed below
    const pending = await holdTickets(orders, (await newBuyer(orders)).token, v1, 2, 1); // a live hold of 2 Balcony
    const lapsed = await holdTickets(orders, (await newBuyer(orders)).token, v1, 4, 1); // a hold whose time is up, not yet released
    await orders.sql`update orders.reservations set expires_at = now() - interval '1 second' where id = ${lapsed.id}`;

    // Catalog raises Standing to 5000 and removes Early bird and Never sold: what was sold keeps its price.
    const v2 = await orders.publishEvent({ eventId: v1.eventId, ticketTypes: [{ ...standing, priceMinor: 5000 }, balcony] }, 2);
    await buyOf(v2, 0, 1); // 1 × 5000

    const refunded = await refund(organiser, first.order.id);
    expect(refunded.body.status).toBe('refunded');

    const sales = await get(`/api/events/${v1.eventId}/sales`, organiser);
    expect(sales.status).toBe(200);
    expect(sales.body).toMatchObject({ eventId: v1.eventId, currency: 'EUR', title: v1.title });
    const byName = Object.fromEntries(sales.body.ticketTypes.map((t: { name: string }) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(['Balcony', 'Standing', 'Early bird']);
    expect(byName.Standing).toEqual({
      ticketTypeId: standing.ticketTypeId, name: 'Standing', priceMinor: 5000, capacity: 100, sold: 4, held: 0, available: 96, hidden: false, removed: false,
      grossMinor: 5 * 3500 + 5000, refundedCount: 2, refundedMinor: 7000, revenueMinor: 3 * 3500 + 5000,
    });
    // The lapsed hold still sits in the inventory counter, but not in `held`: it blocks no buyer.
    const [counter] = await orders.sql`select held from orders.inventory where ticket_type_id = ${balcony.ticketTypeId}`;
    expect(counter!.held).toBe(6);
    expect(byName.Balcony).toMatchObject({ sold: 1, held: 2, available: 47, grossMinor: 1000, revenueMinor: 1000, refundedCount: 0, refundedMinor: 0 });
    expect(byName['Early bird']).toMatchObject({ removed: true, sold: 1, held: 0, available: 0, revenueMinor: 2000 });
    expect(sales.body.totals).toEqual({
      capacity: 150, sold: 6, held: 2, available: 143,
      grossMinor: 5 * 3500 + 5000 + 1000 + 2000, refundedCount: 2, refundedMinor: 7000, revenueMinor: 3 * 3500 + 5000 + 1000 + 2000,
    });
    // Cross-check against the orders table directly.
    const [fromOrders] = await orders.sql`select coalesce(sum(total_minor), 0)::int as minor from orders.orders where event_id = ${v1.eventId} and status = 'paid'`;
    expect(fromOrders!.minor).toBe(sales.body.totals.revenueMinor);
    expect(pending.id).toBeDefined();
  });

  it('lets every role of the owning organisation in, refuses other organisations (403), unknown events (404), bad ids (400), no token (401)', async () => {
    const event = await orders.publishEvent();
    for (const role of ['owner', 'admin', 'member'] as const) expect((await get(`/api/events/${event.eventId}/sales`, await organiserOf(event, role))).status).toBe(200);

    const otherOrg = await orders.tokenFor('other-organiser', [{ id: randomUUID(), role: 'owner' }]);
    const plainBuyer = await orders.tokenFor('a-buyer');
    const member = await organiserOf(event);
    const paths = ['sales', 'sales/timeline', 'attendees', 'attendees.csv'];
    for (const path of paths) {
      const refused = await get(`/api/events/${event.eventId}/${path}`, otherOrg);
      expect(refused.status, path).toBe(403);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect((await get(`/api/events/${event.eventId}/${path}`, plainBuyer)).status, path).toBe(403);
      const unknown = await get(`/api/events/${randomUUID()}/${path}`, member);
      expect(unknown.status, path).toBe(404);
      const malformed = await get(`/api/events/not-a-uuid/${path}`, member);
      expect(malformed.status, path).toBe(400);
      expect(malformed.body.errors[0].name).toBe('params.eventId');
      expect((await call(reportsUrl, 'GET', `/api/events/${event.eventId}/${path}`)).status, path).toBe(401);
    }
  });
});

describe('GET /api/events/:eventId/sales/timeline', () => {
  it('fills empty buckets and its buckets add up to the sales totals, by hour and by day', async () => {
    const event = await orders.publishEvent({ timeZone: 'Europe/Amsterdam' });
    const organiser = await organiserOf(event);
    const a = await buyOf(event, 0, 2);
    const b = await buyOf(event, 0, 1);
    await buyOf(event, 0, 3);
    // Spread the sales out: one three days back, one thirty hours back; then refund one.
    await orders.sql`update orders.orders set paid_at = paid_at - interval '3 days' where id = ${a.order.id}`;
    await orders.sql`update orders.orders set paid_at = paid_at - interval '30 hours' where id = ${b.order.id}`;
    expect((await refund(organiser, b.order.id)).body.status).toBe('refunded');
    const sales = (await get(`/api/events/${event.eventId}/sales`, organiser)).body;

    for (const interval of ['hour', 'day'] as const) {
      const response = await get(`/api/events/${event.eventId}/sales/timeline?interval=${interval}`, organiser);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      const timeline = response.body;
      expect(timeline).toMatchObject({ interval, timeZone: 'Europe/Amsterdam', currency: 'EUR', truncated: false });
      const buckets = timeline.buckets as Array<{ start: string; local: string; ticketsSold: number; refundedCount: number; grossMinor: number; refundedMinor: number; revenueMinor: number }>;
      expect(buckets.length).toBeGreaterThanOrEqual(interval === 'hour' ? 72 : 4);
      const sum = (pick: (b: (typeof buckets)[number]) => number) => buckets.reduce((total, bucket) => total + pick(bucket), 0);
      expect(sum((x) => x.ticketsSold) - sum((x) => x.refundedCount)).toBe(sales.totals.sold);
      expect(sum((x) => x.revenueMinor)).toBe(sales.totals.revenueMinor);
      expect(sum((x) => x.grossMinor)).toBe(sales.totals.grossMinor);
      expect(sum((x) => x.refundedMinor)).toBe(sales.totals.refundedMinor);
      expect(timeline.totals).toEqual({ ticketsSold: 6, grossMinor: 6 * 3500, refundedCount: 1, refundedMinor: 3500, revenueMinor: 5 * 3500 });
      // Empty buckets are there (zeros), and the series has no gaps.
      expect(buckets.filter((x) => x.ticketsSold === 0 && x.refundedCount === 0).length).toBeGreaterThan(0);
      if (interval === 'hour') {
        for (let i = 1; i < buckets.length; i++) expect(Date.parse(buckets[i]!.start) - Date.parse(buckets[i - 1]!.start)).toBe(3_600_000);
      } else {
        for (const bucket of buckets) expect(bucket.local).toMatch(/T00:00:00$/);
        for (let i = 1; i < buckets.length; i++) expect([23, 24, 25]).toContain((Date.parse(buckets[i]!.start) - Date.parse(buckets[i - 1]!.start)) / 3_600_000);
      }
    }
  });

  it("cuts days on the event's clock, across a DST change", async () => {
    const event = await orders.publishEvent({ timeZone: 'America/New_York' });
    const organiser = await organiserOf(event);
    const late = await buyOf(event, 0, 1);
    const early = await buyOf(event, 0, 2);
    // 03:30 UTC on 1 November is 23:30 on 31 October in New York (EDT, -04:00).
    await orders.sql`update orders.orders set paid_at = '2026-11-01T03:30:00Z' where id = ${late.order.id}`;
    // The first sale long ago, for the default range below.
    await orders.sql`update orders.orders set paid_at = '2026-01-15T12:00:00Z' where id = ${early.order.id}`;

    const response = await get(`/api/events/${event.eventId}/sales/timeline?interval=day&from=2026-10-30T12:00:00Z&to=2026-11-03T12:00:00%2B00:00`, organiser);
    expect(response.status).toBe(200);
    expect(response.body.buckets.map((x: { start: string; local: string; ticketsSold: number }) => [x.start, x.local, x.ticketsSold])).toEqual([
      ['2026-10-30T04:00:00Z', '2026-10-30T00:00:00', 0],
      ['2026-10-31T04:00:00Z', '2026-10-31T00:00:00', 1],
      ['2026-11-01T04:00:00Z', '2026-11-01T00:00:00', 0], // 25 hours long: clocks go back at 02:00
      ['2026-11-02T05:00:00Z', '2026-11-02T00:00:00', 0],
      ['2026-11-03T05:00:00Z', '2026-11-03T00:00:00', 0],
    ]);

    // Hours are hours of absolute time: no hour twice at the change.
    const hours = await get(`/api/events/${event.eventId}/sales/timeline?interval=hour&from=2026-11-01T03:00:00Z&to=2026-11-01T07:59:59Z`, organiser);
    expect(hours.body.buckets.map((x: { start: string; local: string; ticketsSold: number }) => [x.start, x.local, x.ticketsSold])).toEqual([
      ['2026-11-01T03:00:00Z', '2026-10-31T23:00:00', 1],
      ['2026-11-01T04:00:00Z', '2026-11-01T00:00:00', 0],
      ['2026-11-01T05:00:00Z', '2026-11-01T01:00:00', 0],
      ['2026-11-01T06:00:00Z', '2026-11-01T01:00:00', 0],
      ['2026-11-01T07:00:00Z', '2026-11-01T02:00:00', 0],
    ]);

    // No `from`: the first sale; too many hours since then, so the latest 2,000 are given and it says so.
    const defaulted = await get(`/api/events/${event.eventId}/sales/timeline?interval=hour`, organiser);
    expect(defaulted.status).toBe(200);
    expect(defaulted.body.truncated).toBe(true);
    expect(defaulted.body.buckets).toHaveLength(2000);
    const days = await get(`/api/events/${event.eventId}/sales/timeline?interval=day`, organiser);
    expect(days.body.truncated).toBe(false);
    expect(days.body.totals.ticketsSold).toBe(3);
    expect(days.body.buckets[0].local).toBe('2026-01-15T00:00:00');
  });

  it('refuses a range of more than 2,000 buckets, and malformed queries, with a 400 that says why', async () => {
    const event = await orders.publishEvent();
    const organiser = await organiserOf(event);
    const path = `/api/events/${event.eventId}/sales/timeline`;
    const tooLong = await get(`${path}?interval=hour&from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z`, organiser);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.detail).toContain('at most 2000 buckets');
    expect(tooLong.body.errors[0]).toMatchObject({ name: 'query.from' });
    expect(tooLong.body.errors[0].reason).toContain('interval=day');
    expect((await get(`${path}?interval=day&from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z`, organiser)).status).toBe(200);
    expect((await get(`${path}?interval=day&from=2000-01-01T00:00:00Z&to=2026-06-01T00:00:00Z`, organiser)).status).toBe(400);
    // Exactly 2,000 hours is fine.
    expect((await get(`${path}?interval=hour&from=2026-01-01T00:00:00Z&to=${new Date(Date.parse('2026-01-01T00:00:00Z') + 1999 * 3_600_000).toISOString()}`, organiser)).body.buckets).toHaveLength(2000);

    for (const query of ['interval=week', 'from=yesterday', 'to=2026-13-01T00:00:00Z', 'from=2026-01-01', 'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from=2099-01-01T00:00:00Z', 'extra=1', 'interval=hour&interval=day']) {
      const response = await get(`${path}?${query}`, organiser);
      expect(response.status, query).toBe(400);
      expect(response.body.type).toBe('https://twenny.dev/problems/validation');
    }
  });

  it('counts buckets as the query does', () => {
    expect(bucketCount('hour', new Date('2026-01-01T00:59:00Z'), new Date('2026-01-01T01:00:00Z'), 'UTC')).toBe(2);
    expect(bucketCount('day', new Date('2026-10-31T03:59:00Z'), new Date('2026-10-31T04:00:00Z'), 'America/New_York')).toBe(2);
    expect(bucketCount('day', new Date('2026-10-30T12:00:00Z'), new Date('2026-11-03T12:00:00Z'), 'America/New_York')).toBe(5);
  });
});

describe('GET /api/events/:eventId/attendees', () => {
  let event: Snapshot;
  let organiser: string;
  let refundedOrder: { id: string; tickets: Array<{ id: string }> };
  let buyerId: string;

  beforeAll(async () => {
    event = await orders.publishEvent();
    organiser = await organiserOf(event);
    const first = await buyOf(event, 0, 2, [
      { name: 'Ada Lovelace', email: 'ada@example.test' },
      { name: '=HYPERLINK("x")', email: 'evil@example.test' },
    ]);
    buyerId = first.buyer.userId;
    await buyOf(event, 0, 2, [
      { name: 'Percent 100%_off', email: 'percent@example.test' },
      { name: 'Odd %_\\ name', email: 'odd@example.test' },
    ]);
    const third = await buyOf(event, 0, 1, [{ name: 'Grace Hopper, "Amazing"', email: 'grace@example.test' }]);
    refundedOrder = third.order;
    expect((await refund(organiser, third.order.id)).body.status).toBe('refunded');
    await buyOf(event, 0, 3);
  });

  const list = (query = '') => get(`/api/events/${event.eventId}/attendees${query}`, organiser);
  const names = (response: { body: { items: Array<{ attendeeName: string }> } }) => response.body.items.map((i) => i.attendeeName).sort();

  it('lists tickets of paid and refunded orders with attendee, type, order and buyer', async () => {
    const response = await list();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.body.items).toHaveLength(8);
    expect(response.body.next).toBeNull();
    const ada = response.body.items.find((i: { attendeeName: string }) => i.attendeeName === 'Ada Lovelace');
    expect(ada).toMatchObject({ attendeeEmail: 'ada@example.test', ticketTypeId: event.ticketTypes[0]!.ticketTypeId, ticketTypeName: event.ticketTypes[0]!.name, buyerEmail: `${buyerId}@example.test`, status: 'valid', checkedInAt: null });
    expect(ada.ticketId).toMatch(/^[0-9a-f-]{36}$/);
    const grace = response.body.items.find((i: { attendeeName: string }) => i.attendeeName.startsWith('Grace'));
    expect(grace).toMatchObject({ status: 'void', orderId: refundedOrder.id, ticketId: refundedOrder.tickets[0]!.id });
    // Newest first.
    const issued = response.body.items.map((i: { issuedAt: string }) => Date.parse(i.issuedAt));
    expect([...issued].sort((x, y) => y - x)).toEqual(issued);
  });

  it('searches names and emails of attendees and buyers, case-insensitively, taking % _ \\ literally', async () => {
    // Not "ADA" alone: buyers' emails hold random uuids, whose hex digits can spell it.
    expect(names(await list(`?q=${encodeURIComponent('ADA LOVE')}`))).toEqual(['Ada Lovelace']);
    expect(names(await list('?q=EVIL%40example'))).toEqual(['=HYPERLINK("x")']);
    expect(names(await list(`?q=${encodeURIComponent(buyerId.toUpperCase())}`))).toEqual(['=HYPERLINK("x")', 'Ada Lovelace']);
    expect(names(await list(`?q=${encodeURIComponent('%')}`))).toEqual(['Odd %_\\ name', 'Percent 100%_off']);
    expect(names(await list(`?q=${encodeURIComponent('_')}`))).toEqual(['Odd %_\\ name', 'Percent 100%_off']);
    expect(names(await list(`?q=${encodeURIComponent('%_\\')}`))).toEqual(['Odd %_\\ name']);
    expect(names(await list(`?q=${encodeURIComponent('\\')}`))).toEqual(['Odd %_\\ name']);
    expect(names(await list(`?q=${encodeURIComponent("'; drop table orders.tickets; --")}`))).toEqual([]);
    expect(names(await list(`?q=${encodeURIComponent('  lovelace  ')}`))).toEqual(['Ada Lovelace']);
    expect((await list('?q=')).body.items).toHaveLength(8);
    expect((await list(`?q=${'x'.repeat(200)}`)).status).toBe(200);
    const tooLong = await list(`?q=${'x'.repeat(201)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0]).toMatchObject({ name: 'query.q' });
    expect((await list('?q=a%00b')).status).toBe(400);
  });

  it('filters by status', async () => {
    expect(names(await list('?status=void'))).toEqual(['Grace Hopper, "Amazing"']);
    expect((await list('?status=valid')).body.items).toHaveLength(7);
    expect((await list('?status=not-checked-in')).body.items).toHaveLength(7);
    expect((await list('?status=checked-in')).body.items).toHaveLength(0);
    expect((await list('?status=valid&q=lovelace')).body.items).toHaveLength(1);
    expect((await list('?status=bogus')).status).toBe(400);
  });

  it('pages with a keyset cursor, every ticket once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response: { status: number; body: { items: Array<{ ticketId: string }>; next: string | null } } = await list(`?limit=3${cursor ? `&before=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...response.body.items.map((i) => i.ticketId));
      cursor = response.body.next;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen).toEqual((await list('?limit=100')).body.items.map((i: { ticketId: string }) => i.ticketId));

    for (const query of ['?before=not-a-cursor', '?limit=0', '?limit=101', '?limit=abc', '?page=2', `?before=${'a'.repeat(201)}`]) {
      const response = await list(query);
      expect(response.status, query).toBe(400);
    }
  });

  it('exports every attendee as CSV, quoted per RFC 4180 and guarded against formulas', async () => {
    const response = await fetch(new URL(`/api/events/${event.eventId}/attendees.csv`, reportsUrl), { headers: { authorization: `Bearer ${organiser}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="attendees-${event.slug}.csv"`);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const text = await csvBody(response);
    expect(text.startsWith('ticket_id,attendee_name,attendee_email,ticket_type,order_id,buyer_email,status,issued_at,checked_in_at\r\n')).toBe(true);
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + 8 + 1);
    expect(text).toContain(`,"'=HYPERLINK(""x"")",evil@example.test,`);
    expect(text).toContain(',"Grace Hopper, ""Amazing""",grace@example.test,');
    expect(text).toContain('Odd %_\\ name');
    const graceLine = lines.find((l) => l.includes('grace@example.test'))!;
    expect(graceLine.split(',').includes('void')).toBe(true);

    // The same filters as the list; no paging.
    const filtered = await csvBody(await fetch(new URL(`/api/events/${event.eventId}/attendees.csv?q=lovelace&status=valid`, reportsUrl), { headers: { authorization: `Bearer ${organiser}` } }));
    expect(filtered.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect((await get(`/api/events/${event.eventId}/attendees.csv?limit=10`, organiser)).status).toBe(400);
    const head = await fetch(new URL(`/api/events/${event.eventId}/attendees.csv`, reportsUrl), { method: 'HEAD', headers: { authorization: `Bearer ${organiser}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });
});

describe('GET /api/events/:eventId/attendees.csv on a big event', () => {
  it('streams across batches, ties in issued_at included, every ticket exactly once', async () => {
    const event = await orders.publishEvent();
    const organiser = await organiserOf(event);
    const ticketTypeId = event.ticketTypes[0]!.ticketTypeId;
    // 500 orders of 5 tickets, issued in groups of 50 orders a minute apart: 250 tickets share each instant.
    await orders.sql`
      with o as (
        select gen_random_uuid() as order_id, gen_random_uuid() as reservation_id, n,
          timestamptz '2026-11-20T10:00:00Z' + (n / 50) * interval '1 minute' as at
        from generate_series(1, 500) n
      ), r as (
        insert into orders.reservations (id, user_id, event_id, status, total_minor, currency, expires_at, ended_at)
        select reservation_id, 'seed-' || n, ${event.eventId}, 'converted', 5000, 'EUR', at, at from o returning 1
      ), ri as (
        insert into orders.reservation_items (reservation_id, ticket_type_id, quantity, unit_price_minor)
        select reservation_id, ${ticketTypeId}, 5, 1000 from o returning 1
      ), ord as (
        insert into orders.orders (id, reservation_id, user_id, buyer_email, event_id, organization_id, status, total_minor, currency, attendees, created_at, paid_at)
        select order_id, reservation_id, 'seed-' || n, 'seed' || n || '@example.test', ${event.eventId}, ${event.organizationId}, 'paid', 5000, 'EUR', '[]'::jsonb, at, at from o returning 1
      )
      insert into orders.tickets (id, order_id, event_id, ticket_type_id, user_id, code, attendee_name, attendee_email, status, issued_at)
      select gen_random_uuid(), order_id, ${event.eventId}, ${ticketTypeId}, 'seed-' || n, 'seed-code-' || gen_random_uuid(), '-Seed ' || n || '.' || k, 'seed' || n || '.' || k || '@example.test', 'valid', at
      from o, generate_series(1, 5) k
    `;
    const response = await fetch(new URL(`/api/events/${event.eventId}/attendees.csv`, reportsUrl), { headers: { authorization: `Bearer ${organiser}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const rows = (await csvBody(response)).split('\r\n').filter(Boolean).slice(1);
    expect(rows).toHaveLength(2500);
    const ids = rows.map((row) => row.split(',')[0]!);
    expect(new Set(ids).size).toBe(2500);
    const [expected] = await orders.sql`select count(*)::int as n from orders.tickets where event_id = ${event.eventId}`;
    expect(expected!.n).toBe(2500);
    // Every name starts with "-": every one is guarded.
    expect(rows.every((row) => row.split(',')[1]!.startsWith("'-Seed "))).toBe(true);
    expect(logs.filter((line) => line.level === 'error' || (line.level as number) >= 50)).toEqual([]);
  });
});
