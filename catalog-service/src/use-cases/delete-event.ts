import { eq } from 'drizzle-orm';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { deleteViolations } from '../domain/event-rules.ts';
import { numbersOf, ticketTypesOf } from '../db/event-store.ts';
import { availability, events } from '../db/schema.ts';
import { publishEventChange } from './event-messages.ts';
import { eventForOrganiser, refuse } from './organiser-access.ts';

/** Deletes a draft that never sold; its ticket types go with it. */
export async function deleteEvent(db: DbExecutor, identity: Identity, eventId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const event = await eventForOrganiser(tx, identity, eventId);
    const numbers = [...(await numbersOf(tx, eventId)).values()].reduce((sum, n) => ({ sold: sum.sold + n.sold, held: sum.held + n.held }), { sold: 0, held: 0 });
    refuse(deleteViolations(event, numbers), 'conflict');
    const types = await ticketTypesOf(tx, eventId);
    // The deletion is the event's last change: one version past its current one.
    await publishEventChange(tx, eventId, 'deleted', { event: { ...event, version: event.version + 1 }, types });
    await tx.delete(events).where(eq(events.id, eventId));
    await tx.delete(availability).where(eq(availability.eventId, eventId));
  });
}
