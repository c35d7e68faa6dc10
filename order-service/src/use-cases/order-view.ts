import type { OrderDetails } from '../db/order-reads.ts';
import { buyerMayRefund } from '../domain/attendees.ts';

/** An order as its buyer (and the API) sees it. Ticket codes are the buyer's to show at the door. */
export function orderView(details: OrderDetails, now = new Date()) {
  const { order, event, items, tickets, payments } = details;
  const latest = payments.at(-1);
  return {
    id: order.id,
    status: order.status,
    statusReason: order.statusReason ?? undefined,
    reservationId: order.reservationId,
    event: event ? { id: order.eventId, title: event.title, slug: event.slug, startsAt: event.startsAt.toISOString(), endsAt: event.endsAt.toISOString(), timeZone: event.timeZone, status: event.status } : { id: order.eventId },
    items,
    total: order.totalMinor,
    currency: order.currency,
    createdAt: order.createdAt.toISOString(),
    paidAt: order.paidAt?.toISOString(),
    refundedAt: order.refundedAt?.toISOString(),
    refundable: order.status === 'paid' && !!event && buyerMayRefund(event, now),
    payment: latest ? { id: latest.id, provider: latest.provider, status: latest.status, failureCode: latest.failureCode ?? undefined, redirectUrl: latest.status === 'open' ? (latest.redirectUrl ?? undefined) : undefined } : undefined,
    tickets: tickets.map((t) => ({
      id: t.id,
      ticketTypeId: t.ticketTypeId,
      ticketTypeName: t.ticketTypeName,
      attendeeName: t.attendeeName,
      attendeeEmail: t.attendeeEmail,
      status: t.status,
      code: t.code,
      qr: `/api/tickets/${t.id}/qr.svg`,
      checkedInAt: t.checkedInAt?.toISOString(),
    })),
  };
}

export type OrderView = ReturnType<typeof orderView>;
