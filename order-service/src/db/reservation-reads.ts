import { and, eq, inArray } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { buyerAllowances, events, inventory, reservationItems, reservations } from './schema.ts';

export type ReservationRow = typeof reservations.$inferSelect;
export type ReservationWithItems = ReservationRow & { items: Array<{ ticketTypeId: string; quantity: number; unitPriceMinor: number }> };

export async function reservationWithItems(db: DbExecutor, reservationId: string, options: { lock?: boolean } = {}): Promise<ReservationWithItems | undefined> {
  const query = db.select().from(reservations).where(eq(reservations.id, reservationId));
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) return undefined;
  const items = await db
    .select({ ticketTypeId: reservationItems.ticketTypeId, quantity: reservationItems.quantity, unitPriceMinor: reservationItems.unitPriceMinor })
    .from(reservationItems)
    .where(eq(reservationItems.reservationId, reservationId))
    .orderBy(reservationItems.ticketTypeId);
  return { ...row, items };
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
