import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { events, inventory, orders, payments, reservationItems, tickets } from './schema.ts';
import type { OrderRow } from './order-store.ts';

export interface OrderDetails {
  order: OrderRow;
  event: { title: string; slug: string; startsAt: Date; endsAt: Date; timeZone: string; refundableUntilHours: number | null; status: string } | undefined;
  items: Array<{ ticketTypeId: string; name: string; quantity: number; unitPriceMinor: number }>;
  tickets: Array<typeof tickets.$inferSelect & { ticketTypeName: string }>;
  payments: Array<typeof payments.$inferSelect>;
}

/** An order with what a buyer or the mail shows of it. */
export async function orderDetails(db: DbExecutor, order: OrderRow): Promise<OrderDetails> {
  const [event] = await db
    .select({ title: events.title, slug: events.slug, startsAt: events.startsAt, endsAt: events.endsAt, timeZone: events.timeZone, refundableUntilHours: events.refundableUntilHours, status: events.status })
    .from(events)
    .where(eq(events.eventId, order.eventId));
  const items = await db
    .select({ ticketTypeId: reservationItems.ticketTypeId, name: sql<string>`coalesce(${inventory.name}, 'Ticket')`, quantity: reservationItems.quantity, unitPriceMinor: reservationItems.unitPriceMinor })
    .from(reservationItems)
    .leftJoin(inventory, eq(inventory.ticketTypeId, reservationItems.ticketTypeId))
    .where(eq(reservationItems.reservationId, order.reservationId))
    .orderBy(reservationItems.ticketTypeId);
  const names = new Map(items.map((i) => [i.ticketTypeId, i.name]));
  const ticketRows = await db.select().from(tickets).where(eq(tickets.orderId, order.id)).orderBy(tickets.issuedAt, tickets.id);
  const paymentRows = await db.select().from(payments).where(eq(payments.orderId, order.id)).orderBy(payments.createdAt);
  return { order, event, items, tickets: ticketRows.map((t) => ({ ...t, ticketTypeName: names.get(t.ticketTypeId) ?? 'Ticket' })), payments: paymentRows };
}

/** The buyer's orders, newest first, a page at a time (keyset on created_at, id). */
export async function ordersOfUser(db: DbExecutor, userId: string, options: { limit: number; before?: { createdAt: Date; id: string } }): Promise<OrderRow[]> {
  const { before } = options;
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.userId, userId), before ? or(lt(orders.createdAt, before.createdAt), and(eq(orders.createdAt, before.createdAt), lt(orders.id, before.id))) : undefined))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(options.limit);
}

/** The buyer's tickets with their event, newest first. */
export async function ticketsOfUser(db: DbExecutor, userId: string, options: { limit: number; before?: { issuedAt: Date; id: string } }) {
  const { before } = options;
  return db
    .select({ ticket: tickets, ticketTypeName: inventory.name, eventTitle: events.title, eventSlug: events.slug, startsAt: events.startsAt, timeZone: events.timeZone })
    .from(tickets)
    .leftJoin(inventory, eq(inventory.ticketTypeId, tickets.ticketTypeId))
    .leftJoin(events, eq(events.eventId, tickets.eventId))
    .where(and(eq(tickets.userId, userId), before ? or(lt(tickets.issuedAt, before.issuedAt), and(eq(tickets.issuedAt, before.issuedAt), lt(tickets.id, before.id))) : undefined))
    .orderBy(desc(tickets.issuedAt), desc(tickets.id))
    .limit(options.limit);
}

export async function ticketById(db: DbExecutor, ticketId: string) {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
  return row;
}

export async function paidOrderIdsOfEvent(db: DbExecutor, eventId: string): Promise<string[]> {
  const rows = await db.select({ id: orders.id }).from(orders).where(and(eq(orders.eventId, eventId), inArray(orders.status, ['paid'])));
  return rows.map((r) => r.id);
}
