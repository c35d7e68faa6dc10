import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCancelledV1 } from '@twenny/contracts';
import { listenOnBus, publishOnBus, waitFor } from '@twenny/testing';
import { call } from './support/http.ts';
import { startTestOrderService, type Snapshot, type TestOrderService } from './support/order-service.ts';

let orders: TestOrderService;

beforeAll(async () => {
  orders = await startTestOrderService({ ORDER_MAX_TICKETS_PER_BUYER: '6', ORDER_HOLD_SECONDS: '600' });
});
afterAll(async () => {
  await orders?.stop();
});

const ticketTypeOf = (event: Snapshot, index = 0) => event.ticketTypes[index]!.ticketTypeId;
const hold = (token: string, body: unknown, headers: Record<string, string> = {}) => call(orders.url, 'POST', '/api/reservations', { token, body, headers });
async function numbers(ticketTypeId: string) {
  const [row] = await orders.sql`select capacity, held, sold from orders.inventory where ticket_type_id = ${ticketTypeId}`;
  return row as { capacity: number; held: number; sold: number };
}

describe('holding tickets', () => {
  it('holds tickets atomically and announces the new numbers', async () => {
    const bus = await listenOnBus(orders.amqpUrl, orders.prefix, 'order.inventory.changed.v1');
    const event = await orders.publishEvent();
    const token = await orders.tokenFor(`buyer-${randomUUID()}`);
    const response = await hold(token, { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 3 }] });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'held', eventId: event.eventId, total: 3 * 3500, currency: 'EUR', items: [{ ticketTypeId: ticketTypeOf(event), quantity: 3, unitPriceMinor: 3500 }] });
    expect(response.headers.get('location')).toBe(`/api/reservations/${response.body.id}`);
    const expiresIn = new Date(response.body.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(590_000);
    expect(expiresIn).toBeLessThanOrEqual(600_000);
    expect(await numbers(ticketTypeOf(event))).toEqual({ capacity: 100, held: 3, sold: 0 });
    await waitFor('the new numbers on the bus', () => bus.received.find((m) => m.subject === ticketTypeOf(event) && m.data.held === 3));
    expect(bus.received.find((m) => m.subject === ticketTypeOf(event) && m.data.held === 3)!.data).toMatchObject({ eventId: event.eventId, capacity: 100, sold: 0, available: 97 });
    await bus.close();
  });

  it('refuses more than is left with 409 and says how many are left; nothing is kept of the refused hold', async () => {
    const event = await orders.publishEvent({ ticketTypes: [{ ...baseTicketType(), capacity: 5 }] });
    const first = await hold(await orders.tokenFor('buyer-a'), { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 4 }] });
    expect(first.status).toBe(201);
    const second = await hold(await orders.tokenFor('buyer-b'), { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 2 }] });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body).toMatchObject({ title: 'Not enough tickets left', detail: 'Only 1 "Standing" left.', left: [{ ticketTypeId: ticketTypeOf(event), available: 1 }] });
    expect(await numbers(ticketTypeOf(event))).toEqual({ capacity: 5, held: 4, sold: 0 });
    const [row] = await orders.sql`select count(*)::int as count from orders.reservations where event_id = ${event.eventId}`;
    expect(row!.count).toBe(1);
  });

  it('holds several ticket types all or nothing', async () => {
    const event = await orders.publishEvent({ ticketTypes: [{ ...baseTicketType(), capacity: 10 }, { ...baseTicketType(), name: 'Balcony', capacity: 1 }] });
    const refused = await hold(await orders.tokenFor('buyer-c'), { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event, 0), quantity: 2 }, { ticketTypeId: ticketTypeOf(event, 1), quantity: 2 }] });
    expect(refused.status).toBe(409);
    expect(await numbers(ticketTypeOf(event, 0))).toMatchObject({ held: 0 });
    expect(await numbers(ticketTypeOf(event, 1))).toMatchObject({ held: 0 });
  });

  it('refuses outside the per-order limits and the sales window with 422', async () => {
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const event = await orders.publishEvent({ ticketTypes: [{ ...baseTicketType(), minPerOrder: 2, maxPerOrder: 4 }, { ...baseTicketType(), name: 'Later', salesStartAt: later }] });
    const token = await orders.tokenFor('buyer-d');
    const tooMany = await hold(token, { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 5 }] });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.detail).toBe('"Standing" is sold at most 4 per order.');
    const tooFew = await hold(token, { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 1 }] });
    expect(tooFew.body.detail).toBe('"Standing" is sold at least 2 per order.');
    const early = await hold(token, { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event, 1), quantity: 1 }] });
    expect(early.status).toBe(422);
    expect(early.body.detail).toBe(`Sales of "Later" start at ${later}.`);
    const foreign = await hold(token, { eventId: event.eventId, items: [{ ticketTypeId: randomUUID(), quantity: 1 }] });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0].name).toBe('body.items[0]');
  });

  it('counts every hold of a buyer against the per-buyer limit, even in parallel', async () => {
    const event = await orders.publishEvent();
    const token = await orders.tokenFor(`buyer-${randomUUID()}`);
    const body = { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 2 }] };
    const answers = await Promise.all(Array.from({ length: 6 }, () => hold(token, body)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    const refused = answers.filter((a) => a.status === 422);
    expect(refused).toHaveLength(3);
    expect(refused[0]!.body).toMatchObject({ title: 'Over the limit per buyer', limit: 6, remaining: 0 });
    expect(await numbers(ticketTypeOf(event))).toMatchObject({ held: 6 });
  });

  it('answers 410 for a cancelled event and 404 for an unknown one', async () => {
    const event = await orders.publishEvent();
    await publishOnBus(orders.amqpUrl, orders.prefix, { id: randomUUID(), type: eventCancelledV1.type, source: 'catalog-service', time: new Date().toISOString(), subject: event.eventId, version: 2, data: { ...event, status: 'cancelled' } });
    await waitFor('the cancellation', async () => (await orders.sql`select status from orders.events where event_id = ${event.eventId}`)[0]?.status === 'cancelled');
    const token = await orders.tokenFor('buyer-e');
    const cancelled = await hold(token, { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 1 }] });
    expect(cancelled.status).toBe(410);
    expect(cancelled.body).toMatchObject({ eventStatus: 'cancelled' });
    const unknown = await hold(token, { eventId: randomUUID(), items: [{ ticketTypeId: randomUUID(), quantity: 1 }] });
    expect(unknown.status).toBe(404);
  });

  it('refuses malformed, oversized and hostile input with 400 problems that name the field', async () => {
    const token = await orders.tokenFor('buyer-f');
    const id = randomUUID();
    const cases: Array<[unknown, string]> = [
      [{ eventId: 'not-a-uuid', items: [{ ticketTypeId: id, quantity: 1 }] }, 'body.eventId'],
      [{ eventId: id, items: [] }, 'body.items'],
      [{ eventId: id, items: [{ ticketTypeId: id, quantity: 1 }, { ticketTypeId: id, quantity: 2 }] }, 'body.items'],
      [{ eventId: id, items: [{ ticketTypeId: id, quantity: 1e9 }] }, 'body.items[0].quantity'],
      [{ eventId: id, items: [{ ticketTypeId: id, quantity: 1.5 }] }, 'body.items[0].quantity'],
      [{ eventId: `${id}\u0000`, items: [{ ticketTypeId: id, quantity: 1 }] }, 'body.eventId'],
      [{ eventId: id, items: [{ ticketTypeId: id, quantity: 1 }], extra: true }, 'body'],
    ];
    for (const [body, field] of cases) {
      const response = await hold(token, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.map((e: { name: string }) => e.name)).toContain(field);
    }
    expect((await call(orders.url, 'POST', '/api/reservations', { token, rawBody: '{"eventId":' })).status).toBe(400);
    expect((await call(orders.url, 'POST', '/api/reservations', { token, rawBody: JSON.stringify({ eventId: id, items: Array.from({ length: 50_000 }, () => ({ ticketTypeId: id, quantity: 1 })) }) })).status).toBe(413);
    expect((await hold(token, { eventId: id, items: [{ ticketTypeId: id, quantity: 1 }] }, { 'idempotency-key': 'has spaces' })).status).toBe(400);
    expect((await call(orders.url, 'POST', '/api/reservations', { body: { eventId: id, items: [] } })).status).toBe(401);
    expect((await call(orders.url, 'GET', '/health/ready')).status).toBe(200);
  });
});

