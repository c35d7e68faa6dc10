import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { events, inventory, tickets } from './schema.ts';

/** A ticket by its code, with the organisation that owns its event and its type's name. */
export async function ticketByCode(db: DbExecutor, code: string) {
  const [row] = await db
    .select({ ticket: tickets, organizationId: events.organizationId, eventTitle: events.title, ticketTypeName: inventory.name })
    .from(tickets)
    .innerJoin(events, eq(events.eventId, tickets.eventId))
    .leftJoin(inventory, eq(inventory.ticketTypeId, tickets.ticketTypeId))
    .where(eq(tickets.code, code));
  return row;
}

/** Admits a valid ticket once: of any number of concurrent scans, exactly one gets the row back. */
export async function admit(db: DbExecutor, ticketId: string, by: { userId: string; email: string }) {
  const [row] = await db
    .update(tickets)
    .set({ checkedInAt: sql`now()`, checkedInBy: by.userId, checkedInByEmail: by.email })
    .where(and(eq(tickets.id, ticketId), eq(tickets.status, 'valid'), isNull(tickets.checkedInAt)))
    .returning({ checkedInAt: tickets.checkedInAt });
  return row;
}
