import { eventCancelledV1, eventDeletedV1, eventPublishedV1, eventUnpublishedV1, eventUpdatedV1, type MessageData, type catalogEventSnapshot } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import type { z } from 'zod';
import { lockEvent, ticketTypesOf, type EventRow, type TicketTypeRow } from '../db/event-store.ts';
import { catalogOutbox } from '../messaging/catalog-outbox.ts';

export type EventChange = 'published' | 'updated' | 'unpublished' | 'cancelled' | 'deleted';

const contracts = {
  published: eventPublishedV1,
  updated: eventUpdatedV1,
  unpublished: eventUnpublishedV1,
  cancelled: eventCancelledV1,
  deleted: eventDeletedV1,
} as const;

/** The whole sellable state of the event, as every catalog.event.* message carries it. */
export function eventSnapshot(event: EventRow, types: TicketTypeRow[]): z.input<typeof catalogEventSnapshot> {
  return {
    eventId: event.id,
    organizationId: event.organizationId,
    slug: event.slug,
    title: event.title,
    status: event.status,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    timeZone: event.timeZone,
    currency: event.currency,
    refundableUntilHours: event.refundableUntilHours,
    ticketTypes: types.map((t) => ({
      ticketTypeId: t.id,
      name: t.name,
      priceMinor: t.priceMinor,
      capacity: t.capacity,
      salesStartAt: t.salesStartAt?.toISOString() ?? null,
      salesEndAt: t.salesEndAt?.toISOString() ?? null,
      minPerOrder: t.minPerOrder,
      maxPerOrder: t.maxPerOrder,
      hidden: t.hidden,
    })),
  };
}

/**
 * Writes the message for a change, in the change's transaction. Events that were
 * never published are nobody else's business yet: their edits send nothing (a
 * deletion is always sent, for media-service to clean up any uploaded image).
 */
export async function publishEventChange(tx: DbExecutor, eventId: string, change: EventChange, known?: { event: EventRow; types: TicketTypeRow[] }): Promise<void> {
  const event = known?.event ?? (await lockEvent(tx, eventId));
  if (!event) return;
  if (!event.firstPublishedAt && change !== 'deleted') return;
  const types = known?.types ?? (await ticketTypesOf(tx, eventId));
  const contract = contracts[change];
  const snapshot = eventSnapshot(event, types);
  // A deletion names the event's images, which media-service then deletes with their variants.
  const data = change === 'deleted' ? { ...snapshot, imageIds: event.coverImage ? [event.coverImage.imageId] : [] } : snapshot;
  await catalogOutbox.enqueue(tx, contract, { subject: event.id, version: event.version, data: data as MessageData<typeof contract> });
}
