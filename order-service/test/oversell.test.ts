import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { attendeesFor, cards, checkoutCall } from './support/buying.ts';
import { call } from './support/http.ts';
import { startTestOrderService, type TestOrderService } from './support/order-service.ts';

/**
 * On-sale day on the real database: 500 buyers at once for 100 tickets, with
 * random quantities, and holds released, left to expire, paid and refunded in
 * between. After every operation, one snapshot of the database must show that
 * nothing was oversold and that every count agrees with the rows behind it.
 */
let orders: TestOrderService;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  orders = await startTestOrderService({ ORDER_HOLD_SECONDS: '8', ORDER_MAX_TICKETS_PER_BUYER: '10' });
  worker = await orders.startWorker({ ORDER_SWEEP_EVERY_MS: '500' });
});
afterAll(async () => {
  await worker?.stop();
  await orders?.stop();
});

/** A seeded generator, so a failure can be replayed. */
function random(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

type Snapshot = { capacity: number; held: number; sold: number; valid_tickets: number; held_in_holds: number; allowance_mismatches: number };

async function snapshot(ticketTypeId: string): Promise<Snapshot> {
  // One statement: one snapshot of everything compared.
  const [row] = await orders.sql`
    select i.capacity, i.held, i.sold,
      (select count(*)::int from orders.tickets t where t.ticket_type_id = i.ticket_type_id and t.status = 'valid') as valid_tickets,
      (select coalesce(sum(ri.quantity), 0)::int from orders.reservation_items ri join orders.reservations r on r.id = ri.reservation_id
         where ri.ticket_type_id = i.ticket_type_id and r.status = 'held') as held_in_holds,
      (select count(*)::int from orders.buyer_allowances a where a.event_id = i.event_id and a.tickets <> (
         (select coalesce(sum(ri.quantity), 0) from orders.reservation_items ri join orders.reservations r on r.id = ri.reservation_id where r.user_id = a.user_id and r.event_id = a.event_id and r.status = 'held')
         + (select count(*) from orders.tickets t where t.user_id = a.user_id and t.event_id = a.event_id and t.status = 'valid'))) as allowance_mismatches
    from orders.inventory i where i.ticket_type_id = ${ticketTypeId}`;
  return row as unknown as Snapshot;
}

describe('never oversold', () => {
  it('500 parallel buyers, capacity 100, holds released, expired, paid and refunded in between', async () => {
    const event = await orders.publishEvent({ refundableUntilHours: 1 });
    const ticketTypeId = event.ticketTypes[0]!.ticketTypeId;
    const next = random(20_261_127);
    const violations: string[] = [];
    const outcomes: Record<string, number> = {};
    const count = (what: string) => (outcomes[what] = (outcomes[what] ?? 0) + 1);

    async function check(after: string) {
      const s = await snapshot(ticketTypeId);
      if (s.held + s.sold > s.capacity) violations.push(`${after}: held ${s.held} + sold ${s.sold} > capacity ${s.capacity}`);
      if (s.valid_tickets !== s.sold) violations.push(`${after}: ${s.valid_tickets} valid tickets but sold ${s.sold}`);
      if (s.held_in_holds !== s.held) violations.push(`${after}: holds hold ${s.held_in_holds} but held says ${s.held}`);
      if (s.allowance_mismatches !== 0) violations.push(`${after}: ${s.allowance_mismatches} buyer allowance(s) disagree with their holds and tickets`);
    }

    async function buyer(index: number) {
      // Arrivals spread over three seconds, so holds end while others arrive.
      await sleep(Math.floor(next() * 3000));
      const quantity = 1 + Math.floor(next() * 4);
      const plan = next();
      const token = await orders.tokenFor(`buyer-${index}-${randomUUID()}`);
      const items = [{ ticketTypeId, quantity }];
      const hold = await call(orders.url, 'POST', '/api/reservations', { token, body: { eventId: event.eventId, items } });
      count(`hold ${hold.status}`);
      await check(`hold ${hold.status}`);
      if (hold.status !== 201) return;
      const reservationId = hold.body.id as string;
      if (plan < 0.25) {
        const released = await call(orders.url, 'DELETE', `/api/reservations/${reservationId}`, { token });
        count(`release ${released.status}`);
        await check('release');
      } else if (plan < 0.45) {
        await sleep(8_200); // left to expire: the timer, the sweeper or another buyer releases it
        count('left to expire');
        await check('expiry');
      } else {
        const paid = await checkoutCall(orders, token, reservationId, { attendees: attendeesFor(items), payment: { method: 'card', cardNumber: cards.success } });
        count(`checkout ${paid.status}`);
        await check(`checkout ${paid.status}`);
        if (paid.status === 201 && plan > 0.8) {
          const refunded = await call(orders.url, 'POST', `/api/orders/${paid.body.id}/refund`, { token });
          count(`refund ${refunded.status}`);
          await check('refund');
        }
      }
    }

    await Promise.all(Array.from({ length: 500 }, (_, i) => buyer(i)));
    // Every hold that was left to expire is released in the end.
    await waitFor('every hold to end', async () => (await snapshot(ticketTypeId)).held === 0, { timeoutMs: 15_000 });
    await check('the end');
    const end = await snapshot(ticketTypeId);

    expect(violations).toEqual([]);
    expect(outcomes['hold 201']).toBeGreaterThan(0);
    expect(outcomes['hold 409']).toBeGreaterThan(0); // it did sell out at times
    expect(outcomes['checkout 201']).toBeGreaterThan(0);
    expect(outcomes['refund 200']).toBeGreaterThan(0);
    expect(outcomes['release 204']).toBeGreaterThan(0);
    expect(Object.keys(outcomes).filter((k) => /\b5\d\d$/.test(k))).toEqual([]);
    expect(end.sold).toBe(end.valid_tickets);
    expect(end.sold).toBeLessThanOrEqual(100);
    console.info('oversell test outcomes', outcomes, 'end', end);
  }, 120_000);

  it('refuses a buggy code path that writes past capacity: the CHECK constraint, not the code, decides', async () => {
    const event = await orders.publishEvent();
    const ticketTypeId = event.ticketTypes[0]!.ticketTypeId;
    await expect(orders.sql`update orders.inventory set sold = capacity + 1 where ticket_type_id = ${ticketTypeId}`).rejects.toMatchObject({ code: '23514', constraint_name: 'inventory_within_capacity' });
    await expect(orders.sql`update orders.inventory set held = capacity, sold = 1 where ticket_type_id = ${ticketTypeId}`).rejects.toMatchObject({ code: '23514' });
    await expect(orders.sql`update orders.inventory set held = -1 where ticket_type_id = ${ticketTypeId}`).rejects.toMatchObject({ code: '23514' });
  });
});
