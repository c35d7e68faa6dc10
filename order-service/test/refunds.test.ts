import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCancelledV1 } from '@twenny/contracts';
import { listenOnBus, publishOnBus, startSmtpCapture, waitFor, type SmtpCapture } from '@twenny/testing';
import { attendeesFor, buy, checkoutCall, holdTickets, newBuyer } from './support/buying.ts';
import { call } from './support/http.ts';
import { startTestOrderService, type TestOrderService } from './support/order-service.ts';

let orders: TestOrderService;
let smtp: SmtpCapture;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  smtp = await startSmtpCapture();
  orders = await startTestOrderService();
  worker = await orders.startWorker({ SMTP_URL: smtp.url, ORDER_SWEEP_EVERY_MS: '300' });
});
afterAll(async () => {
  await worker?.stop();
  await orders?.stop();
  await smtp?.close();
});

const refund = (token: string, orderId: string) => call(orders.url, 'POST', `/api/orders/${orderId}/refund`, { token });
async function numbers(ticketTypeId: string) {
  const [row] = await orders.sql`select held, sold from orders.inventory where ticket_type_id = ${ticketTypeId}`;
  return row as { held: number; sold: number };
}

describe('refunds', () => {
  it('lets the buyer refund within the refund policy: tickets void, stock back, a message and a mail', async () => {
    const bus = await listenOnBus(orders.amqpUrl, orders.prefix, 'order.order.refunded.v1');
    const event = await orders.publishEvent({ refundableUntilHours: 48 });
    const buyer = await newBuyer(orders);
    const order = (await buy(orders, buyer.token, event, 2)).body;
    expect(order.refundable).toBe(true);
    expect((await refund(await orders.tokenFor('stranger'), order.id)).status).toBe(404);

    const refunded = await refund(buyer.token, order.id);
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'refunded', statusReason: 'You asked for a refund.' });
    expect(refunded.body.tickets.map((t: { status: string }) => t.status)).toEqual(['void', 'void']);
    expect(await numbers(event.ticketTypes[0]!.ticketTypeId)).toEqual({ held: 0, sold: 0 });
    const [allowance] = await orders.sql`select tickets from orders.buyer_allowances where event_id = ${event.eventId} and user_id = ${buyer.userId}`;
    expect(allowance!.tickets).toBe(0);
    await waitFor('order.order.refunded.v1', () => bus.received.find((m) => m.subject === order.id));
    expect(bus.received.find((m) => m.subject === order.id)!.data).toMatchObject({ amountMinor: 7000, currency: 'EUR', reason: 'buyer' });
    await waitFor('the refund mail', () => smtp.mails.find((m) => m.to.includes(`${buyer.userId}@example.test`) && /refund/i.test(m.subject)));
    const [provider] = await orders.sql`select refunded_minor from orders.test_provider_payments where reference = ${order.id}`;
    expect(provider!.refunded_minor).toBe(7000);

    // Asking again changes nothing.
    const again = await refund(buyer.token, order.id);
    expect(again.body.status).toBe('refunded');
    const [count] = await orders.sql`select count(*)::int as n from orders.refunds where order_id = ${order.id}`;
    expect(count!.n).toBe(1);
    await bus.close();
  });

  it('refuses the buyer when the tickets are not refundable, but lets the organiser refund any time', async () => {
    const event = await orders.publishEvent({ refundableUntilHours: null });
    const buyer = await newBuyer(orders);
    const order = (await buy(orders, buyer.token, event, 1)).body;
    expect(order.refundable).toBe(false);
    const refused = await refund(buyer.token, order.id);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('not refundable');
    const otherOrganiser = await orders.tokenFor('other-organiser', [{ id: randomUUID(), role: 'owner' }]);
    expect((await refund(otherOrganiser, order.id)).status).toBe(404);
    const doorStaff = await orders.tokenFor('door-staff', [{ id: event.organizationId, role: 'member' }]);
    expect((await refund(doorStaff, order.id)).status).toBe(403);
    const organiser = await orders.tokenFor('organiser', [{ id: event.organizationId, role: 'admin' }]);
    const refunded = await refund(organiser, order.id);
    expect(refunded.body).toMatchObject({ status: 'refunded', statusReason: 'The organiser refunded your order.' });
  });

  it('refuses to refund an order that is not paid', async () => {
    const event = await orders.publishEvent();
    const buyer = await newBuyer(orders);
    const reservation = await holdTickets(orders, buyer.token, event, 1);
    const pending = (await checkoutCall(orders, buyer.token, reservation.id, { attendees: attendeesFor(reservation.items) })).body;
    const response = await refund(buyer.token, pending.id);
    expect(response.status).toBe(409);
  });
});

