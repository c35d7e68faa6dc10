import { and, eq, sql } from 'drizzle-orm';
import type { Envelope, MessageData } from '@twenny/contracts';
import type { inventoryChangedV1 } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import { availability, ticketTypes } from '../db/schema.ts';

/**
 * Keeps order-service's latest numbers for a ticket type. State transfer: the
 * message carries the whole state, so only the newest version matters: an older
 * or repeated one changes nothing, in whatever order they arrive.
 */
export async function recordAvailability(tx: DbExecutor, message: Envelope<MessageData<typeof inventoryChangedV1>>): Promise<void> {
  const { ticketTypeId, eventId, capacity, held, sold, available } = message.data;
  // Numbers for a ticket type removed (or an event deleted) meanwhile have nothing left to describe.
  const [known] = await tx.select({ id: ticketTypes.id }).from(ticketTypes).where(and(eq(ticketTypes.id, ticketTypeId), eq(ticketTypes.eventId, eventId)));
  if (!known) return;
  await tx
    .insert(availability)
    .values({ ticketTypeId, eventId, capacity, held, sold, available, version: message.version })
    .onConflictDoUpdate({
      target: availability.ticketTypeId,
      set: { eventId, capacity, held, sold, available, version: message.version, updatedAt: sql`now()` },
      setWhere: sql`${availability.version} < excluded.version`,
    });
}
