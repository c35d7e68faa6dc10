import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { call } from './support/http.ts';
import { startTestOrderService, type TestOrderService } from './support/order-service.ts';

/** A port nothing listens on: Redis "down" since before the service started. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let orders: TestOrderService;

beforeAll(async () => {
  orders = await startTestOrderService({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
});
afterAll(async () => {
  await orders?.stop();
});

describe('with Redis out of reach since start-up', () => {
  it('still holds tickets (the hold timer is given up on, the sweeper will release the hold) and releases them', async () => {
    const event = await orders.publishEvent();
    const token = await orders.tokenFor(`buyer-${randomUUID()}`);
    const ticketTypeId = event.ticketTypes[0]!.ticketTypeId;
    // BullMQ's add would wait for Redis for ever; the request must not.
    const held = await call(orders.url, 'POST', '/api/reservations', { token, body: { eventId: event.eventId, items: [{ ticketTypeId, quantity: 2 }] } });
    expect(held.status).toBe(201);
    await waitFor('the warning about the timer', () => orders.logs.some((line) => line.msg === 'could not start the hold timer; the sweeper will release the hold'));
    const [row] = await orders.sql`select held from orders.inventory where ticket_type_id = ${ticketTypeId}`;
    expect(row!.held).toBe(2);
    expect((await call(orders.url, 'DELETE', `/api/reservations/${held.body.id}`, { token })).status).toBe(204);
    const [after] = await orders.sql`select held from orders.inventory where ticket_type_id = ${ticketTypeId}`;
    expect(after!.held).toBe(0);
  });
});
