import { randomUUID } from 'node:crypto';
import { HttpProblem } from '@twenny/http-kit';
import { completePayment, insertRefund, paymentByProviderId } from '../db/order-store.ts';
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
    const payment = await paymentByProviderId(tx, deps.provider.name, webhook.providerPaymentId, { lock: true });
    if (!payment) throw HttpProblem.notFound(`There is no payment ${webhook.providerPaymentId}.`);
    if (payment.amountMinor !== webhook.amountMinor || payment.currency !== webhook.currency) {
      deps.logger.error({ paymentId: payment.id, expected: { amount: payment.amountMinor, currency: payment.currency }, got: { amount: webhook.amountMinor, currency: webhook.currency } }, 'webhook amount does not match the payment');
      throw new HttpProblem({ type: 'https://twenny.dev/problems/payment-mismatch', title: 'Payment mismatch', status: 422, detail: 'The amount or currency does not match the payment.' });
    }
    if (!(await completePayment(tx, payment.id, webhook.outcome, webhook.failureCode))) return { orderId: payment.orderId, outcome: 'duplicate' };
    if (webhook.outcome !== 'succeeded') return { orderId: payment.orderId, outcome: 'failed' };

    const locked = await lockForFulfilment(tx, payment.orderId);
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
