import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnBus, startSmtpCapture, waitFor, type SmtpCapture } from '@twenny/testing';
import { parseTicketSigningKeys, DEVELOPMENT_TICKET_SIGNING_KEYS } from '../src/tickets/signing-keys.ts';
import { verifyTicketCode } from '../src/domain/ticket-code.ts';
import { attendeesFor, buy, cards, checkoutCall, holdTickets, newBuyer } from './support/buying.ts';
import { call } from './support/http.ts';
import { startTestOrderService, type TestOrderService } from './support/order-service.ts';

let orders: TestOrderService;
let smtp: SmtpCapture;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  smtp = await startSmtpCapture();
  orders = await startTestOrderService({ ORDER_HOLD_SECONDS: '600' });
  worker = await orders.startWorker({ SMTP_URL: smtp.url, ORDER_SWEEP_EVERY_MS: '0' });
});
afterAll(async () => {
  await worker?.stop();
  await orders?.stop();
  await smtp?.close();
});

async function numbers(ticketTypeId: string) {
  const [row] = await orders.sql`select held, sold from orders.inventory where ticket_type_id = ${ticketTypeId}`;
  return row as { held: number; sold: number };
}

describe('checkout in direct mode', () => {
  it('pays, issues one signed ticket per attendee, announces it and mails the tickets', async () => {
    const bus = await listenOnBus(orders.amqpUrl, orders.prefix, 'order.order.paid.v1');
    const event = await orders.publishEvent();
    const { token, userId } = await newBuyer(orders);
    const response = await buy(orders, token, event, 2);
    expect(response.status).toBe(201);
    const order = response.body;
    expect(order).toMatchObject({ status: 'paid', total: 7000, currency: 'EUR', event: { id: event.eventId, title: event.title }, payment: { status: 'succeeded' } });
    expect(order.tickets).toHaveLength(2);
    const keys = parseTicketSigningKeys(DEVELOPMENT_TICKET_SIGNING_KEYS);
    for (const ticket of order.tickets) {
      expect(verifyTicketCode(ticket.code, keys)).toMatchObject({ ok: true, ticketId: ticket.id, eventId: event.eventId });
    }
    expect(await numbers(event.ticketTypes[0]!.ticketTypeId)).toEqual({ held: 0, sold: 2 });

    await waitFor('order.order.paid.v1', () => bus.received.find((m) => m.subject === order.id));
    const paid = bus.received.find((m) => m.subject === order.id)!.data as { ticketIds: string[] };
    expect(paid).toMatchObject({ orderId: order.id, userId, totalMinor: 7000 });
    expect([...paid.ticketIds].sort()).toEqual(order.tickets.map((t: { id: string }) => t.id).sort());
    const mail = await waitFor('the confirmation mail', () => smtp.mails.find((m) => m.to.includes(`${userId}@example.test`)));
    expect(mail.text).toContain(order.tickets[0].code);

    const qr = await fetch(new URL(order.tickets[0].qr, orders.url), { headers: { authorization: `Bearer ${token}` } });
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect((await fetch(new URL(order.tickets[0].qr, orders.url), { headers: { authorization: `Bearer ${await orders.tokenFor('someone-else')}` } })).status).toBe(404);
    await bus.close();
  });

  it('answers 402 for a declined card and keeps the hold, so another card can pay', async () => {
    const event = await orders.publishEvent();
    const { token } = await newBuyer(orders);
    const reservation = await holdTickets(orders, token, event, 1);
    const body = (cardNumber: string) => ({ attendees: attendeesFor(reservation.items), payment: { method: 'card', cardNumber } });
    const declined = await checkoutCall(orders, token, reservation.id, body(cards.declined));
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ title: 'Payment failed', code: 'card_declined' });
    const poor = await checkoutCall(orders, token, reservation.id, body(cards.insufficientFunds));
    expect(poor.body).toMatchObject({ code: 'insufficient_funds' });
    expect(await numbers(event.ticketTypes[0]!.ticketTypeId)).toEqual({ held: 1, sold: 0 });
    const paid = await checkoutCall(orders, token, reservation.id, body(cards.success));
    expect(paid.status).toBe(201);
    expect(paid.body.status).toBe('paid');
    const [row] = await orders.sql`select count(*)::int as n from orders.payments where order_id = ${paid.body.id}`;
    expect(row!.n).toBe(3);
  });

  it('never stores or logs the card number', async () => {
    const event = await orders.publishEvent();
    const { token } = await newBuyer(orders);
    await buy(orders, token, event, 1);
    const digits = cards.success.replaceAll(' ', '');
    for (const table of ['payments', 'test_provider_payments', 'idempotency_keys', 'orders', 'outbox']) {
      const [dump] = await orders.sql`select coalesce(string_agg(t::text, ' '), '') as all from ${orders.sql('orders.' + table)} t`;
      expect(dump!.all, table).not.toContain(digits);
    }
    const [stored] = await orders.sql`select card_last4 from orders.test_provider_payments order by created_at desc limit 1`;
    expect(stored!.card_last4).toBe('4242');
    expect(JSON.stringify(orders.logs)).not.toContain(digits);
  });

  it('pays a free order at once, without a payment', async () => {
    const event = await orders.publishEvent({ ticketTypes: [{ ticketTypeId: randomUUID(), name: 'Free entry', priceMinor: 0, capacity: 50, salesStartAt: null, salesEndAt: null, minPerOrder: 1, maxPerOrder: 10, hidden: false }] });
    const { token } = await newBuyer(orders);
    const reservation = await holdTickets(orders, token, event, 3);
    const response = await checkoutCall(orders, token, reservation.id, { attendees: attendeesFor(reservation.items) });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'paid', total: 0 });
    expect(response.body.payment).toBeUndefined();
    expect(response.body.tickets).toHaveLength(3);
  });
});

