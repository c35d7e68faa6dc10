import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buy, newBuyer } from './support/buying.ts';
import { call } from './support/http.ts';
import { startTestOrderService, type TestOrderService } from './support/order-service.ts';

let orders: TestOrderService;

beforeAll(async () => {
  orders = await startTestOrderService();
});
afterAll(async () => {
  await orders?.stop();
});

const scan = (token: string, body: unknown) => call(orders.url, 'POST', '/api/check-ins', { token, body });

async function ticketsOf(quantity: number, overrides = {}) {
  const event = await orders.publishEvent(overrides);
  const buyer = await newBuyer(orders);
  const order = (await buy(orders, buyer.token, event, quantity)).body;
  const door = await orders.tokenFor(`door-${randomUUID()}`, [{ id: event.organizationId, role: 'member' }]);
  return { event, buyer, order, door, codes: order.tickets.map((t: { code: string }) => t.code) as string[] };
}

describe('check-in', () => {
  it('admits a ticket the first time with the attendee\'s name, then says when and by whom it was used', async () => {
    const { door, codes, order, event } = await ticketsOf(1);
    const first = await scan(door, { code: codes[0], eventId: event.eventId });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ outcome: 'admitted', attendeeName: 'Attendee 1', ticketTypeName: 'Standing', ticketId: order.tickets[0].id });
    const second = await scan(door, { code: codes[0] });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ outcome: 'already-used', checkedInAt: first.body.checkedInAt, attendeeName: 'Attendee 1' });
    expect(second.body.checkedInBy).toMatch(/^door-.*@example\.test$/);
    expect(second.body.detail).toContain('Already checked in at');
  });

  it('admits exactly one of many concurrent scans of one code', async () => {
    const { door, codes } = await ticketsOf(1);
    const answers = await Promise.all(Array.from({ length: 25 }, () => scan(door, { code: codes[0] })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(24);
  });

  it('answers 404 for unknown, forged and tampered codes, and 400 for malformed input', async () => {
    const { door, codes } = await ticketsOf(1);
    const code = codes[0]!;
    const flipped = `${code.slice(0, -3)}${code.at(-3) === 'A' ? 'B' : 'A'}${code.slice(-2)}`;
    for (const bad of ['TW1.dev.not-a-payload.not-a-signature', flipped, 'https://example.test/ticket', 'x'.repeat(299)]) {
      const response = await scan(door, { code: bad });
      expect(response.status, bad).toBe(404);
    }
    expect((await scan(door, { code: '' })).status).toBe(400);
    expect((await scan(door, { code: 'x'.repeat(5000) })).status).toBe(400);
    expect((await scan(door, { code: `${code}\u0000` })).status).toBe(400);
    expect((await scan(door, {})).status).toBe(400);
    expect((await call(orders.url, 'POST', '/api/check-ins', { body: { code } })).status).toBe(401);
  });

  it('refuses members of another organisation with 403, a ticket of another event with 409, and a refunded ticket', async () => {
    const { codes, event, order, buyer } = await ticketsOf(2, { refundableUntilHours: 48 });
    const stranger = await orders.tokenFor('other-door', [{ id: randomUUID(), role: 'owner' }]);
    expect((await scan(stranger, { code: codes[0] })).status).toBe(403);
    const door = await orders.tokenFor('door', [{ id: event.organizationId, role: 'member' }]);
    const wrongEvent = await scan(door, { code: codes[0], eventId: randomUUID() });
    expect(wrongEvent.status).toBe(409);
    expect(wrongEvent.body.outcome).toBe('wrong-event');
    await call(orders.url, 'POST', `/api/orders/${order.id}/refund`, { token: buyer.token });
    const refunded = await scan(door, { code: codes[1] });
    expect(refunded.status).toBe(409);
    expect(refunded.body.outcome).toBe('void');
  });
});
