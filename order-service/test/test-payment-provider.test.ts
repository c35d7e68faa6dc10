import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@twenny/db';
import { createHttpApp, startHttpServer } from '@twenny/http-kit';
import { createLifecycle, type Lifecycle } from '@twenny/lifecycle';
import { captureLogger, createTestDatabase, waitFor, type TestDatabase } from '@twenny/testing';
import { testProviderRoutes } from '../src/http/test-provider-routes.ts';
import { PaymentRefusedError, WebhookSignatureError, type CreatePaymentInput } from '../src/payments/payment-provider.ts';
import { InvalidCardError } from '../src/payments/test-cards.ts';
import { createTestProvider, type TestPaymentProvider } from '../src/payments/test-provider.ts';
import { signWebhook, verifyWebhookSignature } from '../src/payments/webhook-signature.ts';

const secret = 'test-provider-secret-0123456789';
const returnUrl = 'http://shop.example:3000/orders/o1?step=pay#top';
const cardsTyped = ['4242 4242 4242 4242', '4000-0000-0000-0002', '4000000000009995', '5555 5555 5555 4444', '4242 4242 4242 4241'];

let testDatabase: TestDatabase;
let database: Database<Record<string, unknown>>;
let lifecycle: Lifecycle;
let provider: TestPaymentProvider;
let appUrl: string;
const logs = captureLogger('order-service');

/** A stand-in for order-service's webhook route: keeps what it is sent, answers as told. */
interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}
const received: Received[] = [];
const answers: number[] = [];
let receiver: Server;
let receiverUrl: string;

