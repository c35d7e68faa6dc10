import express, { type Express, type Response } from 'express';
import { InvalidCardError, testCards } from '../payments/test-cards.ts';
import { testPaymentPagePath, type BuyerAction, type TestPayment, type TestPaymentProvider } from '../payments/test-provider.ts';

/**
 * The `test` provider's hosted payment page: where the buyer is sent by
 * createPayment's redirectUrl, as they would be to Stripe Checkout. Plain HTML
 * forms, no JavaScript. Public: the unguessable payment id is the only key.
 */
export interface TestProviderRoutesDeps {
  provider: TestPaymentProvider;
}

export type ReturnOutcome = 'succeeded' | 'failed' | 'cancelled' | 'expired';

export function testProviderRoutes(app: Express, { provider }: TestProviderRoutesDeps): void {
  // This route only: the app's JSON parser leaves form bodies alone. An oversized
  // body is the parser's 413, answered as a problem by the app's error handler.
  const readForm = express.urlencoded({ limit: '4kb', extended: false, parameterLimit: 10 });

  app.get(`${testPaymentPagePath}/:paymentId`, async (req, res) => {
    const payment = await provider.findPayment(req.params.paymentId);
    if (!payment) return sendPage(res, 404, notFoundPage());
    if (payment.status !== 'open') return sendPage(res, 200, completedPage(payment));
    sendPage(res, 200, paymentPage(payment), payment.returnUrl);
  });

  app.post(`${testPaymentPagePath}/:paymentId`, readForm, async (req, res) => {
    const payment = await provider.findPayment(req.params.paymentId);
    if (!payment) return sendPage(res, 404, notFoundPage());
    // A second submit (double click, back and resubmit) changes nothing: it is sent where the first one went.
    if (payment.status !== 'open') return redirectBack(res, payment);
    const form = (req.body ?? {}) as Record<string, unknown>;
    const action: BuyerAction = formField(form, 'action') === 'cancel' ? { kind: 'cancel' } : { kind: 'pay', cardNumber: formField(form, 'cardNumber') ?? '' };
    try {
      const { payment: completed } = await provider.completePayment(payment.id, action);
      redirectBack(res, completed);
    } catch (error) {
      if (!(error instanceof InvalidCardError)) throw error;
      sendPage(res, 422, paymentPage(payment, error.message), payment.returnUrl);
    }
  });
}

/** What the return page is told, in the `payment` query parameter. */
export function returnOutcome(payment: Pick<TestPayment, 'status' | 'failureCode'>): ReturnOutcome {
  if (payment.status === 'failed' && payment.failureCode === 'cancelled') return 'cancelled';
  return payment.status === 'open' ? 'failed' : payment.status;
}

/** The payment's return URL with `payment=<outcome>` set, its own query and fragment kept. */
export function returnUrlFor(payment: Pick<TestPayment, 'status' | 'failureCode' | 'returnUrl'>): string {
  const url = new URL(payment.returnUrl);
  url.searchParams.set('payment', returnOutcome(payment));
  return url.toString();
}

function redirectBack(res: Response, payment: TestPayment) {
  // no-referrer here too: the redirect's policy decides the Referer the return page gets (the page's id is a key).
  res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).redirect(303, returnUrlFor(payment));
}

/** A single text field; a repeated or missing one is no value at all. */
function formField(form: Record<string, unknown>, name: string): string | undefined {
  const value = form[name];
  return typeof value === 'string' ? value : undefined;
}

// ---- HTML ----

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function formatAmount(amountMinor: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  // Minor units per currency: 2 for EUR, 0 for JPY, 3 for KWD.
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

// Only a plain origin goes into the policy: a host may legally hold `;`, which would start a directive of its own.
const plainOrigin = /^https?:\/\/(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

function sendPage(res: Response, status: number, html: string, returnUrl?: string) {
  const returnOrigin = returnUrl ? new URL(returnUrl).origin : undefined;
  // The form posts to this page and is then redirected to the return URL: browsers check form-action on both.
  const formAction = returnOrigin && plainOrigin.test(returnOrigin) ? `'self' ${returnOrigin}` : returnUrl ? `'self'` : `'none'`;
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      'cache-control': 'no-store',
      // Not no-referrer: under it a browser's form post says `Origin: null`, which the site
      // (whose /api proxy serves this page) refuses as cross-site. same-origin still keeps
      // the page's address from any other origin.
      'referrer-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
    })
    .send(html);
}

