import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import type { DbExecutor } from '@twenny/messaging';
import { developmentWebhookSecret } from '../src/config.ts';
import { signWebhook } from '../src/payments/webhook-signature.ts';
import { expireReservation } from '../src/use-cases/expire-reservation.ts';
import { attendeesFor, cards, checkoutCall, holdTickets, newBuyer } from './support/buying.ts';
import { call } from './support/http.ts';
import { startTestOrderService, type TestOrderService } from './support/order-service.ts';

/**
 * The provider's webhooks pass through a relay of the test's own on their way
 * to order-service, so a test can see them, hold them back, and send them again.
 */
let relay: Server;
let forwardTo = '';
const delivered: Array<{ body: string; signature: string }> = [];
let holdBack = false;

let orders: TestOrderService;

beforeAll(async () => {
  relay = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    delivered.push({ body, signature: String(req.headers['twenny-signature']) });
    if (holdBack) return void res.writeHead(503).end();
    const answer = await fetch(`${forwardTo}/api/payments/webhooks/test`, { method: 'POST', headers: { 'content-type': 'application/json', 'twenny-signature': String(req.headers['twenny-signature']) }, body });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  orders = await startTestOrderService({ ORDER_HOLD_SECONDS: '4', PAYMENT_WEBHOOK_URL: `http://127.0.0.1:${(relay.address() as AddressInfo).port}/hook`, PAYMENT_PAGE_BASE_URL: 'http://site.test' });
  forwardTo = orders.url;
});
afterAll(async () => {
  await orders?.stop();
  relay?.close();
});

const sendWebhook = (body: string, signature: string) => fetch(`${orders.url}/api/payments/webhooks/test`, { method: 'POST', headers: { 'content-type': 'application/json', 'twenny-signature': signature }, body });
const orderOf = async (token: string, id: string) => (await call(orders.url, 'GET', `/api/orders/${id}`, { token })).body;

/** Checks out in hosted mode; answers the order and the hosted page's path on order-service. */
async function startHostedCheckout(quantity: number, capacity = 100) {
  const event = await orders.publishEvent({ ticketTypes: [{ ticketTypeId: randomUUID(), name: 'Standing', priceMinor: 2500, capacity, salesStartAt: null, salesEndAt: null, minPerOrder: 1, maxPerOrder: 10, hidden: false }] });
  const buyer = await newBuyer(orders);
  const reservation = await holdTickets(orders, buyer.token, event, quantity);
  const response = await checkoutCall(orders, buyer.token, reservation.id, { attendees: attendeesFor(reservation.items), returnUrl: '/checkout/done' });
  expect(response.status).toBe(201);
  const redirect = new URL(response.body.payment.redirectUrl);
  expect(redirect.origin).toBe('http://site.test');
  return { event, buyer, reservation, order: response.body, pagePath: redirect.pathname };
}

async function payOnPage(pagePath: string, cardNumber: string) {
  const page = await fetch(`${orders.url}${pagePath}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<form');
  return fetch(`${orders.url}${pagePath}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ cardNumber, action: 'pay' }).toString() });
}