const webhooksFor = (id: string) => received.filter((r) => JSON.parse(r.body.toString()).providerPaymentId === id);

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = connectDatabase({ url: testDatabase.urlFor('order-service'), max: 4, applicationName: 'test-payment-provider-test' });

  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/payments/webhooks/test`;

  provider = createTestProvider({ db: database.db, secret, pageBaseUrl: 'http://pay.example/', webhookUrl: () => receiverUrl, logger: logs.logger, retryDelaysMs: [20, 50] });
  lifecycle = createLifecycle({ logger: logs.logger, timeoutMs: 5_000 });
  const app = createHttpApp({ logger: logs.logger, lifecycle, routes: (app) => testProviderRoutes(app, { provider }) });
  appUrl = (await startHttpServer(app, { port: 0, host: '127.0.0.1', lifecycle, logger: logs.logger })).url;
  lifecycle.markReady();
});

afterAll(async () => {
  await provider?.close();
  await lifecycle?.stop('test over');
  await new Promise((resolve) => receiver?.close(resolve));
  await database?.close();
  await testDatabase?.drop();
});

function newPayment(overrides: Partial<CreatePaymentInput> = {}) {
  return provider.createPayment({ amountMinor: 1250, currency: 'EUR', description: 'Two tickets', reference: randomUUID(), returnUrl, idempotencyKey: randomUUID(), expiresAt: new Date(Date.now() + 600_000), ...overrides });
}

const pageUrl = (id: string) => `${appUrl}/api/payments/test/${id}`;

function submit(id: string, fields: Record<string, string>) {
  return fetch(pageUrl(id), { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

async function rowOf(id: string) {
  const [row] = await database.sql`select * from orders.test_provider_payments where id = ${id}`;
  return row!;
}

async function refusalCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PaymentRefusedError);
  return (error as PaymentRefusedError).code;
}

describe('test payment provider: hosted page', () => {
  it('creates a payment with an unguessable id, and the same one again for the same idempotency key', async () => {
    const idempotencyKey = randomUUID();
    const first = await newPayment({ idempotencyKey, reference: 'order-1' });
    expect(first.providerPaymentId).toMatch(/^tp_[A-Za-z0-9_-]{43}$/);
    expect(first.redirectUrl).toBe(`http://pay.example/api/payments/test/${first.providerPaymentId}`);
    expect(await newPayment({ idempotencyKey, reference: 'order-1' })).toEqual(first);
    expect(await refusalCode(newPayment({ idempotencyKey, reference: 'order-1', amountMinor: 1 }))).toBe('idempotency_key_reused');
    expect((await newPayment()).providerPaymentId).not.toBe(first.providerPaymentId);
    const row = await rowOf(first.providerPaymentId);
    expect(row).toMatchObject({ status: 'open', amount_minor: 1250, currency: 'EUR', reference: 'order-1', card_last4: null });
  });

  it('refuses a payment it could not show or send the buyer back from', async () => {
    expect(await refusalCode(newPayment({ returnUrl: 'javascript:alert(1)' }))).toBe('invalid_request');
    expect(await refusalCode(newPayment({ currency: 'eur' }))).toBe('invalid_request');
    expect(await refusalCode(newPayment({ amountMinor: 0 }))).toBe('invalid_request');
    expect(await refusalCode(newPayment({ amountMinor: 12.5 }))).toBe('invalid_request');
  });

  it('renders the page, escaping what it shows, with strict headers', async () => {
    const { providerPaymentId } = await newPayment({ description: '<script>alert("x")</script> & <b>friends</b>' });
    const response = await fetch(pageUrl(providerPaymentId));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://shop.example:3000; frame-ancestors 'none'; base-uri 'none'",
    );
    const html = await response.text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>friends');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#60;b&#62;friends&#60;/b&#62;');
    expect(html).toContain('€12.50');
    expect(html).toMatch(/<label for="card-number">Card number<\/label>\s*<input id="card-number" name="cardNumber"/);
    for (const card of ['4242 4242 4242 4242', '4000 0000 0000 0002', '4000 0000 0000 9995']) expect(html).toContain(card);
    expect(html).toContain('<button type="submit" name="action" value="pay">Pay €12.50</button>');
    expect(html).toContain('value="cancel" formnovalidate>Cancel</button>');
  });

  it('formats the amount in the currency’s own minor units', async () => {
    const yen = await newPayment({ amountMinor: 1234, currency: 'JPY' });
    expect(await (await fetch(pageUrl(yen.providerPaymentId))).text()).toContain('¥1,234');
    const dinar = await newPayment({ amountMinor: 1234, currency: 'KWD' });
    expect(await (await fetch(pageUrl(dinar.providerPaymentId))).text()).toMatch(/KWD\s1\.234/); // three minor digits
  });

  it.each([
    { card: '4242 4242 4242 4242', outcome: 'succeeded', failureCode: undefined, back: 'succeeded', last4: '4242' },
    { card: '4000-0000-0000-0002', outcome: 'failed', failureCode: 'card_declined', back: 'failed', last4: '0002' },
    { card: '4000000000009995', outcome: 'failed', failureCode: 'insufficient_funds', back: 'failed', last4: '9995' },
    { card: '5555 5555 5555 4444', outcome: 'failed', failureCode: 'card_declined', back: 'failed', last4: '4444' },
  ])('pays with $card: sends the buyer back and delivers a signed $outcome webhook', async ({ card, outcome, failureCode, back, last4 }) => {
    const reference = randomUUID();
    const { providerPaymentId } = await newPayment({ reference });
    const response = await submit(providerPaymentId, { cardNumber: card, action: 'pay' });
    expect(response.status).toBe(303);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://shop.example:3000/orders/o1');
    expect(location.searchParams.get('step')).toBe('pay');
    expect(location.searchParams.get('payment')).toBe(back);
    expect(location.hash).toBe('#top');

    // The first attempt is made before the buyer is redirected.
    const [webhook] = webhooksFor(providerPaymentId);
    expect(webhook).toBeDefined();
    expect(webhook!.headers['content-type']).toBe('application/json');
    expect(verifyWebhookSignature(webhook!.body, webhook!.headers['twenny-signature'], secret)).toBeTypeOf('number');
    const parsed = provider.parseWebhook(webhook!.body, webhook!.headers);
    expect(parsed).toEqual({ eventId: expect.stringMatching(/^evt_/), providerPaymentId, reference, outcome, amountMinor: 1250, currency: 'EUR', ...(failureCode ? { failureCode } : {}) });
    const body = JSON.parse(webhook!.body.toString());
    expect(body).toMatchObject({ type: `payment.${outcome}`, failureCode: failureCode ?? null, created: expect.any(String) });

    expect(await rowOf(providerPaymentId)).toMatchObject({ status: outcome, failure_code: failureCode ?? null, card_last4: last4, completed_at: expect.anything() });
  });

  it('cancels without a card number', async () => {
    const { providerPaymentId } = await newPayment();
    const response = await submit(providerPaymentId, { action: 'cancel', cardNumber: '' });
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!).searchParams.get('payment')).toBe('cancelled');
    expect(provider.parseWebhook(webhooksFor(providerPaymentId)[0]!.body, webhooksFor(providerPaymentId)[0]!.headers)).toMatchObject({ outcome: 'failed', failureCode: 'cancelled' });
    expect(await rowOf(providerPaymentId)).toMatchObject({ status: 'failed', failure_code: 'cancelled', card_last4: null });
  });

  it('shows the form again with a message for a number that is not a card number, and changes nothing', async () => {
    const { providerPaymentId } = await newPayment();
    for (const cardNumber of ['4242 4242 4242 4241', '4242 abcd', '', '12']) {
      const response = await submit(providerPaymentId, { cardNumber, action: 'pay' });
      expect(response.status).toBe(422);
      expect(response.headers.get('content-security-policy')).toContain("form-action 'self' http://shop.example:3000");
      const html = await response.text();
      expect(html).toContain('role="alert"');
      expect(html).toContain('aria-invalid="true"');
      expect(html).toContain('<form method="post">');
      if (cardNumber.length > 4) expect(html).not.toContain(cardNumber);
    }
    expect(await (await submit(providerPaymentId, { action: 'pay' })).text()).toContain('Enter a card number.');
    expect(await (await submit(providerPaymentId, { cardNumber: '4242 4242 4242 4241' })).text()).toContain('This card number is not valid: check it for a typo.');
    expect(await rowOf(providerPaymentId)).toMatchObject({ status: 'open', card_last4: null, failure_code: null, completed_at: null });
    expect(webhooksFor(providerPaymentId)).toEqual([]);
  });

  it('ignores a second submit: same outcome, no second webhook', async () => {
    const { providerPaymentId } = await newPayment();
    const first = await submit(providerPaymentId, { cardNumber: '4242424242424242' });
    const second = await submit(providerPaymentId, { cardNumber: '4000000000000002' });
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await rowOf(providerPaymentId)).toMatchObject({ status: 'succeeded', card_last4: '4242' });

    // Two at once (a double click): one completes it, both are sent to its outcome.
    const racing = await newPayment();
    const both = await Promise.all([submit(racing.providerPaymentId, { cardNumber: '4242424242424242' }), submit(racing.providerPaymentId, { cardNumber: '4000000000000002' })]);
    const row = await rowOf(racing.providerPaymentId);
    const expected = row.status === 'succeeded' ? 'succeeded' : 'failed';
    for (const response of both) expect(new URL(response.headers.get('location')!).searchParams.get('payment')).toBe(expected);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(webhooksFor(providerPaymentId)).toHaveLength(1);
    expect(webhooksFor(racing.providerPaymentId)).toHaveLength(1);
  });

  it('says a completed payment is completed, and links back', async () => {
    const { providerPaymentId } = await newPayment();
    await submit(providerPaymentId, { cardNumber: '4000 0000 0000 9995' });
    const response = await fetch(pageUrl(providerPaymentId));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('This payment is completed: it failed (insufficient funds).');
    expect(html).toContain('href="http://shop.example:3000/orders/o1?step=pay&#38;payment=failed#top"');
    expect(html).not.toContain('<form');
  });

  it('answers 404 for an unknown or malformed id', async () => {
    for (const id of [`tp_${'A'.repeat(43)}`, 'nope', 'tp_..%2F..', `tr_${'A'.repeat(43)}`]) {
      const page = await fetch(pageUrl(id));
      expect(page.status, id).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('Payment not found');
      expect((await submit(id, { cardNumber: '4242424242424242' })).status).toBe(404);
    }
  });

  it('refuses an oversized form with 413', async () => {
    const { providerPaymentId } = await newPayment();
    const response = await submit(providerPaymentId, { cardNumber: '4'.repeat(5_000) });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 413, type: 'https://twenny.dev/problems/payload-too-large' });
    expect(await rowOf(providerPaymentId)).toMatchObject({ status: 'open' });
  });
});

