import { randomUUID } from 'node:crypto';
import { orderPaidV1 } from '@twenny/contracts';
import { postgresError } from '@twenny/db';
import type { DbExecutor } from '@twenny/messaging';
import { projectedEvent, type ProjectedEvent } from '../db/event-projection.ts';
import { holdRefusals } from '../db/holds.ts';
import { convertHold, insertRefund, insertTickets, moveOrder, orderById, queueMail, sellWithoutHold, type OrderRow } from '../db/order-store.ts';
import { reservationWithItems, type ReservationWithItems } from '../db/reservation-reads.ts';
import type { RefundReason } from '../db/schema.ts';
import { issueTicketCode, type TicketKeySet } from '../domain/ticket-code.ts';
import { orderOutbox } from '../messaging/order-outbox.ts';
import { expireOverdueHolds } from './expire-reservation.ts';

export type Fulfilment = { paid: true; mailId: string } | { paid: false; refundId: string | undefined };

/** An order ready to be fulfilled, with everything locked that the sale depends on. */
export interface LockedOrder {
  order: OrderRow;
  reservation: ReservationWithItems;
  event: ProjectedEvent | undefined;
}

/**
 * Locks what fulfilling an order depends on, always in the same order, so that
 * no two paths wait on each other: the event (shared: a cancellation in flight
 * finishes first), the reservation (the timer, the sweeper and the buyer end a
 * hold through this row), then the order.
 */
export async function lockForFulfilment(tx: DbExecutor, orderId: string, known?: { eventId: string; reservationId: string }): Promise<LockedOrder> {
  const unlocked = known ?? (await orderById(tx, orderId))!;
  // Sent together, run in this order: a connection runs what it is sent one statement after another.
  // One round trip instead of three, while the transaction holds its connection.
  const [event, reservation, order] = await Promise.all([
    projectedEvent(tx, unlocked.eventId, { share: true }),
    reservationWithItems(tx, unlocked.reservationId, { lock: true }),
    orderById(tx, orderId, { lock: true }),
  ]);
  return { order: order!, reservation: reservation!, event };
}

/**
 * A paid (or free) order gets its tickets, in the transaction `tx` that holds
 * the locks of lockForFulfilment: the hold becomes a sale, or — when the hold
 * ended before the money came — the tickets are sold now if the stock is still
 * there and the sale open. One ticket per attendee, each with a signed code.
 * Otherwise the money goes back: never a paid order without tickets. The hot
 * inventory row is touched last, so its lock is held only until the commit.
 */
export async function fulfilOrder(tx: DbExecutor, locked: LockedOrder, payment: { id: string; amountMinor: number } | undefined, ticketKeys: TicketKeySet): Promise<Fulfilment> {
  const { order, reservation, event } = locked;
  if (!event || event.status !== 'published') return refundInstead(tx, order, payment, 'event-cancelled', 'The event is no longer on sale, so the payment is refunded.');

  const stillHeld = reservation.status === 'held';
  if (!stillHeld && !(await sellLate(tx, order, reservation))) {
    return refundInstead(tx, order, payment, 'paid-after-sell-out', 'The hold ended before the payment arrived and the tickets are no longer available, so the payment is refunded.');
  }

  const paidAt = new Date();
  const tickets = order.attendees.map((attendee, position) => {
    const id = randomUUID();
    // A millisecond apart in the order the attendees were named, so every list shows them that way.
    const issuedAt = new Date(paidAt.getTime() + position);
    return { id, orderId: order.id, eventId: order.eventId, ticketTypeId: attendee.ticketTypeId, userId: order.userId, attendeeName: attendee.name, attendeeEmail: attendee.email, code: issueTicketCode({ ticketId: id, eventId: order.eventId }, ticketKeys.active), issuedAt };
  });
  const mailId = randomUUID();
  // The writes go out together, in this order (see lockForFulfilment): one round trip. Last the
  // hold: the reservation row is ours (locked), so it is still held and this converts it, and
  // the hot inventory row it touches stays locked only until the commit that follows.
  const [, , , , converted] = await Promise.all([
    insertTickets(tx, tickets),
    moveOrder(tx, order.id, ['pending', 'expired'], 'paid', { paidAt, paidPaymentId: payment?.id ?? null, statusReason: null }),
    // As one statement (the relay's wake-up in its RETURNING): enqueue() would send a second one after this round trip.
    tx.execute(orderOutbox.prepare(orderPaidV1, {
      subject: order.id,
      version: order.version + 1,
      data: {
        orderId: order.id,
        eventId: order.eventId,
        organizationId: order.organizationId,
        userId: order.userId,
        totalMinor: order.totalMinor,
        currency: order.currency,
        paidAt: paidAt.toISOString(),
        items: reservation.items.map(({ ticketTypeId, quantity }) => ({ ticketTypeId, quantity })),
        ticketIds: tickets.map((t) => t.id),
      },
    }).statement()),
    queueMail(tx, { id: mailId, kind: 'order-confirmation', orderId: order.id }),
    stillHeld ? convertHold(tx, reservation.id) : true,
  ]);
  if (!converted) throw new Error(`hold ${reservation.id} changed while locked`);
  return { paid: true, mailId };
}

/**
 * Takes the stock for a late payment. Holds past their time do not stand in
 * its way: if stock is short, they are released and it is tried once more.
 * Each attempt is a savepoint, so a refusal undoes only itself; anything but a
 * refusal (a deadlock, a lost connection) fails the whole payment, to be retried.
 */
async function sellLate(tx: DbExecutor, order: OrderRow, reservation: ReservationWithItems): Promise<boolean> {
  const attempt = async () => {
    try {
      await tx.transaction((savepoint) => sellWithoutHold(savepoint, { reservationId: reservation.id, eventId: order.eventId, userId: order.userId }));
      return true;
    } catch (error) {
      const failure = postgresError(error);
      if (failure?.code === holdRefusals.notHoldable || failure?.code === holdRefusals.checkViolation) return false;
      throw error;
    }
  };
  if (await attempt()) return true;
  const released = await expireOverdueHolds(tx, { limit: 50, ticketTypeIds: reservation.items.map((i) => i.ticketTypeId) });
  return released > 0 && (await attempt());
}

async function refundInstead(tx: DbExecutor, order: OrderRow, payment: { id: string; amountMinor: number } | undefined, reason: RefundReason, words: string): Promise<Fulfilment> {
  if (!payment) {
    // A free order took no money: it simply did not go through.
    await moveOrder(tx, order.id, ['pending', 'expired'], 'expired', { statusReason: words.replace(', so the payment is refunded', '') });
    return { paid: false, refundId: undefined };
  }
  await moveOrder(tx, order.id, ['pending', 'expired'], 'refunding', { statusReason: words });
  const refundId = randomUUID();
  await insertRefund(tx, { id: refundId, orderId: order.id, paymentId: payment.id, amountMinor: payment.amountMinor, reason });
  return { paid: false, refundId };
}
