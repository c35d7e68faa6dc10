import { HttpProblem } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { orderDetails, ordersOfUser, ordersWithDetails, ticketById, ticketsOfUser } from '../db/order-reads.ts';
import { ticketQrSvg } from '../tickets/ticket-qr.ts';
import { orderView } from './order-view.ts';

/** An order, for its buyer only: it holds the tickets' codes (organisers see attendees in their own views). */
export async function getOrder(db: DbExecutor, caller: Identity, orderId: string) {
  const details = await orderDetails(db, orderId);
  if (!details || details.order.userId !== caller.userId) throw HttpProblem.notFound(`There is no order ${orderId} of yours.`);
  return orderView(details);
}

/** The caller's orders, newest first. */
export async function listOrders(db: DbExecutor, caller: Identity, page: { limit: number; before?: { at: Date; id: string } }) {
  const rows = await ordersOfUser(db, caller.userId, { limit: page.limit + 1, before: page.before && { createdAt: page.before.at, id: page.before.id } });
  const items = (await ordersWithDetails(db, rows.slice(0, page.limit).map((order) => order.id))).map((details) => orderView(details));
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return { items, next: last ? { at: last.createdAt, id: last.id } : undefined };
}

/** The caller's tickets, newest first. */
export async function listTickets(db: DbExecutor, caller: Identity, page: { limit: number; before?: { at: Date; id: string } }) {
  const rows = await ticketsOfUser(db, caller.userId, { limit: page.limit + 1, before: page.before && { issuedAt: page.before.at, id: page.before.id } });
  const items = rows.slice(0, page.limit).map(({ ticket, ticketTypeName, eventTitle, eventSlug, startsAt, timeZone }) => ({
    id: ticket.id,
    orderId: ticket.orderId,
    event: { id: ticket.eventId, title: eventTitle, slug: eventSlug, startsAt: startsAt?.toISOString(), timeZone },
    ticketTypeId: ticket.ticketTypeId,
    ticketTypeName,
    attendeeName: ticket.attendeeName,
    status: ticket.status,
    code: ticket.code,
    qr: `/api/tickets/${ticket.id}/qr.svg`,
    checkedInAt: ticket.checkedInAt?.toISOString(),
  }));
  const last = rows.length > page.limit ? rows[page.limit - 1]!.ticket : undefined;
  return { items, next: last ? { at: last.issuedAt, id: last.id } : undefined };
}

/** A ticket's QR code, for its buyer only. */
export async function ticketQr(db: DbExecutor, caller: Identity, ticketId: string): Promise<string> {
  const ticket = await ticketById(db, ticketId);
  if (!ticket || ticket.userId !== caller.userId) throw HttpProblem.notFound(`You have no ticket ${ticketId}.`);
  return ticketQrSvg(ticket.code, `Ticket for ${ticket.attendeeName}`);
}
