import { error, fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { forgetAttendees, recallAttendees } from '#lib/server/checkout-attendees.ts';
import { isLive, startPayment } from '#lib/server/checkout.ts';
import { requireUser } from '#lib/server/guards.ts';
import { idempotencyKeyFrom, newIdempotencyKey } from '#lib/server/idempotency.ts';
import { orderOutcome, paymentReturnOf } from '#lib/server/order-outcome.ts';
import type { Order, Reservation } from '#lib/types/orders.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function readOrder(event: RequestEvent): Promise<Order> {
  const result = await api(event).get<Order>(`/api/orders/${encodeURIComponent(event.params.id)}`);
  if (result.ok) return result.data;
  if (result.status === 404 || result.status === 400) error(404, 'We could not find that order.', { hint: 'Orders belong to the account that placed them: are you signed in as that person?' });
  error(result.status >= 500 ? 503 : result.status, result.problem.message);
}

/** The order's hold, while paying again is possible (a pending order only). */
async function readHold(event: RequestEvent, order: Order): Promise<Reservation | undefined> {
  if (order.status !== 'pending') return undefined;
  const result = await api(event).get<Reservation>(`/api/reservations/${encodeURIComponent(order.reservationId)}`);
  return result.ok ? result.data : undefined;
}

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  event.setHeaders({ 'cache-control': 'private, no-store' });
  const order = await readOrder(event);
  const hold = await readHold(event, order);
  const outcome = orderOutcome(order, paymentReturnOf(event.url));
  // The remembered attendees are needed only while this order may be paid again.
  if (order.status !== 'pending' && recallAttendees(event.cookies, order.reservationId)) forgetAttendees(event.cookies);
  return {
    order,
    outcome,
    holdExpiresAt: hold && isLive(hold) ? hold.expiresAt : undefined,
    renderedAt: new Date().toISOString(),
    idempotencyKey: newIdempotencyKey(),
  };
};

export const actions: Actions = {
  /**
   * "Try again" after a declined card: the same hold checked out again keeps the
   * order and opens a new payment page. Without the attendees remembered in this
   * browser, the buyer names them again at checkout.
   */
  retry: async (event) => {
    requireUser(event);
    const form = await event.request.formData();
    const order = await readOrder(event);
    const retry = { idempotencyKey: newIdempotencyKey() };
    if (order.status !== 'pending') redirect(303, `/orders/${order.id}`);
    const hold = await readHold(event, order);
    if (!hold || !isLive(hold)) return fail(410, { ...retry, retryMessage: 'Your hold has expired, so this order can no longer be paid. Start again to get tickets.' });
    const attendees = recallAttendees(event.cookies, order.reservationId);
    const ticketCount = hold.items.reduce((sum, item) => sum + item.quantity, 0);
    if (!attendees || attendees.length !== ticketCount) redirect(303, `/checkout/${order.reservationId}`);
    const started = await startPayment(event, order.reservationId, attendees, idempotencyKeyFrom(form));
    // The provider's page may be on another origin (a real provider's always is).
    if (started.ok) redirect(303, started.location, { external: true });
    // Attendees refused (changed rules, say): checkout shows the fields to fix.
    if (started.status === 400 || started.status === 422) redirect(303, `/checkout/${order.reservationId}`);
    return fail(started.status >= 400 && started.status <= 599 ? started.status : 502, { ...retry, retryMessage: started.problem.message });
  },

  /** "Refund order", confirmed by ticking "Yes, refund this order" (a confirm step that needs no JavaScript). */
  refund: async (event) => {
    requireUser(event);
    const form = await event.request.formData();
    if (form.get('confirm') !== 'yes') return fail(400, { refundMessage: 'Tick “Yes, refund this order” to confirm the refund.' });
    const result = await api(event).post<Order>(`/api/orders/${encodeURIComponent(event.params.id)}/refund`, {});
    if (!result.ok) return fail(result.status >= 400 && result.status <= 599 ? result.status : 502, { refundMessage: result.problem.message });
    // Back to the order by GET: reloading the page must not post the refund again.
    redirect(303, `/orders/${encodeURIComponent(event.params.id)}`);
  },
};
