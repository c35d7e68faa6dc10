/**
 * Buying a ticket as a client does it: through the gateway with identity
 * tokens, against a real order-service and its worker. Hold, check out on the
 * test provider's hosted page (a plain HTML form posted through the gateway),
 * see the ticket, get checked in at the door, and get refunded.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { startGateway, type RunningGateway } from '../gateway/test/support/gateway-harness.ts';
import { attendeesFor, cards } from '../order-service/test/support/buying.ts';
import { startTestOrderService, type TestOrderService } from '../order-service/test/support/order-service.ts';

let orders: TestOrderService;
let gateway: RunningGateway;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  orders = await startTestOrderService();
  worker = await orders.startWorker({ ORDER_SWEEP_EVERY_MS: '0' });
  gateway = await startGateway({ ORDER_SERVICE_URL: orders.url, AUTH_JWKS_URL: orders.environment.AUTH_JWKS_URL, AUTH_JWT_ISSUER: orders.environment.AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE: orders.environment.AUTH_JWT_AUDIENCE });
});
afterAll(async () => {
  await gateway?.stop();
  await worker?.stop();
  await orders?.stop();
});

async function call(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { ...headers, ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text.startsWith('{') ? JSON.parse(text) : undefined };
}

describe('buying a ticket through the gateway', () => {
  it('holds, pays on the hosted page, shows the ticket, checks it in once, and refunds', async () => {
    const event = await orders.publishEvent({ refundableUntilHours: 24 });
    const ticketTypeId = event.ticketTypes[0]!.ticketTypeId;
    const buyer = await orders.tokenFor(`buyer-${randomUUID()}`);
    const door = await orders.tokenFor('door', [{ id: event.organizationId, role: 'member' }]);

    expect((await call('POST', '/api/reservations', undefined, { eventId: event.eventId, items: [] })).status).toBe(401);
    const hold = await call('POST', '/api/reservations', buyer, { eventId: event.eventId, items: [{ ticketTypeId, quantity: 2 }] });
    expect(hold.status).toBe(201);
    expect(hold.headers.get('ratelimit-policy')).toBeTruthy();

    const items = [{ ticketTypeId, quantity: 2 }];
    const checkout = await call('POST', `/api/reservations/${hold.body.id}/checkout`, buyer, { attendees: attendeesFor(items) }, { 'idempotency-key': randomUUID() });
    expect(checkout.status).toBe(201);
    const pagePath = new URL(checkout.body.payment.redirectUrl).pathname;
    const page = await call('GET', pagePath);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const submitted = await fetch(`${gateway.url}${pagePath}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ cardNumber: cards.success, action: 'pay' }).toString() });
    expect(submitted.status).toBe(303);
    expect(new URL(submitted.headers.get('location')!).searchParams.get('payment')).toBe('succeeded');

    const order = await waitFor('the order to be paid', async () => {
      const current = await call('GET', `/api/orders/${checkout.body.id}`, buyer);
      return current.body.status === 'paid' ? current.body : undefined;
    });
    const tickets = await call('GET', '/api/tickets', buyer);
    expect(tickets.body.items).toHaveLength(2);
    const qr = await call('GET', tickets.body.items[0].qr, buyer);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');

    const code = order.tickets[0].code;
    expect((await call('POST', '/api/check-ins', buyer, { code })).status).toBe(403);
    const admitted = await call('POST', '/api/check-ins', door, { code });
    expect(admitted.status).toBe(200);
    expect(admitted.body.attendeeName).toBe(order.tickets[0].attendeeName);
    expect(order.tickets.map((t: { attendeeName: string }) => t.attendeeName)).toEqual(['Attendee 1', 'Attendee 2']);
    expect((await call('POST', '/api/check-ins', door, { code })).status).toBe(409);

    const refunded = await call('POST', `/api/orders/${order.id}/refund`, buyer);
    expect(refunded.status).toBe(200);
    expect(refunded.body.status).toBe('refunded');
    const keys = await call('GET', '/api/tickets/keys');
    expect(keys.body.keys[0].kty).toBe('OKP');
  });
});