describe('a cancelled event', () => {
  it('refunds every paid order once, even when the message comes twice, and tells the buyers', async () => {
    const event = await orders.publishEvent({ refundableUntilHours: null });
    const buyers = await Promise.all([1, 2, 3].map(() => newBuyer(orders)));
    const paid = await Promise.all(buyers.map((b, i) => buy(orders, b.token, event, i + 1)));
    const cancellation = { id: randomUUID(), type: eventCancelledV1.type, source: 'catalog-service', time: new Date().toISOString(), subject: event.eventId, version: 2, data: { ...event, status: 'cancelled' } };
    await publishOnBus(orders.amqpUrl, orders.prefix, cancellation);
    await publishOnBus(orders.amqpUrl, orders.prefix, cancellation);
    // A new message id with the same version: the version guard, not only the inbox, keeps it once.
    await publishOnBus(orders.amqpUrl, orders.prefix, { ...cancellation, id: randomUUID() });
    for (const [i, response] of paid.entries()) {
      await waitFor(`order ${i} refunded`, async () => (await call(orders.url, 'GET', `/api/orders/${response.body.id}`, { token: buyers[i]!.token })).body.status === 'refunded', { timeoutMs: 15_000 });
    }
    const refunds = await orders.sql`select r.reason, r.status from orders.refunds r join orders.orders o on o.id = r.order_id where o.event_id = ${event.eventId}`;
    expect(refunds).toHaveLength(3);
    expect(refunds.every((r) => r.reason === 'event-cancelled' && r.status === 'succeeded')).toBe(true);
    const [valid] = await orders.sql`select count(*)::int as n from orders.tickets where event_id = ${event.eventId} and status = 'valid'`;
    expect(valid!.n).toBe(0);
    for (const buyer of buyers) await waitFor('the cancellation mail', () => smtp.mails.find((m) => m.to.includes(`${buyer.userId}@example.test`) && /refund/i.test(m.subject)));
    const mails = smtp.mails.filter((m) => buyers.some((b) => m.to.includes(`${b.userId}@example.test`)) && /refund/i.test(m.subject));
    expect(mails).toHaveLength(3);
    expect((await holdTickets(orders, buyers[0]!.token, event, 1).catch((error: Error) => error.message))).toContain('410');
  });
});

describe('an order paid twice', () => {
  it('refunds the duplicate at once, and a later refund gives back the payment that paid the order', async () => {
    const event = await orders.publishEvent({ refundableUntilHours: 48 });
    const buyer = await newBuyer(orders);
    const reservation = await holdTickets(orders, buyer.token, event, 1);
    const body = { attendees: attendeesFor(reservation.items) };
    // Two checkouts (two tabs): two payments at the provider for the one order.
    const first = await checkoutCall(orders, buyer.token, reservation.id, body);
    const second = await checkoutCall(orders, buyer.token, reservation.id, body);
    const [p1, p2] = [first.body.payment, second.body.payment].map((p: { redirectUrl: string }) => new URL(p.redirectUrl).pathname);
    const pay = (path: string) => fetch(`${orders.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ cardNumber: '4242 4242 4242 4242', action: 'pay' }).toString() });
    await pay(p2!);
    await waitFor('paid', async () => (await call(orders.url, 'GET', `/api/orders/${first.body.id}`, { token: buyer.token })).body.status === 'paid');
    await pay(p1!);
    await waitFor('the duplicate refunded', async () => (await orders.sql`select status from orders.refunds where order_id = ${first.body.id} and reason = 'duplicate-payment'`)[0]?.status === 'succeeded');
    const refunded = await refund(buyer.token, first.body.id);
    expect(refunded.body.status).toBe('refunded');
    const provider = await orders.sql`select id, refunded_minor from orders.test_provider_payments where reference = ${first.body.id} and id like 'tp_%' order by id`;
    expect(provider.map((p) => p.refunded_minor)).toEqual([3500, 3500]);
  });
});