describe('hosted payment flow', () => {
  it('redirects to the hosted page, and a valid signed webhook makes the order paid', async () => {
    const { buyer, order, pagePath } = await startHostedCheckout(2);
    expect(order).toMatchObject({ status: 'pending', payment: { status: 'open' } });
    const paid = await payOnPage(pagePath, cards.success);
    expect(paid.status).toBe(303);
    const back = new URL(paid.headers.get('location')!);
    expect(back.origin + back.pathname).toBe('http://127.0.0.1:3000/checkout/done');
    expect(back.searchParams.get('order')).toBe(order.id);
    expect(back.searchParams.get('payment')).toBe('succeeded');
    await waitFor('the order to be paid', async () => (await orderOf(buyer.token, order.id)).status === 'paid');
    expect((await orderOf(buyer.token, order.id)).tickets).toHaveLength(2);
  });

  it('refuses a webhook with a bad signature with 400 and changes nothing', async () => {
    const { buyer, order, pagePath } = await startHostedCheckout(1);
    holdBack = true;
    await payOnPage(pagePath, cards.success);
    const webhook = delivered.at(-1)!;
    const forged = await sendWebhook(webhook.body, signWebhook(webhook.body, 'not-the-secret-at-all'));
    expect(forged.status).toBe(400);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    expect((await sendWebhook(webhook.body, 'garbage')).status).toBe(400);
    expect((await sendWebhook(webhook.body.replace('"succeeded"', '"failed"'), webhook.signature)).status).toBe(400);
    expect((await orderOf(buyer.token, order.id)).status).toBe('pending');
    // The genuine one still works afterwards.
    expect((await sendWebhook(webhook.body, webhook.signature)).status).toBe(200);
    holdBack = false;
    expect((await orderOf(buyer.token, order.id)).status).toBe('paid');
  });

  it('refuses a genuinely signed webhook whose amount is not the payment\'s with 422, and changes nothing', async () => {
    const { buyer, order, pagePath } = await startHostedCheckout(1);
    holdBack = true;
    await payOnPage(pagePath, cards.success);
    const webhook = delivered.at(-1)!;
    const body = JSON.parse(webhook.body) as { amountMinor: number };
    const altered = JSON.stringify({ ...body, amountMinor: body.amountMinor - 1 });
    const refused = await sendWebhook(altered, signWebhook(altered, [developmentWebhookSecret]));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { type: string }).type).toBe('https://twenny.dev/problems/payment-mismatch');
    const [payment] = await orders.sql`select status from orders.payments where order_id = ${order.id}`;
    expect(payment!.status).toBe('open');
    expect((await orderOf(buyer.token, order.id)).status).toBe('pending');
    expect((await sendWebhook(webhook.body, webhook.signature)).status).toBe(200);
    holdBack = false;
    expect((await orderOf(buyer.token, order.id)).status).toBe('paid');
  });

  it('applies the same webhook twice only once', async () => {
    const { buyer, order, pagePath } = await startHostedCheckout(3);
    await payOnPage(pagePath, cards.success);
    await waitFor('the order to be paid', async () => (await orderOf(buyer.token, order.id)).status === 'paid');
    const webhook = delivered.at(-1)!;
    const again = await sendWebhook(webhook.body, webhook.signature);
    expect(await again.json()).toMatchObject({ received: true, outcome: 'duplicate' });
    const [counts] = await orders.sql`select count(*)::int as tickets from orders.tickets where order_id = ${order.id}`;
    expect(counts!.tickets).toBe(3);
  });

  it('honours a webhook that arrives after the hold expired while stock remains', async () => {
    const { buyer, order, pagePath, event, reservation } = await startHostedCheckout(2);
    holdBack = true;
    await payOnPage(pagePath, cards.success);
    await waitFor('the hold to be over', () => Date.now() > new Date(reservation.expiresAt).getTime() + 300, { timeoutMs: 10_000 });
    // The hold's timer fires meanwhile: its tickets go back on sale.
    expect(await expireReservation(orders.service.database.db as unknown as DbExecutor, order.reservationId)).toBe('expired');
    expect((await orders.sql`select status from orders.orders where id = ${order.id}`)[0]!.status).toBe('expired');
    const webhook = delivered.at(-1)!;
    expect((await sendWebhook(webhook.body, webhook.signature)).status).toBe(200);
    holdBack = false;
    const late = await orderOf(buyer.token, order.id);
    expect(late.status).toBe('paid');
    expect(late.tickets).toHaveLength(2);
    const [numbers] = await orders.sql`select held, sold from orders.inventory where ticket_type_id = ${event.ticketTypes[0]!.ticketTypeId}`;
    expect(numbers).toEqual({ held: 0, sold: 2 });
  });

  it('refunds a payment that arrives after the hold expired and the tickets were sold to someone else', async () => {
    const { buyer, order, pagePath, event, reservation } = await startHostedCheckout(2, 2);
    holdBack = true;
    await payOnPage(pagePath, cards.success);
    await waitFor('the hold to be over', () => Date.now() > new Date(reservation.expiresAt).getTime() + 300, { timeoutMs: 10_000 });
    const rival = await newBuyer(orders);
    // The rival's hold releases the expired one, as any buyer short of stock would.
    const rivalHold = await holdTickets(orders, rival.token, event, 2);
    expect(rivalHold.id).toBeTruthy();
    expect((await orders.sql`select status from orders.orders where id = ${order.id}`)[0]!.status).toBe('expired');
    const webhook = delivered.at(-1)!;
    expect((await sendWebhook(webhook.body, webhook.signature)).status).toBe(200);
    holdBack = false;
    const late = await waitFor('the refund', async () => {
      const current = await orderOf(buyer.token, order.id);
      return current.status === 'refunded' ? current : undefined;
    });
    expect(late.tickets).toEqual([]);
    expect(late.statusReason).toContain('refunded');
    const [refund] = await orders.sql`select reason, status, amount_minor from orders.refunds where order_id = ${order.id}`;
    expect(refund).toEqual({ reason: 'paid-after-sell-out', status: 'succeeded', amount_minor: 5000 });
    const [numbers] = await orders.sql`select held, sold from orders.inventory where ticket_type_id = ${event.ticketTypes[0]!.ticketTypeId}`;
    expect(numbers).toEqual({ held: 2, sold: 0 });
  });

  it('reconciles a payment whose webhook never arrives: the worker asks the provider', async () => {
    const worker = await orders.startWorker({ ORDER_SWEEP_EVERY_MS: '300', ORDER_PAYMENT_RECONCILE_AFTER_MS: '500' });
    try {
      const { buyer, order, pagePath } = await startHostedCheckout(1);
      holdBack = true;
      await payOnPage(pagePath, cards.success);
      const paid = await waitFor('the worker to reconcile the payment', async () => {
        const current = await orderOf(buyer.token, order.id);
        return current.status === 'paid' ? current : undefined;
      }, { timeoutMs: 10_000 });
      expect(paid.tickets).toHaveLength(1);
    } finally {
      holdBack = false;
      await worker.stop();
    }
  });
});
