import type { RequestEvent } from '@sveltejs/kit';
import type { EventDetail } from '#lib/types/catalog.ts';
import type { Attendee, Order, OrderPage, Reservation } from '#lib/types/orders.ts';
import { api } from './api.ts';
import { rememberAttendees } from './checkout-attendees.ts';
import type { Problem } from './problem.ts';

type Caller = Pick<RequestEvent, 'request' | 'url' | 'getClientAddress' | 'cookies'>;

/** One admission of a hold: checkout names one attendee for each. */
export interface HeldTicket {
  ticketTypeId: string;
  name: string;
  unitPriceMinor: number;
}

/** The hold's tickets one by one, in the order the event lists its ticket types. */
export function heldTickets(reservation: Reservation, event: EventDetail | undefined): HeldTicket[] {
  const types = new Map((event?.ticketTypes ?? []).map((type) => [type.id, type]));
  const items = [...reservation.items].sort((a, b) => (types.get(a.ticketTypeId)?.sortOrder ?? 0) - (types.get(b.ticketTypeId)?.sortOrder ?? 0));
  return items.flatMap((item) =>
    Array.from({ length: item.quantity }, () => ({ ticketTypeId: item.ticketTypeId, name: types.get(item.ticketTypeId)?.name ?? 'Ticket', unitPriceMinor: item.unitPriceMinor })),
  );
}

/** Whether the hold can still be checked out (the API says "expired" only once its timer ran, or on reading). */
export function isLive(reservation: Reservation, now = Date.now()): boolean {
  return reservation.status === 'held' && Date.parse(reservation.expiresAt) > now;
}

/** The buyer's order of a hold, once there is one (orders are listed newest first; it is among the latest). */
export async function orderOfHold(event: Caller, reservationId: string): Promise<Order | undefined> {
  const result = await api(event).get<OrderPage>('/api/orders', { query: { limit: 20 } });
  return result.ok ? result.data.items.find((order) => order.reservationId === reservationId) : undefined;
}

export type PaymentStart = { ok: true; order: Order; location: string } | { ok: false; status: number; problem: Problem };

/**
 * Checks out a hold: the order (pending, or paid at once when free) and where
 * the buyer goes next — the provider's payment page, or their order. Checking
 * out the same hold again (after a declined card) keeps the order and opens a
 * new payment: a new idempotency key per attempt, the same key for a repeat.
 * The provider sends the buyer back to /orders/<id> (order-service's default,
 * the order's id being made here) with ?payment=<outcome>.
 */
export async function startPayment(event: Caller, reservationId: string, attendees: Attendee[], idempotencyKey: string): Promise<PaymentStart> {
  const result = await api(event).post<Order>(`/api/reservations/${encodeURIComponent(reservationId)}/checkout`, { attendees }, { headers: { 'idempotency-key': idempotencyKey }, timeoutMs: 30_000 });
  if (!result.ok) return result;
  const order = result.data;
  rememberAttendees(event.cookies, event.url.protocol === 'https:', reservationId, attendees);
  const page = order.payment?.redirectUrl;
  const payable = order.status === 'pending' && !!page && /^(https?:\/\/|\/(?!\/))/.test(page);
  return { ok: true, order, location: payable ? page : `/orders/${order.id}` };
}
