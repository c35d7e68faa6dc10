import type { Order, PaymentReturn } from '#lib/types/orders.ts';

/**
 * Where an order stands for its buyer. The provider's word in the return URL
 * (?payment=) comes before its webhook: a buyer back from a declined card is
 * told at once, while a success waits for the webhook ("confirming") because
 * only the webhook makes tickets.
 */
export type OrderOutcome =
  | { kind: 'paid' }
  | { kind: 'confirming' }
  | { kind: 'awaiting-payment'; paymentUrl?: string }
  | { kind: 'payment-failed'; heading: string; reason: string }
  | { kind: 'expired' }
  | { kind: 'refunding' }
  | { kind: 'refunded' };

const returns: PaymentReturn[] = ['succeeded', 'failed', 'cancelled', 'expired'];

export function paymentReturnOf(url: URL): PaymentReturn | undefined {
  const value = url.searchParams.get('payment') as PaymentReturn | null;
  return value && returns.includes(value) ? value : undefined;
}

function failure(code: string | undefined): { heading: string; reason: string } {
  switch (code) {
    case 'cancelled':
      return { heading: 'You cancelled the payment', reason: 'Nothing was charged.' };
    case 'expired':
      return { heading: 'The payment page expired', reason: 'Nothing was charged.' };
    case 'insufficient_funds':
      return { heading: 'Your card was declined', reason: 'The card has insufficient funds. Nothing was charged.' };
    default:
      return { heading: 'Your card was declined', reason: 'Nothing was charged.' };
  }
}

export function orderOutcome(order: Order, returned: PaymentReturn | undefined): OrderOutcome {
  switch (order.status) {
    case 'paid':
      return { kind: 'paid' };
    case 'refunding':
      return { kind: 'refunding' };
    case 'refunded':
      return { kind: 'refunded' };
    case 'expired':
      return { kind: 'expired' };
  }
  const payment = order.payment;
  if (payment?.status === 'succeeded') return { kind: 'confirming' };
  if (payment?.status === 'failed' || payment?.status === 'expired') return { kind: 'payment-failed', ...failure(payment.failureCode ?? (payment.status === 'expired' ? 'expired' : undefined)) };
  // The payment is still open here: the webhook has not arrived yet, or the buyer has not paid.
  if (returned === 'succeeded') return { kind: 'confirming' };
  if (returned === 'failed' || returned === 'cancelled' || returned === 'expired') return { kind: 'payment-failed', ...failure(returned === 'failed' ? undefined : returned) };
  return { kind: 'awaiting-payment', paymentUrl: payment?.redirectUrl };
}
