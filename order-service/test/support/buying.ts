import { randomUUID } from 'node:crypto';
import { call } from './http.ts';
import type { Snapshot, TestOrderService } from './order-service.ts';

export const cards = { success: '4242 4242 4242 4242', declined: '4000 0000 0000 0002', insufficientFunds: '4000 0000 0000 9995' };

/** A buyer with a token of their own. */
export async function newBuyer(orders: TestOrderService) {
  const userId = `buyer-${randomUUID()}`;
  return { userId, token: await orders.tokenFor(userId) };
}

export function attendeesFor(items: Array<{ ticketTypeId: string; quantity: number }>) {
  return items.flatMap((item) => Array.from({ length: item.quantity }, (_, i) => ({ ticketTypeId: item.ticketTypeId, name: `Attendee ${i + 1}`, email: `attendee${i + 1}@example.test` })));
}

/** Holds `quantity` tickets of the event's first ticket type; answers the reservation. */
export async function holdTickets(orders: TestOrderService, token: string, event: Snapshot, quantity: number, index = 0) {
  const items = [{ ticketTypeId: event.ticketTypes[index]!.ticketTypeId, quantity }];
  const response = await call(orders.url, 'POST', '/api/reservations', { token, body: { eventId: event.eventId, items } });
  if (response.status !== 201) throw new Error(`hold refused: ${response.status} ${JSON.stringify(response.body)}`);
  return { ...response.body, items } as { id: string; items: typeof items; total: number; expiresAt: string };
}

export function checkoutCall(orders: TestOrderService, token: string, reservationId: string, body: unknown, key: string = randomUUID()) {
  return call(orders.url, 'POST', `/api/reservations/${reservationId}/checkout`, { token, body, headers: { 'idempotency-key': key } });
}

/** Hold, then pay with a card in direct mode; answers the checkout's response. */
export async function buy(orders: TestOrderService, token: string, event: Snapshot, quantity: number, card = cards.success) {
  const reservation = await holdTickets(orders, token, event, quantity);
  return checkoutCall(orders, token, reservation.id, { attendees: attendeesFor(reservation.items), payment: { method: 'card', cardNumber: card } });
}
