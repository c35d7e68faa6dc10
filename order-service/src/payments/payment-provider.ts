/**
 * What order-service needs from a payment processor. Shaped like the real ones
 * (Stripe Checkout, Mollie, PayPal): create a payment, send the buyer to the
 * provider's hosted page, learn the outcome from a signed webhook; refund later.
 * The built-in `test` provider implements it (test-provider.ts).
 */
export interface PaymentProvider {
  readonly name: string;
  /** Creates a payment the buyer completes on the provider's hosted page. */
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  /**
   * Checks a webhook's signature and reads it. Throws WebhookSignatureError for
   * a bad or stale signature, or a body that is not a webhook of this provider.
   */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): PaymentWebhook;
  /**
   * What the provider knows of a payment now: its outcome as a webhook would
   * say it (the same event id), or undefined while the buyer has not finished.
   * Lets us reconcile when a webhook never arrives.
   */
  retrievePayment(providerPaymentId: string): Promise<PaymentWebhook | undefined>;
  /** Gives the money back; idempotent per `idempotencyKey`. PaymentRefusedError when it never will (more than is left, say). */
  refund(input: { providerPaymentId: string; amountMinor: number; idempotencyKey: string }): Promise<{ providerRefundId: string }>;
}

export interface CreatePaymentInput {
  amountMinor: number;
  currency: string;
  description: string;
  /** Our reference (the order id); the webhook carries it back. */
  reference: string;
  /** Where the provider sends the buyer afterwards. */
  returnUrl: string;
  idempotencyKey: string;
  /** After this the buyer can no longer pay; the payment ends as expired. */
  expiresAt: Date;
}

export interface CreatedPayment {
  providerPaymentId: string;
  /** The hosted page the buyer is sent to. */
  redirectUrl: string;
}

/** What a webhook says happened to a payment. */
export interface PaymentWebhook {
  /** Unique per webhook event, so a repeated delivery is recognised. */
  eventId: string;
  providerPaymentId: string;
  reference: string;
  outcome: 'succeeded' | 'failed' | 'expired';
  /** Why it failed, e.g. card_declined, insufficient_funds. */
  failureCode?: string;
  amountMinor: number;
  currency: string;
}

export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

/**
 * The provider understood the request and said no (a refund larger than what
 * is left, an unknown payment, an idempotency key reused for another request):
 * sending the same request again will not help, unlike a network failure.
 */
export class PaymentRefusedError extends Error {
  override name = 'PaymentRefusedError';
  /** Stable, for code to switch on: e.g. refund_exceeds_payment, payment_not_found. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * A provider that can also charge a card in the request itself (no hosted page),
 * for scripts and benchmarks. Only the test provider does.
 */
export interface DirectChargeProvider extends PaymentProvider {
  chargeDirectly(providerPaymentId: string, cardNumber: string): Promise<PaymentWebhook>;
}