const style = `
  body { font: 1rem/1.5 system-ui, sans-serif; margin: 0; padding: 2rem 1rem; background: #f6f6f4; color: #1d1d1b; }
  main { max-width: 28rem; margin: 0 auto; background: #fff; padding: 1.5rem; border-radius: .5rem; border: 1px solid #d8d8d2; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  .amount { font-size: 1.8rem; font-weight: 600; margin: 0; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; border: 1px solid #75756f; border-radius: .25rem; }
  input[aria-invalid="true"] { border-color: #b3261e; }
  .error { color: #b3261e; font-weight: 600; }
  .hints { font-size: .9rem; color: #4a4a45; }
  .actions { display: flex; gap: .75rem; margin-top: 1rem; }
  button { font: inherit; padding: .5rem 1rem; border-radius: .25rem; border: 1px solid #1d1d1b; background: #fff; cursor: pointer; }
  button[value="pay"] { background: #1d1d1b; color: #fff; }
  :focus-visible { outline: 3px solid #2f6fdf; outline-offset: 2px; }
  .note { font-size: .85rem; color: #4a4a45; margin-top: 1.5rem; }
`;

function layout(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
${content}
<p class="note">twenny's test payment provider: no money moves and no card is charged. Never enter a real card number here.</p>
</main>
</body>
</html>
`;
}

function paymentPage(payment: TestPayment, error?: string): string {
  const amount = formatAmount(payment.amountMinor, payment.currency);
  const describedBy = error ? 'card-error card-hints' : 'card-hints';
  const hints = testCards.map((card) => `<li><code>${card.number}</code> ${escapeHtml(card.hint)}</li>`).join('\n');
  // No action attribute: the form posts back to the URL it was loaded from, whatever proxy prefix that has.
  // The card field is never refilled: whatever was typed is not sent back.
  return layout(
    `${error ? 'Error: ' : ''}Pay ${amount}`,
    `<h1>Test payment</h1>
<p class="amount">${escapeHtml(amount)}</p>
<p>${escapeHtml(payment.description)}</p>
<form method="post">
<label for="card-number">Card number</label>
<input id="card-number" name="cardNumber" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="64" required aria-describedby="${describedBy}"${error ? ' aria-invalid="true" autofocus' : ''}>
${error ? `<p id="card-error" class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<div id="card-hints" class="hints">
<p>Test cards (any other valid number is declined):</p>
<ul>
${hints}
</ul>
</div>
<div class="actions">
<button type="submit" name="action" value="pay">Pay ${escapeHtml(amount)}</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</div>
</form>`,
  );
}

function completedSentence(payment: TestPayment): string {
  switch (returnOutcome(payment)) {
    case 'succeeded':
      return 'This payment is completed: it succeeded.';
    case 'cancelled':
      return 'This payment was cancelled.';
    case 'expired':
      return 'This payment expired.';
    case 'failed':
      return `This payment is completed: it failed${payment.failureCode ? ` (${payment.failureCode.replaceAll('_', ' ')})` : ''}.`;
  }
}

function completedPage(payment: TestPayment): string {
  return layout(
    'Payment completed',
    `<h1>Payment completed</h1>
<p class="amount">${escapeHtml(formatAmount(payment.amountMinor, payment.currency))}</p>
<p>${escapeHtml(payment.description)}</p>
<p role="status">${escapeHtml(completedSentence(payment))}</p>
<p><a href="${escapeHtml(returnUrlFor(payment))}">Back to the shop</a></p>`,
  );
}

function notFoundPage(): string {
  return layout('Payment not found', `<h1>Payment not found</h1>\n<p>This payment link is not valid. Go back to the shop and start the payment again.</p>`);
}