describe('idempotent checkout', () => {
  it('20 parallel checkouts with one key make one order and one payment, and 20 identical answers', async () => {
    const event = await orders.publishEvent();
    const { token } = await newBuyer(orders);
    const reservation = await holdTickets(orders, token, event, 2);
    const key = randomUUID();
    const body = { attendees: attendeesFor(reservation.items) };
    const answers = await Promise.all(Array.from({ length: 20 }, () => checkoutCall(orders, token, reservation.id, body, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(answers[0]!.body).toMatchObject({ status: 'pending', payment: { status: 'open' } });
    const [counts] = await orders.sql`select (select count(*)::int from orders.orders where reservation_id = ${reservation.id}) as orders, (select count(*)::int from orders.payments p join orders.orders o on o.id = p.order_id where o.reservation_id = ${reservation.id}) as payments`;
    expect(counts).toEqual({ orders: 1, payments: 1 });
    const other = await checkoutCall(orders, token, reservation.id, { attendees: attendeesFor(reservation.items).map((a) => ({ ...a, name: 'Someone else' })) }, key);
    expect(other.status).toBe(422);
  });
});

describe('checkout refusals', () => {
  it('refuses missing keys, wrong attendees, other buyers, foreign return URLs and bad cards clearly', async () => {
    const event = await orders.publishEvent();
    const { token } = await newBuyer(orders);
    const reservation = await holdTickets(orders, token, event, 2);
    const path = `/api/reservations/${reservation.id}/checkout`;
    const attendees = attendeesFor(reservation.items);

    const noKey = await call(orders.url, 'POST', path, { token, body: { attendees } });
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors[0].name).toBe('header.idempotency-key');

    const tooFew = await checkoutCall(orders, token, reservation.id, { attendees: attendees.slice(0, 1) });
    expect(tooFew.status).toBe(422);
    expect(tooFew.body.detail).toContain('name exactly 2 attendee(s)');

    const foreignType = await checkoutCall(orders, token, reservation.id, { attendees: [attendees[0], { ...attendees[1], ticketTypeId: randomUUID() }] });
    expect(foreignType.status).toBe(422);

    expect((await checkoutCall(orders, await orders.tokenFor('not-the-buyer'), reservation.id, { attendees })).status).toBe(404);
    for (const returnUrl of ['https://evil.example/steal', '//evil.example/steal', 'http://', 'javascript:alert(1)', 'https://exa mple.com']) {
      const redirect = await checkoutCall(orders, token, reservation.id, { attendees, returnUrl });
      expect(redirect.status, returnUrl).toBe(400);
      expect(redirect.body.errors[0].name).toBe('body.returnUrl');
    }
    const badCard = await checkoutCall(orders, token, reservation.id, { attendees, payment: { method: 'card', cardNumber: '1234 5678' } });
    expect(badCard.status).toBe(400);
    expect(badCard.body.errors[0].name).toBe('body.payment.cardNumber');
    const hostile = await checkoutCall(orders, token, reservation.id, { attendees: attendees.map((a) => ({ ...a, name: 'x\u0000y' })) });
    expect(hostile.status).toBe(400);
    const badEmail = await checkoutCall(orders, token, reservation.id, { attendees: attendees.map((a) => ({ ...a, email: 'not-an-email' })) });
    expect(badEmail.status).toBe(400);
    expect(await numbers(event.ticketTypes[0]!.ticketTypeId)).toEqual({ held: 2, sold: 0 });
  });

  it('answers 410 once the hold has ended', async () => {
    const event = await orders.publishEvent();
    const { token } = await newBuyer(orders);
    const reservation = await holdTickets(orders, token, event, 1);
    await call(orders.url, 'DELETE', `/api/reservations/${reservation.id}`, { token });
    const response = await checkoutCall(orders, token, reservation.id, { attendees: attendeesFor(reservation.items) });
    expect(response.status).toBe(410);
    expect(response.body.title).toBe('Hold expired');
  });
});

describe('orders and tickets of a buyer', () => {
  it('lists only the caller\'s own, newest first, with cursors', async () => {
    const event = await orders.publishEvent();
    const { token } = await newBuyer(orders);
    const first = await buy(orders, token, event, 1);
    const second = await buy(orders, token, event, 2);
    const page1 = await call(orders.url, 'GET', '/api/orders?limit=1', { token });
    expect(page1.body.items.map((o: { id: string }) => o.id)).toEqual([second.body.id]);
    const page2 = await call(orders.url, 'GET', `/api/orders?limit=1&before=${page1.body.next}`, { token });
    expect(page2.body.items.map((o: { id: string }) => o.id)).toEqual([first.body.id]);
    expect(page2.body.next).toBeNull();
    // One page is read in one statement for all its orders: each reads as the order on its own does.
    const all = await call(orders.url, 'GET', '/api/orders', { token });
    expect(all.body.items.map((o: { id: string }) => o.id)).toEqual([second.body.id, first.body.id]);
    for (const listed of all.body.items as Array<{ id: string }>) expect(listed).toEqual((await call(orders.url, 'GET', `/api/orders/${listed.id}`, { token })).body);
    expect(all.body.items.map((o: { tickets: unknown[]; payment: { status: string } }) => [o.tickets.length, o.payment.status])).toEqual([[2, 'succeeded'], [1, 'succeeded']]);
    const tickets = await call(orders.url, 'GET', '/api/tickets', { token });
    expect(tickets.body.items).toHaveLength(3);
    expect(tickets.body.items[0]).toMatchObject({ event: { id: event.eventId, title: event.title }, status: 'valid' });
    const stranger = await orders.tokenFor('stranger');
    expect((await call(orders.url, 'GET', `/api/orders/${first.body.id}`, { token: stranger })).status).toBe(404);
    expect((await call(orders.url, 'GET', '/api/orders', { token: stranger })).body.items).toEqual([]);
    for (const before of ['garbage', Buffer.from(JSON.stringify(['2027-01-01T00:00:00Z', '-'.repeat(36)])).toString('base64url'), Buffer.from(JSON.stringify(['+275760-01-01T00:00:00Z', randomUUID()])).toString('base64url')]) {
      expect((await call(orders.url, 'GET', `/api/orders?before=${before}`, { token })).status, before).toBe(400);
      expect((await call(orders.url, 'GET', `/api/tickets?before=${before}`, { token })).status, before).toBe(400);
    }
    const keys = await call(orders.url, 'GET', '/api/tickets/keys');
    expect(keys.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'dev' });
  });
});
