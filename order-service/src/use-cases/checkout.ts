import { randomUUID } from 'node:crypto';
import { HttpProblem, problemTypes } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import { projectedEvent } from '../db/event-projection.ts';
import { insertPayment, upsertPendingOrder } from '../db/order-store.ts';
import { orderDetails } from '../db/order-reads.ts';
import { reservationWithItems } from '../db/reservation-reads.ts';
import type { Attendee } from '../db/schema.ts';
import { attendeeErrors } from '../domain/attendees.ts';
import { InvalidCardError } from '../payments/test-cards.ts';
import type { DirectChargeProvider } from '../payments/payment-provider.ts';
import { applyPaymentOutcome } from './apply-payment-outcome.ts';
import { fulfilOrder, lockForFulfilment } from './fulfil-order.ts';
import type { OrderDeps } from './order-deps.ts';
import { orderView } from './order-view.ts';

/** How long after its hold a payment may still be made (a late payment is honoured only if stock remains). */
const paymentGraceMs = 10 * 60_000;

export interface CheckoutInput {
  attendees: Attendee[];
  /** Where the provider sends the buyer back: a path on the site, or a URL of the site. */
  returnUrl?: string;
  /** Direct mode (scripts, benchmarks): charge this test card in the request itself. */
  payment?: { method: 'card'; cardNumber: string };
}

/**
 * Checks out the caller's hold: the order (pending) with one attendee per
 * ticket, then a payment at the provider whose hosted page the buyer is sent
 * to. A free order is paid at once. In direct mode the test card is charged
 * here and the outcome applied as a webhook's would be. The caller wraps this
 * in an Idempotency-Key, so a retry never pays twice.
 */
export async function checkout(deps: OrderDeps, caller: Identity, reservationId: string, input: CheckoutInput, idempotencyKey: string) {
  const reservation = await reservationWithItems(deps.db, reservationId);
  if (!reservation || reservation.userId !== caller.userId) throw HttpProblem.notFound(`You have no reservation ${reservationId}.`);
  if (reservation.status === 'converted') throw HttpProblem.conflict('This reservation is already paid for; see your orders.');
  if (reservation.status !== 'held' || reservation.expiresAt.getTime() <= Date.now()) throw holdEnded();
  const errors = attendeeErrors(reservation.items, input.attendees);
  if (errors.length > 0) throw new HttpProblem({ type: problemTypes.validation, title: 'Attendees do not match the reservation', status: 422, detail: errors.map((e) => e.reason).join(' '), errors });
  const event = await projectedEvent(deps.db, reservation.eventId);
  if (!event || event.status !== 'published') throw new HttpProblem({ type: 'https://twenny.dev/problems/not-on-sale', title: 'Not on sale', status: 410, detail: 'This event is no longer on sale.' });

  const orderId = randomUUID();
  resolveReturnUrl(deps.siteUrl, input.returnUrl, orderId);
  const pending = await upsertPendingOrder(deps.db, {
    id: orderId,
    reservationId,
    userId: caller.userId,
    buyerEmail: caller.email,
    eventId: reservation.eventId,
    organizationId: event.organizationId,
    totalMinor: reservation.totalMinor,
    currency: reservation.currency,
    attendees: input.attendees,
  });
  if (!pending) throw HttpProblem.conflict('This reservation already has an order that is not waiting for payment; see your orders.');

  if (pending.totalMinor === 0) return payNothing(deps, pending.id);

  const returnUrl = new URL(resolveReturnUrl(deps.siteUrl, input.returnUrl, pending.id));
  returnUrl.searchParams.set('order', pending.id);
  const created = await deps.provider.createPayment({
    amountMinor: pending.totalMinor,
    currency: pending.currency,
    description: `${event.title}: ${reservation.items.reduce((n, i) => n + i.quantity, 0)} ticket(s)`,
    reference: pending.id,
    returnUrl: returnUrl.toString(),
    idempotencyKey: `${pending.id}:${idempotencyKey}`,
    // The page stays payable a while past the hold: a late payment is honoured if the tickets are still there.
    expiresAt: new Date(reservation.expiresAt.getTime() + paymentGraceMs),
  });
  await insertPayment(deps.db, { id: randomUUID(), orderId: pending.id, provider: deps.provider.name, providerPaymentId: created.providerPaymentId, status: 'open', amountMinor: pending.totalMinor, currency: pending.currency, redirectUrl: created.redirectUrl });

  if (input.payment) await chargeDirectly(deps, created.providerPaymentId, input.payment.cardNumber);
  return currentView(deps, pending.id);
}

async function payNothing(deps: OrderDeps, orderId: string) {
  let mailId: string | undefined;
  await deps.db.transaction(async (tx) => {
    const locked = await lockForFulfilment(tx, orderId);
    if (locked.order.status !== 'pending') return;
    const fulfilment = await fulfilOrder(tx, locked, undefined, deps.ticketKeys);
    if (fulfilment.paid) mailId = fulfilment.mailId;
  });
  if (mailId) await deps.followUps.mail(mailId);
  return currentView(deps, orderId);
}

async function chargeDirectly(deps: OrderDeps, providerPaymentId: string, cardNumber: string) {
  const provider = deps.provider as Partial<DirectChargeProvider>;
  if (typeof provider.chargeDirectly !== 'function') throw HttpProblem.validation([{ name: 'body.payment', reason: `The ${deps.provider.name} provider takes payments only on its own page; leave out "payment".` }]);
  let webhook;
  try {
    webhook = await provider.chargeDirectly(providerPaymentId, cardNumber);
  } catch (error) {
    if (error instanceof InvalidCardError) throw HttpProblem.validation([{ name: 'body.payment.cardNumber', reason: error.message }]);
    throw error;
  }
  await applyPaymentOutcome(deps, webhook);
  if (webhook.outcome !== 'succeeded') {
    const declined = webhook.failureCode === 'insufficient_funds' ? 'The card has insufficient funds.' : 'The card was declined.';
    throw new HttpProblem({ type: 'https://twenny.dev/problems/payment-failed', title: 'Payment failed', status: 402, detail: `${declined} Your tickets are still held until the hold expires: try another card.`, code: webhook.failureCode ?? 'card_declined' });
  }
}

async function currentView(deps: OrderDeps, orderId: string) {
  return orderView((await orderDetails(deps.db, orderId))!);
}

/** Buyers return to the site only: a path on it, or a URL with its origin; anything else is an open redirect. */
export function resolveReturnUrl(siteUrl: string, given: string | undefined, orderId: string): string {
  const site = new URL(siteUrl);
  if (!given) return new URL(`/orders/${orderId}`, site).toString();
  const url = URL.parse(given, site.toString());
  if (!url || url.origin !== site.origin) throw HttpProblem.validation([{ name: 'body.returnUrl', reason: `Must be a path on the site or a URL starting with ${site.origin}.` }]);
  return url.toString();
}

function holdEnded() {
  return new HttpProblem({ type: 'https://twenny.dev/problems/hold-expired', title: 'Hold expired', status: 410, detail: 'The hold on these tickets has ended. Start again to hold tickets.' });
}
