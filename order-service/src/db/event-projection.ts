import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { catalogEventSnapshot } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import type { z } from 'zod';
import { events, inventory } from './schema.ts';

type Snapshot = z.output<typeof catalogEventSnapshot>;
export type ProjectedStatus = (typeof events.$inferSelect)['status'];

/**
 * Keeps catalog's newest version of an event. Returns false (and changes
 * nothing) when the version is not newer than what is kept: redelivered and
 * reordered messages are harmless.
 */
export async function upsertEvent(tx: DbExecutor, snapshot: Snapshot, status: ProjectedStatus, version: number): Promise<boolean> {
  const values = {
    eventId: snapshot.eventId,
    organizationId: snapshot.organizationId,
    title: snapshot.title,
    slug: snapshot.slug,
    status,
    startsAt: new Date(snapshot.startsAt),
    endsAt: new Date(snapshot.endsAt),
    timeZone: snapshot.timeZone,
    currency: snapshot.currency,
    refundableUntilHours: snapshot.refundableUntilHours,
    version,
  };
  const rows = await tx
    .insert(events)
    .values(values)
    .onConflictDoUpdate({ target: events.eventId, set: { ...values, updatedAt: sql`now()` }, setWhere: sql`${events.version} < excluded.version` })
    .returning({ eventId: events.eventId });
  return rows.length > 0;
}

/**
 * Brings the event's ticket types into the inventory. Capacity never drops
 * below what is already held and sold (catalog checks sold, but its numbers can
 * lag ours); a change of capacity bumps the version so the new numbers go out.
 * Ticket types no longer in the event stop selling and keep what they sold.
 */
export async function syncInventory(tx: DbExecutor, snapshot: Snapshot): Promise<void> {
  // In id order, like every statement that changes several inventory rows (see lockInventoryOf).
  const ticketTypes = [...snapshot.ticketTypes].sort((a, b) => a.ticketTypeId.localeCompare(b.ticketTypeId));
  const present = ticketTypes.map((t) => t.ticketTypeId);
  if (present.length > 0) {
    const capacity = sql`greatest(excluded.capacity, ${inventory.held} + ${inventory.sold})`;
    await tx
      .insert(inventory)
      .values(
        ticketTypes.map((t) => ({
          ticketTypeId: t.ticketTypeId,
          eventId: snapshot.eventId,
          name: t.name,
          priceMinor: t.priceMinor,
          capacity: t.capacity,
          salesStartAt: t.salesStartAt ? new Date(t.salesStartAt) : null,
          salesEndAt: t.salesEndAt ? new Date(t.salesEndAt) : null,
          minPerOrder: t.minPerOrder,
          maxPerOrder: t.maxPerOrder,
          hidden: t.hidden,
        })),
      )
      .onConflictDoUpdate({
        target: inventory.ticketTypeId,
        set: {
          name: sql`excluded.name`,
          priceMinor: sql`excluded.price_minor`,
          capacity,
          salesStartAt: sql`excluded.sales_start_at`,
          salesEndAt: sql`excluded.sales_end_at`,
          minPerOrder: sql`excluded.min_per_order`,
          maxPerOrder: sql`excluded.max_per_order`,
          hidden: sql`excluded.hidden`,
          removed: sql`false`,
          version: sql`${inventory.version} + (${inventory.capacity} <> ${capacity} or ${inventory.removed})::int`,
        },
        // A ticket type belongs to one event for good.
        setWhere: eq(inventory.eventId, snapshot.eventId),
      });
  }
  const gone = and(eq(inventory.eventId, snapshot.eventId), eq(inventory.removed, false), present.length > 0 ? notInArray(inventory.ticketTypeId, present) : undefined);
  await tx.update(inventory).set({ removed: true, version: sql`${inventory.version} + 1` }).where(gone);
}

/**
 * The event as kept. `share` waits for a change being written (a cancellation
 * in flight) and keeps it from changing until this transaction ends: a sale
 * either happens before the cancellation, which then refunds it, or sees it.
 */
export async function projectedEvent(tx: DbExecutor, eventId: string, options: { share?: boolean } = {}) {
  const query = tx.select().from(events).where(eq(events.eventId, eventId));
  const [row] = options.share ? await query.for('share') : await query;
  return row;
}

export type ProjectedEvent = typeof events.$inferSelect;
