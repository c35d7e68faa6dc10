import { randomUUID } from 'node:crypto';
import { HttpProblem } from '@twenny/http-kit';
import { completeOpenPayment, insertRefund, paymentByProviderId } from '../db/order-store.ts';
import type { PaymentWebhook } from '../payments/payment-provider.ts';
import { fulfilOrder, lockForFulfilment } from './fulfil-order.ts';
import type { OrderDeps } from './order-deps.ts';

export type PaymentApplied = { orderId: string; outcome: 'paid' | 'failed' | 'refunding' | 'duplicate' };

/**
 * What the provider said about a payment (a verified webhook, or a direct
 * charge's answer), applied once: the payment completes only from `open`, so a
 * repeated webhook changes nothing. A success fulfils the order; a second
 * successful payment of an order already paid is refunded.
 */
export async function applyPaymentOutcome(deps: OrderDeps, webhook: PaymentWebhook): Promise<PaymentApplied> {
  const followUps: Array<() => Promise<void>> = [];
  const applied = await deps.db.transaction(async (tx): Promise<PaymentApplied> => {
    // The common case in one statement: the payment was open and completes now (locking its row).
    const payment = await completeOpenPayment(tx, { provider: deps.provider.name, providerPaymentId: webhook.providerPaymentId, outcome: webhook.outcome, failureCode: webhook.failureCode });
    if (!payment) {
      const known = await paymentByProviderId(tx, deps.provider.name, webhook.providerPaymentId);
      if (!known) throw HttpProblem.notFound(`There is no payment ${webhook.providerPaymentId}.`);
      refuseMismatch(deps, known, webhook);
      return { orderId: known.orderId, outcome: 'duplicate' };
    }
    // A mismatch throws, and the completion above rolls back with the transaction.
    refuseMismatch(deps, payment, webhook);
    if (webhook.outcome !== 'succeeded') return { orderId: payment.orderId, outcome: 'failed' };

    const locked = await lockForFulfilment(tx, payment.orderId, payment.order);
    const { order } = locked;
    if (order.status !== 'pending' && order.status !== 'expired') {
      const refundId = randomUUID();
      await insertRefund(tx, { id: refundId, orderId: order.id, paymentId: payment.id, amountMinor: payment.amountMinor, reason: 'duplicate-payment' });
      followUps.push(() => deps.followUps.refund(refundId));
      return { orderId: order.id, outcome: 'refunding' };
    }
    const fulfilment = await fulfilOrder(tx, locked, payment, deps.ticketKeys);
    if (fulfilment.paid) {
      followUps.push(() => deps.followUps.mail(fulfilment.mailId));
      return { orderId: order.id, outcome: 'paid' };
    }
    if (fulfilment.refundId) followUps.push(() => deps.followUps.refund(fulfilment.refundId!));
    return { orderId: order.id, outcome: 'refunding' };
  });
  for (const followUp of followUps) await followUp();
  return applied;
}

/** The provider must speak of the amount and currency the payment was made for. */
function refuseMismatch(deps: OrderDeps, payment: { id: string; amountMinor: number; currency: string }, webhook: PaymentWebhook): void {
  if (payment.amountMinor === webhook.amountMinor && payment.currency === webhook.currency) return;
  deps.logger.error({ paymentId: payment.id, expected: { amount: payment.amountMinor, currency: payment.currency }, got: { amount: webhook.amountMinor, currency: webhook.currency } }, 'webhook amount does not match the payment');
  throw new HttpProblem({ type: 'https://twenny.dev/problems/payment-mismatch', title: 'Payment mismatch', status: 422, detail: 'The amount or currency does not match the payment.' });
}
