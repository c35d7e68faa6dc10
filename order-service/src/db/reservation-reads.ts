import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { buyerAllowances, events, inventory, reservationItems, reservations } from './schema.ts';

export type ReservationRow = typeof reservations.$inferSelect;
export type ReservationWithItems = ReservationRow & { items: Array<{ ticketTypeId: string; quantity: number; unitPriceMinor: number }> };

export async function reservationWithItems(db: DbExecutor, reservationId: string, options: { lock?: boolean } = {}): Promise<ReservationWithItems | undefined> {
  // One round trip: the items come along as JSON.
  const query = db
    .select({
      ...getTableColumns(reservations),
      items: sql<ReservationWithItems['items']>`(select coalesce(json_agg(json_build_object('ticketTypeId', ri.ticket_type_id, 'quantity', ri.quantity, 'unitPriceMinor', ri.unit_price_minor) order by ri.ticket_type_id), '[]'::json) from ${reservationItems} ri where ri.reservation_id = ${sql.raw(`"reservations"."id"`)})`,
    })
    .from(reservations)
    .where(eq(reservations.id, reservationId));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/** What a refused hold is explained from: the event, the ticket types asked for, and the buyer's count. */
export async function holdFacts(db: DbExecutor, eventId: string, userId: string, ticketTypeIds: string[]) {
  const [event] = await db.select({ status: events.status, endsAt: events.endsAt }).from(events).where(eq(events.eventId, eventId));
  const ticketTypes = ticketTypeIds.length
    ? await db.select().from(inventory).where(and(eq(inventory.eventId, eventId), inArray(inventory.ticketTypeId, ticketTypeIds)))
    : [];
  const [allowance] = await db.select({ tickets: buyerAllowances.tickets }).from(buyerAllowances).where(and(eq(buyerAllowances.eventId, eventId), eq(buyerAllowances.userId, userId)));
  return { event, ticketTypes, buyerTickets: allowance?.tickets ?? 0 };
}
