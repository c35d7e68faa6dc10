import { randomUUID } from 'node:crypto';
import { orderRefundedV1 } from '@twenny/contracts';
import { HttpProblem } from '@twenny/http-kit';
import { organizationRole, type Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { projectedEvent } from '../db/event-projection.ts';
import { paidOrderIdsOfEvent, orderDetails } from '../db/order-reads.ts';
import { insertRefund, markRefundSucceeded, moveOrder, orderById, paymentsOfOrder, queueMail, recordRefundFailure, refundById, voidTicketsAndReturnStock, type OrderRow } from '../db/order-store.ts';
import type { RefundReason } from '../db/schema.ts';
import { buyerMayRefund } from '../domain/attendees.ts';
import { orderOutbox } from '../messaging/order-outbox.ts';
import { PaymentRefusedError } from '../payments/payment-provider.ts';
import type { OrderDeps } from './order-deps.ts';
import { orderView } from './order-view.ts';

const reasonWords: Record<RefundReason, string> = {
  buyer: 'You asked for a refund.',
  organiser: 'The organiser refunded your order.',
  'event-cancelled': 'The event was cancelled.',
  'paid-after-sell-out': 'The payment arrived after the hold ended and the tickets were sold meanwhile.',
  'duplicate-payment': 'The order was paid twice; the second payment is returned.',
};

/**
 * Refunds a whole paid order: its buyer before the event's refund deadline, or
 * a member of the organisation that owns the event at any time. The order goes
 * to `refunding` with a refund request in one transaction; the provider is then
 * asked, and the refund completes (tickets void, stock back, mail, message).
 */
export async function requestRefund(deps: OrderDeps, caller: Identity, orderId: string) {
  const refundId = await deps.db.transaction(async (tx) => {
    const order = await orderById(tx, orderId, { lock: true });
    const role = order ? organizationRole(caller, order.organizationId) : undefined;
    // Door staff are plain members: giving money back is for the team's owners and admins.
    const organiser = role === 'owner' || role === 'admin';
    if (!order || (order.userId !== caller.userId && !organiser)) {
      if (order && role) throw HttpProblem.forbidden('Only owners and admins of the organisation may refund orders.');
      throw HttpProblem.notFound(`There is no order ${orderId} of yours.`);
    }
    if (order.status === 'refunding' || order.status === 'refunded') return undefined;
    if (order.status !== 'paid') throw HttpProblem.conflict(`Only a paid order can be refunded; this one is ${order.status}.`);
    const reason: RefundReason = organiser ? 'organiser' : 'buyer';
    if (reason === 'buyer') {
      const event = await projectedEvent(tx, order.eventId);
      if (!event || !buyerMayRefund(event, new Date())) {
        const detail = event?.refundableUntilHours == null ? 'Tickets for this event are not refundable.' : `Refunds were possible until ${event.refundableUntilHours} hours before the start.`;
        throw HttpProblem.forbidden(`${detail} Contact the organiser.`);
      }
    }
    return requestRefundIn(tx, order, reason, caller.userId);
  });
  if (refundId) await deps.followUps.refund(refundId);
  return orderView((await orderDetails(deps.db, orderId))!);
}

/** In the caller's transaction: a paid order starts refunding, with its refund request. */
async function requestRefundIn(tx: DbExecutor, order: OrderRow, reason: RefundReason, requestedBy?: string): Promise<string> {
  // The payment that paid the order; any other successful one was a duplicate, refunded on its own.
  const payment = order.paidPaymentId ? (await paymentsOfOrder(tx, order.id)).find((p) => p.id === order.paidPaymentId) : undefined;
  const refundId = randomUUID();
  await moveOrder(tx, order.id, ['paid'], 'refunding', { statusReason: reasonWords[reason] });
  await insertRefund(tx, { id: refundId, orderId: order.id, paymentId: payment?.id ?? null, amountMinor: payment?.amountMinor ?? 0, reason, requestedBy });
  return refundId;
}

/**
 * An event was cancelled: every paid order of it starts refunding, in the
 * transaction that records the cancellation (so a redelivered message, caught
 * by the inbox, and the order's own state guard make it happen once). The
 * worker carries the refunds out.
 */
export async function refundCancelledEvent(tx: DbExecutor, eventId: string): Promise<number> {
  let count = 0;
  for (const orderId of await paidOrderIdsOfEvent(tx, eventId)) {
    const order = await orderById(tx, orderId, { lock: true });
    if (order?.status !== 'paid') continue;
    await requestRefundIn(tx, order, 'event-cancelled');
    count++;
  }
  return count;
}

/**
 * Carries out a requested refund: the provider first (idempotent per refund
 * id, so a retry never pays back twice), then in one transaction the refund,
 * the order, its tickets, the stock, the buyer's mail and the message. Safe to
 * run twice at once. A provider failure leaves the request for the next try.
 */
export async function completeRefund(deps: Pick<OrderDeps, 'db' | 'provider' | 'logger' | 'followUps'>, refundId: string): Promise<'refunded' | 'already' | 'failed'> {
  const refund = await refundById(deps.db, refundId);
  if (!refund || refund.status === 'succeeded') return 'already';
  let providerRefundId: string | null = null;
  if (refund.paymentId && refund.amountMinor > 0) {
    const payment = (await paymentsOfOrder(deps.db, refund.orderId)).find((p) => p.id === refund.paymentId)!;
    try {
      ({ providerRefundId } = await deps.provider.refund({ providerPaymentId: payment.providerPaymentId, amountMinor: refund.amountMinor, idempotencyKey: refund.id }));
    } catch (error) {
      if (error instanceof PaymentRefusedError) deps.logger.error({ err: error, refundId, code: error.code }, 'the provider refuses this refund: a person must look at it');
      else deps.logger.warn({ err: error, refundId }, 'refund at the provider failed; will try again');
      await recordRefundFailure(deps.db, refundId, error instanceof Error ? error.message : String(error));
      return 'failed';
    }
  }
  const mailId = randomUUID();
  let mailed = false;
  const done = await deps.db.transaction(async (tx) => {
    if (!(await markRefundSucceeded(tx, refundId, providerRefundId))) return false;
    if (refund.reason === 'duplicate-payment') return true;
    const order = (await orderById(tx, refund.orderId, { lock: true }))!;
    const refundedAt = new Date();
    if (!(await moveOrder(tx, order.id, ['refunding'], 'refunded', { refundedAt }))) return true;
    await orderOutbox.enqueue(tx, orderRefundedV1, {
      subject: order.id,
      version: order.version + 1,
      data: { orderId: order.id, eventId: order.eventId, organizationId: order.organizationId, amountMinor: refund.amountMinor, currency: order.currency, reason: refund.reason, refundedAt: refundedAt.toISOString() },
    });
    await queueMail(tx, { id: mailId, kind: 'order-refunded', orderId: order.id });
    // Last: the stock's hot row is locked only until the commit.
    await voidTicketsAndReturnStock(tx, order.id);
    mailed = true;
    return true;
  });
  if (mailed) await deps.followUps.mail(mailId);
  return done ? 'refunded' : 'already';
}
