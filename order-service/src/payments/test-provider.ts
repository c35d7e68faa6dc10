import { createHash, createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { testProviderPayments } from '../db/schema.ts';
import { PaymentRefusedError, WebhookSignatureError, type CreatePaymentInput, type CreatedPayment, type DirectChargeProvider, type PaymentWebhook } from './payment-provider.ts';
import { chargeTestCard } from './test-cards.ts';
import { signatureHeaderName, signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

/**
 * The built-in `test` provider: a stand-in for an external processor, living
 * in order-service's process and schema but behaving like one from outside.
 * It keeps its own records (test_provider_payments), serves a hosted page
 * (http/test-provider-routes.ts), and tells order-service the outcome only by
 * signed webhook, delivered over HTTP and retried like a real one's.
 */

/** Where the hosted page is served; the buyer is sent to `${pageBaseUrl}${testPaymentPagePath}/<id>`. */
export const testPaymentPagePath = '/api/payments/test';

export type TestPayment = typeof testProviderPayments.$inferSelect;

/** What the buyer did on the hosted page. */
export type BuyerAction = { kind: 'pay'; cardNumber: string } | { kind: 'cancel' };

export interface TestPaymentProvider extends DirectChargeProvider {
  readonly name: 'test';
  /** A payment by id, for the hosted page; undefined for an id that is not one. */
  findPayment(providerPaymentId: string): Promise<TestPayment | undefined>;
  /**
   * The hosted page's submit: completes an open payment and delivers its webhook
   * (waiting for the first attempt only; retries go on in the background). A
   * completed payment is returned as it is, and nothing is delivered again.
   * Throws InvalidCardError for a number that is not a card number.
   */
  completePayment(providerPaymentId: string, action: BuyerAction): Promise<{ payment: TestPayment; completedNow: boolean }>;
  /** Stops retrying deliveries (logging what is left undelivered) and waits for those in flight. */
  close(): Promise<void>;
}

export interface TestProviderOptions {
  db: DbExecutor;
  /** Signs webhooks and keys payment ids. While rotating, a list: webhooks carry a signature for each; the first keys ids. */
  secret: string | readonly string[];
  /** The public origin (and prefix) the buyer's browser reaches the hosted page at, e.g. http://localhost:3000. */
  pageBaseUrl: string;
  /** Where webhooks go; a function because the service's own address is known only once it listens. */
  webhookUrl: () => string;
  logger: Logger;
  fetch?: typeof globalThis.fetch;
  /** Waits between delivery attempts; one more attempt than there are delays. */
  retryDelaysMs?: readonly number[];
  attemptTimeoutMs?: number;
}

const paymentIdPattern = /^tp_[A-Za-z0-9_-]{43}$/;
const cancelledCode = 'cancelled';

export function isTestPaymentId(id: string): boolean {
  return paymentIdPattern.test(id);
}

/** What is signed and POSTed: everything a receiver needs, nothing about the card. */
const webhookBodySchema = z
  .object({
    eventId: z.string().min(1).max(100),
    type: z.enum(['payment.succeeded', 'payment.failed', 'payment.expired']),
    providerPaymentId: z.string().regex(paymentIdPattern),
    reference: z.string().min(1),
    outcome: z.enum(['succeeded', 'failed', 'expired']),
    failureCode: z.string().min(1).nullable(),
    amountMinor: z.number().int().positive(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    created: z.iso.datetime(),
  })
  .refine((body) => body.type === `payment.${body.outcome}`, 'type and outcome disagree');

type WebhookBody = z.infer<typeof webhookBodySchema>;

const createPaymentSchema = z.object({
  amountMinor: z.number().int().positive().max(2_147_483_647),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals'),
  description: z.string().min(1).max(1000),
  reference: z.string().min(1).max(200),
  // Shown as a link and redirected to: anything but http(s) could run script.
  returnUrl: z.url({ protocol: /^https?$/ }),
  idempotencyKey: z.string().min(1).max(255),
  expiresAt: z.date(),
});

const refundSchema = z.object({
  providerPaymentId: z.string(),
  amountMinor: z.number().int().positive().max(2_147_483_647),
  idempotencyKey: z.string().min(1).max(255),
});

function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new PaymentRefusedError('invalid_request', `The request is not valid (${fields}).`);
}

export function createTestProvider(options: TestProviderOptions): TestPaymentProvider {
  const { db, logger, webhookUrl, retryDelaysMs = [250, 1_000, 5_000, 15_000], attemptTimeoutMs = 5_000 } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const secrets = typeof options.secret === 'string' ? [options.secret] : [...options.secret];
  if (secrets.length === 0 || secrets.some((secret) => secret.length < 16)) {
    throw new Error('the test payment provider needs a secret of at least 16 characters');
  }
  const pageBaseUrl = options.pageBaseUrl.replace(/\/+$/, '');
  const t = testProviderPayments;

  // Ids are keyed, not random: the same idempotency key gives the same payment
  // (a retried createPayment finds the first one), yet without the secret no
  // id can be guessed, and the id is all that opens the hosted page.
  const idKey = createHmac('sha256', secrets[0]!).update('twenny test provider ids').digest();
  const keyedId = (prefix: string, ...parts: string[]) => `${prefix}_${createHmac('sha256', idKey).update(parts.join('\0')).digest('base64url')}`;
  // One completion per payment, so one event: its id follows from the payment's, and a repeat is recognisable.
  const eventIdOf = (paymentId: string) => `evt_${createHash('sha256').update(`${paymentId}\0completed`).digest('base64url').slice(0, 32)}`;

  async function findPayment(providerPaymentId: string): Promise<TestPayment | undefined> {
    if (!isTestPaymentId(providerPaymentId)) return undefined;
    await expireIfDue(providerPaymentId);
    const [payment] = await db.select().from(t).where(eq(t.id, providerPaymentId));
    return payment;
  }

  /** An open payment past its expiry ends as expired (a guarded transition, like every other). */
  async function expireIfDue(providerPaymentId: string): Promise<TestPayment | undefined> {
    const [expired] = await db
      .update(t)
      .set({ status: 'expired', failureCode: 'expired', completedAt: sql`now()` })
      .where(and(eq(t.id, providerPaymentId), eq(t.status, 'open'), lte(t.expiresAt, sql`now()`)))
      .returning();
    if (expired) logger.info({ providerPaymentId, outcome: 'expired' }, 'test payment expired');
    return expired;
  }

  /** The guarded transition: only an open payment completes; a completed one is answered as it is. */
  async function complete(
    providerPaymentId: string,
    change: Completion,
  ): Promise<{ payment: TestPayment; completedNow: boolean }> {
    if (isTestPaymentId(providerPaymentId)) {
      const [completed] = await db
        .update(t)
        .set({ ...change, completedAt: sql`now()` })
        .where(and(eq(t.id, providerPaymentId), eq(t.status, 'open'), gt(t.expiresAt, sql`now()`)))
        .returning();
      if (completed) {
        logger.info({ providerPaymentId, outcome: completed.status, failureCode: completed.failureCode ?? undefined, cardLast4: completed.cardLast4 ?? undefined }, 'test payment completed');
        return { payment: completed, completedNow: true };
      }
      const expired = await expireIfDue(providerPaymentId);
      if (expired) return { payment: expired, completedNow: true };
    }
    const existing = await findPayment(providerPaymentId);
    if (!existing) throw new PaymentRefusedError('payment_not_found', 'No such payment.');
    return { payment: existing, completedNow: false };
  }

  function webhookBodyOf(payment: TestPayment): WebhookBody {
    if (payment.status === 'open' || !payment.completedAt) throw new Error(`payment ${payment.id} is not completed`);
    return {
      eventId: eventIdOf(payment.id),
      type: `payment.${payment.status}`,
      providerPaymentId: payment.id,
      reference: payment.reference,
      outcome: payment.status,
      failureCode: payment.failureCode,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      created: payment.completedAt.toISOString(),
    };
  }

  // ---- delivery: at least once, while the process lives ----

  const deliveries = new Set<Promise<void>>();
  const stopping = new AbortController();

  type Verdict = 'delivered' | 'retry' | 'refused';

  async function attemptDelivery(body: string, context: { eventId: string; providerPaymentId: string; attempt: number }): Promise<Verdict> {
    try {
      const response = await fetchImpl(webhookUrl(), {
        method: 'POST',
        // Signed at each attempt, as Stripe does: a late retry is still within the tolerance.
        headers: { 'content-type': 'application/json', [signatureHeaderName]: signWebhook(body, secrets), 'user-agent': 'twenny-test-provider' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) {
        logger.info({ ...context, status: response.status }, 'payment webhook delivered');
        return 'delivered';
      }
      // The receiver's own trouble may pass; any other answer says it will never take this webhook.
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        logger.warn({ ...context, status: response.status }, 'payment webhook not accepted yet');
        return 'retry';
      }
      logger.error({ ...context, status: response.status }, 'payment webhook refused by the receiver');
      return 'refused';
    } catch (error) {
      logger.warn({ ...context, err: error }, 'payment webhook delivery failed');
      return 'retry';
    }
  }

  /** Starts delivering; resolves once the first attempt is over, whatever it gave. */
  function deliver(webhook: WebhookBody): Promise<void> {
    const body = JSON.stringify(webhook);
    const context = { eventId: webhook.eventId, providerPaymentId: webhook.providerPaymentId };
    let firstAttemptOver!: () => void;
    const firstAttempt = new Promise<void>((resolve) => (firstAttemptOver = resolve));
    const run = (async () => {
      for (let attempt = 1; ; attempt++) {
        const verdict = await attemptDelivery(body, { ...context, attempt });
        firstAttemptOver();
        if (verdict !== 'retry') return;
        const delay = retryDelaysMs[attempt - 1];
        if (delay === undefined || stopping.signal.aborted) break;
        try {
          await sleep(delay, undefined, { signal: stopping.signal });
        } catch {
          break;
        }
      }
      // Lost with this process: the payment stays completed here, and the order pending there.
      logger.error(context, 'payment webhook undeliverable, giving up');
    })().finally(() => {
      deliveries.delete(run);
      firstAttemptOver();
    });
    deliveries.add(run);
    return firstAttempt;
  }

  return {
    name: 'test',
    findPayment,

    async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
      const request = parseRequest(createPaymentSchema, input);
      const id = keyedId('tp', 'payment', request.idempotencyKey);
      const fields = { amountMinor: request.amountMinor, currency: request.currency, description: request.description, reference: request.reference, returnUrl: request.returnUrl };
      const [created] = await db.insert(t).values({ id, ...fields, expiresAt: request.expiresAt }).onConflictDoNothing({ target: t.id }).returning({ id: t.id });
      if (!created) {
        const [existing] = await db.select().from(t).where(eq(t.id, id));
        const same = existing && (Object.keys(fields) as (keyof typeof fields)[]).every((key) => existing[key] === fields[key]);
        if (!same) throw new PaymentRefusedError('idempotency_key_reused', 'This idempotency key was used for a different payment.');
      }
      return { providerPaymentId: id, redirectUrl: `${pageBaseUrl}${testPaymentPagePath}/${id}` };
    },

    async retrievePayment(providerPaymentId) {
      // findPayment ends an open payment past its expiry first.
      const payment = await findPayment(providerPaymentId);
      if (!payment) throw new PaymentRefusedError('payment_not_found', 'No such payment.');
      return payment.status === 'open' ? undefined : toPaymentWebhook(webhookBodyOf(payment));
    },

    async completePayment(providerPaymentId, action) {
      // The card is read before the row is touched: a mistyped number changes nothing.
      const change = action.kind === 'cancel' ? ({ status: 'failed', failureCode: cancelledCode, cardLast4: null } as const) : cardCompletion(action.cardNumber);
      const completion = await complete(providerPaymentId, change);
      if (completion.completedNow) await deliver(webhookBodyOf(completion.payment));
      return completion;
    },

    /**
     * No HTTP delivery here: the caller holds the webhook and applies it in its
     * own transaction. Calling again for the same payment returns the same
     * webhook (same eventId), which is how a caller that crashed recovers.
     */
    async chargeDirectly(providerPaymentId, cardNumber) {
      const { payment } = await complete(providerPaymentId, cardCompletion(cardNumber));
      return toPaymentWebhook(webhookBodyOf(payment));
    },

    parseWebhook(rawBody, headers) {
      verifyWebhookSignature(rawBody, headers[signatureHeaderName], secrets);
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new WebhookSignatureError('the webhook body is not JSON');
      }
      const parsed = webhookBodySchema.safeParse(json);
      if (!parsed.success) throw new WebhookSignatureError('the webhook body is not a test provider webhook');
      return toPaymentWebhook(parsed.data);
    },

    /**
     * A refund is a row of its own (`tr_…`, keyed by payment and idempotency
     * key) beside the payment: the key is remembered across restarts, and a
     * retried refund finds it instead of counting twice. The payment row is
     * locked while deciding, so parallel refunds cannot together exceed it.
     */
    async refund(input) {
      const request = parseRequest(refundSchema, input);
      const refundId = keyedId('tr', 'refund', request.providerPaymentId, request.idempotencyKey);
      if (!isTestPaymentId(request.providerPaymentId)) throw new PaymentRefusedError('payment_not_found', 'No such payment.');
      return db.transaction(async (tx) => {
        const [payment] = await tx.select().from(t).where(eq(t.id, request.providerPaymentId)).for('update');
        if (!payment) throw new PaymentRefusedError('payment_not_found', 'No such payment.');
        const [earlier] = await tx.select({ amountMinor: t.amountMinor }).from(t).where(eq(t.id, refundId));
        if (earlier) {
          if (earlier.amountMinor !== request.amountMinor) throw new PaymentRefusedError('idempotency_key_reused', 'This idempotency key was used for a different refund.');
          return { providerRefundId: refundId };
        }
        if (payment.status !== 'succeeded') throw new PaymentRefusedError('payment_not_refundable', `A ${payment.status} payment cannot be refunded.`);
        const left = payment.amountMinor - payment.refundedMinor;
        if (request.amountMinor > left) {
          throw new PaymentRefusedError('refund_exceeds_payment', `Only ${left} of ${payment.amountMinor} (minor units) is left to refund.`);
        }
        await tx.insert(t).values({
          id: refundId,
          amountMinor: request.amountMinor,
          currency: payment.currency,
          description: `Refund of ${payment.id}`,
          reference: payment.id,
          returnUrl: '',
          expiresAt: sql`now()`,
          status: 'succeeded',
          completedAt: sql`now()`,
        });
        await tx.update(t).set({ refundedMinor: sql`${t.refundedMinor} + ${request.amountMinor}` }).where(eq(t.id, payment.id));
        logger.info({ providerPaymentId: payment.id, providerRefundId: refundId, amountMinor: request.amountMinor }, 'test payment refunded');
        return { providerRefundId: refundId };
      });
    },

    async close() {
      stopping.abort();
      await Promise.allSettled([...deliveries]);
    },
  };
}

type Completion = { status: 'succeeded' | 'failed'; failureCode: string | null; cardLast4: string | null };

/** What charging a typed card number does to the payment; throws InvalidCardError. */
function cardCompletion(cardNumber: string): Completion {
  const { last4, result } = chargeTestCard(cardNumber);
  return { status: result.outcome, failureCode: result.outcome === 'failed' ? result.failureCode : null, cardLast4: last4 };
}

function toPaymentWebhook(body: WebhookBody): PaymentWebhook {
  return {
    eventId: body.eventId,
    providerPaymentId: body.providerPaymentId,
    reference: body.reference,
    outcome: body.outcome,
    ...(body.failureCode ? { failureCode: body.failureCode } : {}),
    amountMinor: body.amountMinor,
    currency: body.currency,
  };
}