describe('test payment provider: webhook delivery', () => {
  it('retries a webhook the receiver could not take yet', async () => {
    answers.push(503, 503);
    const { providerPaymentId } = await newPayment();
    const response = await submit(providerPaymentId, { cardNumber: '4242424242424242' });
    expect(response.status).toBe(303);
    await waitFor('the third delivery attempt', () => webhooksFor(providerPaymentId).length === 3);
    const [a, b, c] = webhooksFor(providerPaymentId).map((r) => provider.parseWebhook(r.body, r.headers));
    expect(a!.eventId).toBe(b!.eventId);
    expect(b).toEqual(c);
    await waitFor('the delivered log line', () => logs.lines.find((l) => l.msg === 'payment webhook delivered' && l.providerPaymentId === providerPaymentId && l.attempt === 3));
  });

  it('gives up on a webhook the receiver refuses, and after the last retry', async () => {
    answers.push(400);
    const refused = await newPayment();
    await submit(refused.providerPaymentId, { cardNumber: '4242424242424242' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(webhooksFor(refused.providerPaymentId)).toHaveLength(1);
    expect(logs.lines.some((l) => l.msg === 'payment webhook refused by the receiver' && l.providerPaymentId === refused.providerPaymentId)).toBe(true);

    answers.push(500, 500, 500);
    const failing = await newPayment();
    await submit(failing.providerPaymentId, { cardNumber: '4242424242424242' });
    await waitFor('the delivery to be given up', () => logs.lines.find((l) => l.msg === 'payment webhook undeliverable, giving up' && l.providerPaymentId === failing.providerPaymentId));
    expect(webhooksFor(failing.providerPaymentId)).toHaveLength(3);
  });
});

describe('test payment provider: direct charge', () => {
  it('charges in the call, returns the webhook, and delivers nothing over HTTP', async () => {
    const reference = randomUUID();
    const { providerPaymentId } = await newPayment({ reference, amountMinor: 900 });
    const webhook = await provider.chargeDirectly(providerPaymentId, '4000 0000 0000 0002');
    expect(webhook).toEqual({ eventId: expect.stringMatching(/^evt_/), providerPaymentId, reference, outcome: 'failed', failureCode: 'card_declined', amountMinor: 900, currency: 'EUR' });
    // Again (a caller that crashed before applying it): the same webhook, whatever card.
    expect(await provider.chargeDirectly(providerPaymentId, '4242424242424242')).toEqual(webhook);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(webhooksFor(providerPaymentId)).toEqual([]);
    expect(await rowOf(providerPaymentId)).toMatchObject({ status: 'failed', card_last4: '0002' });
  });

  it('throws a typed error for an invalid card or an unknown payment', async () => {
    const { providerPaymentId } = await newPayment();
    await expect(provider.chargeDirectly(providerPaymentId, '4242 4242 4242 4241')).rejects.toBeInstanceOf(InvalidCardError);
    expect(await rowOf(providerPaymentId)).toMatchObject({ status: 'open' });
    expect(await refusalCode(provider.chargeDirectly(`tp_${'B'.repeat(43)}`, '4242424242424242'))).toBe('payment_not_found');
    expect(await refusalCode(provider.chargeDirectly('whatever', '4242424242424242'))).toBe('payment_not_found');
  });
});

describe('test payment provider: refunds', () => {
  async function paid(amountMinor = 1000) {
    const { providerPaymentId } = await newPayment({ amountMinor });
    await provider.chargeDirectly(providerPaymentId, '4242424242424242');
    return providerPaymentId;
  }

  it('refunds once per idempotency key, and never more than was paid', async () => {
    const providerPaymentId = await paid(1000);
    const first = await provider.refund({ providerPaymentId, amountMinor: 400, idempotencyKey: 'refund-a' });
    expect(first.providerRefundId).toMatch(/^tr_/);
    expect(await provider.refund({ providerPaymentId, amountMinor: 400, idempotencyKey: 'refund-a' })).toEqual(first);
    expect(await rowOf(providerPaymentId)).toMatchObject({ refunded_minor: 400 });

    expect(await refusalCode(provider.refund({ providerPaymentId, amountMinor: 601, idempotencyKey: 'refund-b' }))).toBe('refund_exceeds_payment');
    const second = await provider.refund({ providerPaymentId, amountMinor: 600, idempotencyKey: 'refund-b' });
    expect(second.providerRefundId).not.toBe(first.providerRefundId);
    expect(await rowOf(providerPaymentId)).toMatchObject({ refunded_minor: 1000 });
    // A retry of a refund that used up the payment is still the same refund, not an over-refund.
    expect(await provider.refund({ providerPaymentId, amountMinor: 600, idempotencyKey: 'refund-b' })).toEqual(second);
    expect(await refusalCode(provider.refund({ providerPaymentId, amountMinor: 1, idempotencyKey: 'refund-c' }))).toBe('refund_exceeds_payment');
    expect(await refusalCode(provider.refund({ providerPaymentId, amountMinor: 500, idempotencyKey: 'refund-a' }))).toBe('idempotency_key_reused');
    expect(await rowOf(providerPaymentId)).toMatchObject({ refunded_minor: 1000, status: 'succeeded' });
  });

  it('lets only one of two parallel refunds through when both would not fit', async () => {
    const providerPaymentId = await paid(1000);
    const results = await Promise.allSettled([
      provider.refund({ providerPaymentId, amountMinor: 600, idempotencyKey: 'x' }),
      provider.refund({ providerPaymentId, amountMinor: 600, idempotencyKey: 'y' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await rowOf(providerPaymentId)).toMatchObject({ refunded_minor: 600 });
  });

  it('refuses to refund what was not paid, and works inside a caller’s transaction', async () => {
    const { providerPaymentId: open } = await newPayment();
    expect(await refusalCode(provider.refund({ providerPaymentId: open, amountMinor: 1, idempotencyKey: 'k' }))).toBe('payment_not_refundable');
    expect(await refusalCode(provider.refund({ providerPaymentId: `tp_${'C'.repeat(43)}`, amountMinor: 1, idempotencyKey: 'k' }))).toBe('payment_not_found');
    expect(await refusalCode(provider.refund({ providerPaymentId: open, amountMinor: -5, idempotencyKey: 'k' }))).toBe('invalid_request');

    // Given a transaction, its refusal rolls back to a savepoint and leaves the caller's transaction usable.
    const payment = await paid(500);
    await database.db.transaction(async (tx) => {
      const inTx = createTestProvider({ db: tx, secret, pageBaseUrl: 'http://pay.example', webhookUrl: () => receiverUrl, logger: logs.logger });
      expect(await refusalCode(inTx.refund({ providerPaymentId: payment, amountMinor: 501, idempotencyKey: 'k' }))).toBe('refund_exceeds_payment');
      await inTx.refund({ providerPaymentId: payment, amountMinor: 500, idempotencyKey: 'k' });
    });
    expect(await rowOf(payment)).toMatchObject({ refunded_minor: 500 });
  });
});

describe('test payment provider: webhook parsing', () => {
  const validBody = (id: string) =>
    JSON.stringify({ eventId: 'evt_x', type: 'payment.succeeded', providerPaymentId: id, reference: 'r', outcome: 'succeeded', failureCode: null, amountMinor: 1, currency: 'EUR', created: new Date().toISOString() });
  const id = `tp_${'D'.repeat(43)}`;

  it('reads a well-signed webhook', () => {
    const body = Buffer.from(validBody(id));
    expect(provider.parseWebhook(body, { 'twenny-signature': signWebhook(body, secret) })).toMatchObject({ providerPaymentId: id, outcome: 'succeeded' });
  });

  it('refuses a bad signature, a stale one, a missing one, and a signed body that is not a webhook', () => {
    const body = Buffer.from(validBody(id));
    const refused = (raw: Buffer, headers: Record<string, string | undefined>) => expect(() => provider.parseWebhook(raw, headers)).toThrow(WebhookSignatureError);
    refused(body, { 'twenny-signature': signWebhook(body, 'some-other-secret-0123') });
    refused(body, { 'twenny-signature': signWebhook(body, secret, Date.now() - 10 * 60_000) });
    refused(body, {});
    refused(body, { 'twenny-signature': 'garbage' });
    refused(Buffer.from(`${body} `), { 'twenny-signature': signWebhook(body, secret) });
    for (const raw of ['not json', '[]', 'null', '{}', validBody(id).replace('"payment.succeeded"', '"payment.failed"'), validBody('tp_short'), '\u0000\u0001']) {
      const bytes = Buffer.from(raw);
      refused(bytes, { 'twenny-signature': signWebhook(bytes, secret) });
    }
  });
});

describe('test payment provider: card numbers', () => {
  it('never stores or logs a card number, only its last four digits', async () => {
    const table = await database.sql<{ row: string }[]>`select row_to_json(p)::text as row from orders.test_provider_payments p`;
    const stored = table.map((r) => r.row).join('\n');
    const logged = JSON.stringify(logs.lines);
    expect(stored).toContain('"card_last4":"4242"');
    for (const typed of cardsTyped) {
      for (const form of [typed, typed.replace(/[ -]/g, ''), typed.replace(/[ -]/g, '').slice(0, 12)]) {
        expect(stored).not.toContain(form);
        expect(logged).not.toContain(form);
      }
    }
    expect(logs.lines.some((l) => l.msg === 'test payment completed' && l.cardLast4 === '9995')).toBe(true);
  });
});

describe('payment expiry', () => {
  it('ends an open payment as expired after its expiry: the page no longer takes the card, and retrieving it says so', async () => {
    const { providerPaymentId } = await newPayment({ expiresAt: new Date(Date.now() + 300) });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const outcome = await provider.retrievePayment(providerPaymentId);
    expect(outcome).toMatchObject({ outcome: 'expired', providerPaymentId });
    const { payment } = await provider.completePayment(providerPaymentId, { kind: 'pay', cardNumber: '4242 4242 4242 4242' });
    expect(payment.status).toBe('expired');
    expect(await provider.retrievePayment((await newPayment()).providerPaymentId)).toBeUndefined();
  });
});
