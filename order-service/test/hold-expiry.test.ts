import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueEvents } from 'bullmq';
import { listenOnBus, waitFor } from '@twenny/testing';
import { expiryJobId } from '../src/jobs/hold-timers.ts';
import { orderQueueName } from '../src/jobs/job-types.ts';
import { call } from './support/http.ts';
import { startTestOrderService, testRedis, type TestOrderService } from './support/order-service.ts';

let orders: TestOrderService;

beforeAll(async () => {
  orders = await startTestOrderService({ ORDER_HOLD_SECONDS: '2' });
});
afterAll(async () => {
  await orders?.stop();
});

async function holdOne(eventId: string, ticketTypeId: string, quantity: number) {
  const token = await orders.tokenFor(`buyer-${randomUUID()}`);
  const response = await call(orders.url, 'POST', '/api/reservations', { token, body: { eventId, items: [{ ticketTypeId, quantity }] } });
  return { ...response, token };
}
async function statusOf(id: string) {
  const [row] = await orders.sql`select status, expires_at, ended_at from orders.reservations where id = ${id}`;
  return { status: row!.status as string, expires_at: new Date(row!.expires_at), ended_at: row!.ended_at ? new Date(row!.ended_at) : null };
}

describe('hold expiry', () => {
  it('is released by the timer job of that hold, with the sweeper off, and announced', async () => {
    const worker = await orders.startWorker({ ORDER_SWEEP_EVERY_MS: '0' });
    const events = new QueueEvents(orderQueueName, { connection: { url: orders.redisUrl }, prefix: orders.redisPrefix });
    await events.waitUntilReady();
    const completed = new Map<string, string>();
    events.on('completed', ({ jobId, returnvalue }) => completed.set(jobId, String(returnvalue)));
    const bus = await listenOnBus(orders.amqpUrl, orders.prefix, 'order.reservation.expired.v1');

    const event = await orders.publishEvent();
    const ticketTypeId = event.ticketTypes[0]!.ticketTypeId;
    const held = await holdOne(event.eventId, ticketTypeId, 2);
    expect(held.status).toBe(201);
    await waitFor('the hold timer to complete', () => completed.get(expiryJobId(held.body.id)), { timeoutMs: 10_000 });
    expect(completed.get(expiryJobId(held.body.id))).toBe('expired');
    const row = await statusOf(held.body.id);
    expect(row.status).toBe('expired');
    expect(row.ended_at!.getTime()).toBeGreaterThanOrEqual(row.expires_at.getTime());
    const [numbers] = await orders.sql`select held from orders.inventory where ticket_type_id = ${ticketTypeId}`;
    expect(numbers!.held).toBe(0);
    await waitFor('the expiry on the bus', () => bus.received.find((m) => m.subject === held.body.id));
    expect(bus.received.find((m) => m.subject === held.body.id)!.data).toMatchObject({ reservationId: held.body.id, eventId: event.eventId, items: [{ ticketTypeId, quantity: 2 }] });
    expect(worker.logs.filter((l) => l.msg === 'released holds whose timer was lost')).toEqual([]);
    await bus.close();
    await events.close();
    await worker.stop();
  });

  it('stops blocking buyers at expiry with no worker running, and the sweeper cleans up once one runs', async () => {
    const event = await orders.publishEvent({
      ticketTypes: [
        { ticketTypeId: randomUUID(), name: 'Contested', priceMinor: 1000, capacity: 2, salesStartAt: null, salesEndAt: null, minPerOrder: 1, maxPerOrder: 10, hidden: false },
        { ticketTypeId: randomUUID(), name: 'Quiet', priceMinor: 1000, capacity: 5, salesStartAt: null, salesEndAt: null, minPerOrder: 1, maxPerOrder: 10, hidden: false },
      ],
    });
    const [contested, quiet] = event.ticketTypes.map((t) => t.ticketTypeId) as [string, string];
    const first = await holdOne(event.eventId, contested, 2);
    const forgotten = await holdOne(event.eventId, quiet, 3);
    expect((await holdOne(event.eventId, contested, 1)).status).toBe(409);

    // Redis keeps nothing on disk: a restart loses every timer.
    const redis = testRedis(orders.redisUrl);
    const keys = await redis.keys(`${orders.redisPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();

    await waitFor('the holds to be over', async () => (await statusOf(forgotten.body.id)).expires_at.getTime() < Date.now() - 100);
    // No worker, no timer: the hold still does not block the next buyer.
    const next = await holdOne(event.eventId, contested, 2);
    expect(next.status).toBe(201);
    expect((await statusOf(first.body.id)).status).toBe('expired');
    // The quiet hold nobody contested is still marked held, but its buyer is told it is over.
    expect((await statusOf(forgotten.body.id)).status).toBe('held');
    expect((await call(orders.url, 'GET', `/api/reservations/${forgotten.body.id}`, { token: forgotten.token })).body.status).toBe('expired');

    const worker = await orders.startWorker({ ORDER_SWEEP_EVERY_MS: '300' });
    await waitFor('the sweeper to release the forgotten hold', async () => (await statusOf(forgotten.body.id)).status === 'expired', { timeoutMs: 10_000 });
    const [numbers] = await orders.sql`select held from orders.inventory where ticket_type_id = ${quiet}`;
    expect(numbers!.held).toBe(0);
    await waitFor('the sweeper to say so', () => worker.logs.find((l) => l.msg === 'released holds whose timer was lost'));
    await worker.stop();
  });
});
