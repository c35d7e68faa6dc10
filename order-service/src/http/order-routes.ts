import express, { type Express, type Request } from 'express';
import { HttpProblem, problemTypes, validated } from '@twenny/http-kit';
import { authorize, type Identity, type IdentityVerifier } from '@twenny/identity';
import { publicKeySet } from '../tickets/signing-keys.ts';
import { WebhookSignatureError } from '../payments/payment-provider.ts';
import { applyPaymentOutcome } from '../use-cases/apply-payment-outcome.ts';
import { getOrder, listOrders, listTickets, ticketQr } from '../use-cases/buyer-views.ts';
import { checkout } from '../use-cases/checkout.ts';
import type { OrderDeps } from '../use-cases/order-deps.ts';
import { requestRefund } from '../use-cases/refund-order.ts';
import { idempotencyKeyOf, idempotently } from './idempotency.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';
import { checkoutInput, orderParams, pageQuery, reservationParams, ticketParams } from './schemas.ts';

/** Checkout, orders and tickets: signed-in buyers see only their own (organisers their organisation's orders). */
export function orderRoutes(app: Express, deps: OrderDeps & { verifier: IdentityVerifier }) {
  const { db, verifier } = deps;
  const signedIn = authorize(verifier, 'signed-in');
  const caller = (req: Request): Identity => req.identity!;
  const page = (query: { limit: number; before?: string }) => ({ limit: query.limit, before: decodeCursor(query.before) });
  const nextCursor = (next: { at: Date; id: string } | undefined) => (next ? encodeCursor(next.at, next.id) : null);

  app.post('/api/reservations/:id/checkout', signedIn, validated({ params: reservationParams, body: checkoutInput }, async ({ params, body }, req, res) => {
    const key = idempotencyKeyOf(req, true)!;
    const ref = { userId: caller(req).userId, scope: `checkout:${params.id}`, key };
    // The card number is not part of what the key remembers: a retry with the same key must not need it.
    const { payment, ...remembered } = body;
    const result = await idempotently(db, ref, { ...remembered, paying: payment ? 'direct' : 'hosted' }, async () => ({ status: 201, body: await checkout(deps, caller(req), params.id, body, key) }));
    if (result.replayed) res.setHeader('idempotent-replayed', 'true');
    res.status(result.status).location(`/api/orders/${(result.body as { id: string }).id}`).json(result.body);
  }));

  app.get('/api/orders', signedIn, validated({ query: pageQuery }, async ({ query }, req, res) => {
    res.setHeader('cache-control', 'private, no-store');
    const { items, next } = await listOrders(db, caller(req), page(query));
    res.json({ items, next: nextCursor(next) });
  }));

  app.get('/api/orders/:id', signedIn, validated({ params: orderParams }, async ({ params }, req, res) => {
    res.setHeader('cache-control', 'private, no-store');
    res.json(await getOrder(db, caller(req), params.id));
  }));

  app.post('/api/orders/:id/refund', signedIn, validated({ params: orderParams }, async ({ params }, req, res) => {
    res.json(await requestRefund(deps, caller(req), params.id));
  }));

  app.get('/api/tickets', signedIn, validated({ query: pageQuery }, async ({ query }, req, res) => {
    res.setHeader('cache-control', 'private, no-store');
    const { items, next } = await listTickets(db, caller(req), page(query));
    res.json({ items, next: nextCursor(next) });
  }));

  // Door apps verify ticket codes offline with these public keys.
  app.get('/api/tickets/keys', (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=300');
    res.json({ keys: publicKeySet(deps.ticketKeys) });
  });

  app.get('/api/tickets/:id/qr.svg', signedIn, validated({ params: ticketParams }, async ({ params }, req, res) => {
    res.setHeader('cache-control', 'private, max-age=3600');
    res.type('image/svg+xml').send(await ticketQr(db, caller(req), params.id));
  }));
}

/** The provider's webhooks: no caller identity — the signature is the proof. They read the raw body. */
export function paymentWebhookRoutes(app: Express, deps: OrderDeps) {
  app.post(`/api/payments/webhooks/${deps.provider.name}`, express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    if (!Buffer.isBuffer(req.body)) throw HttpProblem.validation([{ name: 'body', reason: 'Send the webhook body as the provider signed it.' }]);
    let webhook;
    try {
      webhook = deps.provider.parseWebhook(req.body, req.headers);
    } catch (error) {
      if (error instanceof WebhookSignatureError) {
        throw new HttpProblem({ type: problemTypes.validation, title: 'Bad webhook signature', status: 400, detail: 'The webhook signature is missing, wrong or too old.' });
      }
      throw error;
    }
    const applied = await applyPaymentOutcome(deps, webhook);
    res.json({ received: true, outcome: applied.outcome });
  });
}
