import { randomUUID } from 'node:crypto';
import { orderPaidV1 } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import { projectedEvent } from '../db/event-projection.ts';
import { convertHold, insertRefund, insertTickets, moveOrder, queueMail, sellWithoutHold, type OrderRow } from '../db/order-store.ts';
import { reservationWithItems } from '../db/reservation-reads.ts';
import type { RefundReason } from '../db/schema.ts';
import { issueTicketCode, type TicketKeySet } from '../domain/ticket-code.ts';
import { orderOutbox } from '../messaging/order-outbox.ts';

export type Fulfilment = { paid: true; mailId: string } | { paid: false; refundId: string | undefined };

/**
 * A paid (or free) order gets its tickets, in the transaction `tx`: the hold
 * becomes a sale, or — when the hold ended before the money came — the tickets
 * are sold now if the stock is still there. One ticket per attendee, each with
 * a signed code. Otherwise the money goes back: never a paid order without tickets.
 */
export async function fulfilOrder(tx: DbExecutor, order: OrderRow, payment: { id: string; amountMinor: number } | undefined, ticketKeys: TicketKeySet): Promise<Fulfilment> {
  const event = await projectedEvent(tx, order.eventId);
  if (!event || event.status !== 'published') return refundInstead(tx, order, payment, 'event-cancelled', 'The event is no longer on sale, so the payment is refunded.');

  if (!(await convertHold(tx, order.reservationId))) {
    try {
      // A savepoint: a refusal undoes only this attempt.
      await tx.transaction((savepoint) => sellWithoutHold(savepoint, { reservationId: order.reservationId, eventId: order.eventId, userId: order.userId }));
    } catch {
      return refundInstead(tx, order, payment, 'paid-after-sell-out', 'The hold ended before the payment arrived and the tickets were sold meanwhile, so the payment is refunded.');
    }
  }

  const paidAt = new Date();
  const tickets = order.attendees.map((attendee) => {
    const id = randomUUID();
    return { id, orderId: order.id, eventId: order.eventId, ticketTypeId: attendee.ticketTypeId, userId: order.userId, attendeeName: attendee.name, attendeeEmail: attendee.email, code: issueTicketCode({ ticketId: id, eventId: order.eventId }, ticketKeys.active), issuedAt: paidAt };
  });
  await insertTickets(tx, tickets);
  await moveOrder(tx, order.id, ['pending', 'expired'], 'paid', { paidAt, statusReason: null });
  const reservation = await reservationWithItems(tx, order.reservationId);
  await orderOutbox.enqueue(tx, orderPaidV1, {
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
      items: reservation!.items.map(({ ticketTypeId, quantity }) => ({ ticketTypeId, quantity })),
      ticketIds: tickets.map((t) => t.id),
    },
  });
  const mailId = randomUUID();
  await queueMail(tx, { id: mailId, kind: 'order-confirmation', orderId: order.id });
  return { paid: true, mailId };
}

async function refundInstead(tx: DbExecutor, order: OrderRow, payment: { id: string; amountMinor: number } | undefined, reason: RefundReason, words: string): Promise<Fulfilment> {
  await moveOrder(tx, order.id, ['pending', 'expired'], 'refunding', { statusReason: words });
  if (!payment) return { paid: false, refundId: undefined };
  const refundId = randomUUID();
  await insertRefund(tx, { id: refundId, orderId: order.id, paymentId: payment.id, amountMinor: payment.amountMinor, reason });
  return { paid: false, refundId };
}
