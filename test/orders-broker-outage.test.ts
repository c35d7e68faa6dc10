/**
 * The broker goes away for ten seconds in the middle of an on-sale: catalog
 * and order-service both reach RabbitMQ through a TCP proxy this test owns and
 * cuts. Buyers keep holding and paying meanwhile (the database decides; the
 * outbox keeps the news). Afterwards catalog's availability projection must
 * match order-service's inventory exactly.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infrastructure, TcpProxy, uniquePrefix, waitFor } from '@twenny/testing';
import { eventInput } from '../catalog-service/test/support/event-input.ts';
import { startTestCatalogService, type TestCatalogService } from '../catalog-service/test/support/catalog-service.ts';
import { attendeesFor, cards, checkoutCall } from '../order-service/test/support/buying.ts';
import { call } from '../order-service/test/support/http.ts';
import { startTestOrderService, type TestOrderService } from '../order-service/test/support/order-service.ts';

let proxy: TcpProxy;
let catalog: TestCatalogService;
let orders: TestOrderService;

beforeAll(async () => {
  const { amqpUrl } = await infrastructure();
  proxy = TcpProxy.forUrl(amqpUrl, 5672);
  await proxy.start();
  const bus = { AMQP_URL: proxy.url(amqpUrl), AMQP_PREFIX: `${uniquePrefix()}.` };
  catalog = await startTestCatalogService(bus);
  orders = await startTestOrderService({ ...bus, ORDER_INVENTORY_PUBLISH_MS: '100' });
});
afterAll(async () => {
  await orders?.stop();
  await catalog?.stop();
  await proxy?.stop();
});

type Numbers = { ticket_type_id: string; capacity: number; held: number; sold: number };

async function inventory(eventId: string): Promise<Numbers[]> {
  return (await orders.sql`select ticket_type_id, capacity, held, sold from orders.inventory where event_id = ${eventId} order by ticket_type_id`) as unknown as Numbers[];
}
async function projection(eventId: string): Promise<Numbers[]> {
  return (await catalog.service.database.sql`select ticket_type_id, capacity, held, sold from catalog.availability where event_id = ${eventId} order by ticket_type_id`) as unknown as Numbers[];
}

describe('a broker outage during an on-sale', () => {
  it('loses nothing: afterwards catalog shows exactly the inventory order-service holds', async () => {
    const organizationId = randomUUID();
    const organiser = await catalog.issuer.sign({ orgs: [{ id: organizationId, role: 'owner' }] });
    const created = await call(catalog.url, 'POST', '/api/events', { token: organiser, body: eventInput(organizationId, { ticketTypes: [{ name: 'Standing', priceMinor: 3500, capacity: 300 }, { name: 'Balcony', priceMinor: 5500, capacity: 40, maxPerOrder: 4 }] }) });
    expect(created.status).toBe(201);
    const eventId = created.body.id as string;
    expect((await call(catalog.url, 'POST', `/api/events/${eventId}/publish`, { token: organiser })).status).toBe(200);
    await waitFor('the event on sale in order-service', async () => (await inventory(eventId)).length === 2);
    const ticketTypeIds = (await inventory(eventId)).map((row) => row.ticket_type_id);

    let running = true;
    const outcomes: Record<string, number> = {};
    async function buyer(n: number) {
      while (running) {
        const token = await orders.tokenFor(`buyer-${n}-${randomUUID()}`);
        const items = [{ ticketTypeId: ticketTypeIds[Math.floor(Math.random() * 2)]!, quantity: 1 + Math.floor(Math.random() * 3) }];
        const hold = await call(orders.url, 'POST', '/api/reservations', { token, body: { eventId, items } });
        outcomes[`hold ${hold.status}`] = (outcomes[`hold ${hold.status}`] ?? 0) + 1;
        if (hold.status !== 201) continue;
        if (Math.random() < 0.2) {
          await call(orders.url, 'DELETE', `/api/reservations/${hold.body.id}`, { token });
        } else if (Math.random() < 0.9) {
          const paid = await checkoutCall(orders, token, hold.body.id, { attendees: attendeesFor(items), payment: { method: 'card', cardNumber: cards.success } });
          outcomes[`checkout ${paid.status}`] = (outcomes[`checkout ${paid.status}`] ?? 0) + 1;
        } // else: the hold stays, held
        await sleep(50);
      }
    }
    const buyers = Array.from({ length: 4 }, (_, n) => buyer(n));

    await sleep(2_000);
    proxy.cut();
    await sleep(10_000);
    const soldDuringOutage = (await inventory(eventId)).reduce((sum, row) => sum + row.sold, 0);
    proxy.restore();
    await sleep(2_000);
    running = false;
    await Promise.all(buyers);

    expect(outcomes['checkout 201']).toBeGreaterThan(10);
    expect(Object.keys(outcomes).filter((k) => /\b5\d\d$/.test(k))).toEqual([]);
    expect(soldDuringOutage).toBeGreaterThan(0);
    const truth = await inventory(eventId);
    await waitFor('catalog to catch up with the inventory', async () => JSON.stringify(await projection(eventId)) === JSON.stringify(truth), { timeoutMs: 60_000 });
    expect(await projection(eventId)).toEqual(truth);
    // The event page shows the same numbers.
    const page = await call(catalog.url, 'GET', `/api/events/${eventId}`, { headers: { 'cache-control': 'no-cache' } });
    for (const row of truth) {
      expect(page.body.ticketTypes.find((t: { id: string }) => t.id === row.ticket_type_id).available).toBe(row.capacity - row.held - row.sold);
    }
  }, 120_000);
});
