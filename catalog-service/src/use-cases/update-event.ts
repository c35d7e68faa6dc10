import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { pastScheduleViolations, scheduleViolations, ticketTypeViolations, type Violation } from '../domain/event-rules.ts';
import { numbersOf, ticketTypesOf, touchEvent } from '../db/event-store.ts';
import type { EventPatch } from '../http/schemas.ts';
import { publishEventChange } from './event-messages.ts';
import { eventForOrganiser, refuse } from './organiser-access.ts';
import { timeReader } from './resolve-times.ts';

/** Edits an event's details. Published (or once published) events announce it on the bus. */
export async function updateEvent(db: DbExecutor, identity: Identity, eventId: string, patch: EventPatch, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const event = await eventForOrganiser(tx, identity, eventId, { editing: true });
    const times = timeReader(event.timeZone);
    const startsAt = patch.startsAt === undefined ? event.startsAt : times.read(patch.startsAt, 'body.startsAt');
    const endsAt = patch.endsAt === undefined ? event.endsAt : times.read(patch.endsAt, 'body.endsAt');
    refuse(times.violations);
    const violations: Violation[] = [...scheduleViolations({ startsAt, endsAt }), ...pastScheduleViolations(event, { endsAt }, now)];
    const types = await ticketTypesOf(tx, eventId);
    // Moving the end earlier must not leave a ticket type selling after it.
    types.forEach((t, i) => violations.push(...ticketTypeViolations(t, { endsAt }, `event.ticketTypes[${i}]`).filter((v) => v.name.endsWith('salesEndAt') || v.name.endsWith('salesStartAt'))));
    if (patch.currency !== undefined && patch.currency !== event.currency) {
      const sold = [...(await numbersOf(tx, eventId)).values()].reduce((sum, n) => sum + n.sold + n.held, 0);
      if (sold > 0) violations.push({ name: 'body.currency', reason: 'Tickets are already sold or held in the current currency; it can no longer change.' });
    }
    refuse(violations);
    const updated = await touchEvent(tx, eventId, {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.category !== undefined && { category: patch.category }),
      ...(patch.tags !== undefined && { tags: [...new Set(patch.tags)] }),
      ...(patch.currency !== undefined && { currency: patch.currency }),
      ...(patch.refundPolicy !== undefined && { refundableUntilHours: patch.refundPolicy.refundable ? patch.refundPolicy.untilHoursBeforeStart : null }),
      startsAt,
      endsAt,
    });
    await publishEventChange(tx, eventId, 'updated', { event: updated, types });
  });
}
