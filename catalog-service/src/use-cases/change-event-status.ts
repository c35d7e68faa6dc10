import { sql } from 'drizzle-orm';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { statusChange, type StatusChange } from '../domain/event-rules.ts';
import { ticketTypesOf, touchEvent } from '../db/event-store.ts';
import { events } from '../db/schema.ts';
import { publishEventChange, type EventChange } from './event-messages.ts';
import { eventForOrganiser, refuse } from './organiser-access.ts';

const messageFor: Record<StatusChange, EventChange> = { publish: 'published', unpublish: 'unpublished', cancel: 'cancelled' };

/** Publish, unpublish or cancel, when the event's state allows it; the bus hears of it in the same transaction. */
export async function changeEventStatus(db: DbExecutor, identity: Identity, eventId: string, change: StatusChange, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const event = await eventForOrganiser(tx, identity, eventId, change === 'cancel' ? { ownersAndAdminsMay: 'cancel an event (it refunds every paid order)' } : {});
    const types = await ticketTypesOf(tx, eventId);
    const outcome = statusChange(event, change, { now, visibleTicketTypes: types.filter((t) => !t.hidden).length });
    if ('violations' in outcome) refuse(outcome.violations, 'conflict');
    const to = (outcome as { to: typeof event.status }).to;
    const updated = await touchEvent(tx, eventId, {
      status: to,
      ...(change === 'publish' && { publishedAt: sql`now()`, firstPublishedAt: sql`coalesce(${events.firstPublishedAt}, now())` }),
    });
    await publishEventChange(tx, eventId, messageFor[change], { event: updated, types });
  });
}
