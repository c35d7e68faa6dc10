import { and, eq, sql } from 'drizzle-orm';
import type { Envelope, MessageData } from '@twenny/contracts';
import type { inventoryChangedV1 } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import { availability, events, ticketTypes } from '../db/schema.ts';

/**
 * Keeps order-service's latest numbers for a ticket type. State transfer: the
 * message carries the whole state, so only the newest version matters: an older
 * or repeated one changes nothing, in whatever order they arrive.
 *
 * The event's `tickets_sold` (the popular listing's order) is kept equal to the
 * sum of its ticket types' `sold` in the same transaction. The event is locked
 * first, as organisers' changes lock it before they touch availability (the
 * same order, so no deadlock): reports for one event apply one at a time, and
 * the sum read after the upsert is exact. The event row is written only when
 * the sum changes (holds and releases, most reports, leave it alone).
 */
export async function recordAvailability(tx: DbExecutor, message: Envelope<MessageData<typeof inventoryChangedV1>>): Promise<void> {
  const { ticketTypeId, eventId, capacity, held, sold, available } = message.data;
  const [event] = await tx.select({ id: events.id }).from(events).where(eq(events.id, eventId)).for('no key update');
  if (!event) return;
  // Numbers for a ticket type removed (or an event deleted) meanwhile have nothing left to describe.
  const [known] = await tx.select({ id: ticketTypes.id }).from(ticketTypes).where(and(eq(ticketTypes.id, ticketTypeId), eq(ticketTypes.eventId, eventId)));
  if (!known) return;
  const changed = await tx
    .insert(availability)
    .values({ ticketTypeId, eventId, capacity, held, sold, available, version: message.version })
    .onConflictDoUpdate({
      target: availability.ticketTypeId,
      set: { eventId, capacity, held, sold, available, version: message.version, updatedAt: sql`now()` },
      setWhere: sql`${availability.version} < excluded.version`,
    })
    .returning({ ticketTypeId: availability.ticketTypeId });
  if (changed.length === 0) return;
  await tx.execute(sql`
    update catalog.events e set tickets_sold = s.sold
    from (select coalesce(sum(a.sold), 0)::int as sold from catalog.availability a where a.event_id = ${eventId}) s
    where e.id = ${eventId} and e.tickets_sold <> s.sold`);
}
