import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { availability, events, ticketTypes, venues } from './schema.ts';

export type EventRow = typeof events.$inferSelect;
export type TicketTypeRow = typeof ticketTypes.$inferSelect;
export type VenueRow = typeof venues.$inferSelect;

/** The event, locked until the transaction ends: changes to one event are serialised. */
export async function lockEvent(tx: DbExecutor, eventId: string): Promise<EventRow | undefined> {
  const [row] = await tx.select().from(events).where(eq(events.id, eventId)).for('update');
  return row;
}

export async function ticketTypesOf(tx: DbExecutor, eventId: string): Promise<TicketTypeRow[]> {
  return tx.select().from(ticketTypes).where(eq(ticketTypes.eventId, eventId)).orderBy(asc(ticketTypes.sortOrder), asc(ticketTypes.createdAt), asc(ticketTypes.id));
}

export async function venueOf(tx: DbExecutor, venueId: string): Promise<VenueRow | undefined> {
  const [row] = await tx.select().from(venues).where(eq(venues.id, venueId));
  return row;
}

/** Sold and held per ticket type, as order-service last reported them (none reported: zero). */
export async function numbersOf(tx: DbExecutor, eventId: string): Promise<Map<string, { sold: number; held: number; available: number }>> {
  const rows = await tx.select({ id: availability.ticketTypeId, sold: availability.sold, held: availability.held, available: availability.available }).from(availability).where(eq(availability.eventId, eventId));
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Records a change of the event (or its ticket types): version +1, the visible
 * price range recomputed, plus `changes`. Returns the new row.
 */
export async function touchEvent(tx: DbExecutor, eventId: string, changes: Partial<Record<keyof EventRow, unknown>> = {}): Promise<EventRow> {
  const visible = (aggregate: 'min' | 'max'): SQL =>
    sql`(select ${sql.raw(aggregate)}(${ticketTypes.priceMinor}) from ${ticketTypes} where ${ticketTypes.eventId} = ${eventId} and not ${ticketTypes.hidden})`;
  const [row] = await tx
    .update(events)
    .set({ ...(changes as object), version: sql`${events.version} + 1`, updatedAt: sql`now()`, minPriceMinor: visible('min'), maxPriceMinor: visible('max') })
    .where(eq(events.id, eventId))
    .returning();
  return row!;
}

export async function ticketTypeOf(tx: DbExecutor, eventId: string, ticketTypeId: string): Promise<TicketTypeRow | undefined> {
  const [row] = await tx.select().from(ticketTypes).where(and(eq(ticketTypes.id, ticketTypeId), eq(ticketTypes.eventId, eventId)));
  return row;
}