describe('idempotent holds', () => {
  it('gives the same hold for the same key, and refuses the key with another body', async () => {
    const event = await orders.publishEvent();
    const token = await orders.tokenFor(`buyer-${randomUUID()}`);
    const body = { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 1 }] };
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 5 }, () => hold(token, body, { 'idempotency-key': key })));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(await numbers(ticketTypeOf(event))).toMatchObject({ held: 1 });
    const other = await hold(token, { ...body, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 2 }] }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.title).toBe('Idempotency key reused');
    // Keys are per caller: another buyer's identical key is theirs.
    const someoneElse = await hold(await orders.tokenFor(`buyer-${randomUUID()}`), body, { 'idempotency-key': key });
    expect(someoneElse.body.id).not.toBe(answers[0]!.body.id);
  });
});

describe('releasing a hold', () => {
  it('gives the tickets back at once, and says so once; only the buyer can, and repeating it is harmless', async () => {
    const bus = await listenOnBus(orders.amqpUrl, orders.prefix, 'order.reservation.released.v1');
    const event = await orders.publishEvent();
    const token = await orders.tokenFor(`buyer-${randomUUID()}`);
    const held = await hold(token, { eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 2 }] });
    const path = `/api/reservations/${held.body.id}`;
    expect((await call(orders.url, 'DELETE', path, { token: await orders.tokenFor('someone-else') })).status).toBe(404);
    expect((await call(orders.url, 'GET', path, { token: await orders.tokenFor('someone-else') })).status).toBe(404);
    expect((await call(orders.url, 'DELETE', path, { token })).status).toBe(204);
    expect((await call(orders.url, 'DELETE', path, { token })).status).toBe(204);
    expect(await numbers(ticketTypeOf(event))).toMatchObject({ held: 0 });
    expect((await call(orders.url, 'GET', path, { token })).body.status).toBe('released');
    const [allowance] = await orders.sql`select tickets from orders.buyer_allowances where event_id = ${event.eventId}`;
    expect(allowance!.tickets).toBe(0);
    const released = await waitFor('the release on the bus', () => bus.received.find((m) => m.subject === held.body.id));
    expect(released.data).toMatchObject({ reservationId: held.body.id, eventId: event.eventId, items: [{ ticketTypeId: ticketTypeOf(event), quantity: 2 }] });
    const [outbox] = await orders.sql`select count(*)::int as n from orders.outbox where type = 'order.reservation.released.v1' and envelope->>'subject' = ${held.body.id}`;
    expect(outbox!.n).toBe(1);
    await bus.close();
  });
});

function baseTicketType(): Snapshot['ticketTypes'][number] {
  return { ticketTypeId: randomUUID(), name: 'Standing', priceMinor: 3500, capacity: 100, salesStartAt: null, salesEndAt: null, minPerOrder: 1, maxPerOrder: 10, hidden: false };
}

describe('a buyer\'s own expired holds', () => {
  it('do not count against their per-buyer limit once their time is up', async () => {
    const short = await startTestOrderService({ ORDER_MAX_TICKETS_PER_BUYER: '4', ORDER_HOLD_SECONDS: '1' });
    try {
      const event = await short.publishEvent();
      const token = await short.tokenFor(`buyer-${randomUUID()}`);
      const body = { eventId: event.eventId, items: [{ ticketTypeId: event.ticketTypes[0]!.ticketTypeId, quantity: 4 }] };
      expect((await call(short.url, 'POST', '/api/reservations', { token, body })).status).toBe(201);
      expect((await call(short.url, 'POST', '/api/reservations', { token, body })).status).toBe(422);
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      expect((await call(short.url, 'POST', '/api/reservations', { token, body })).status).toBe(201);
    } finally {
      await short.stop();
    }
  });
});
