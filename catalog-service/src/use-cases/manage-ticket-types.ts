import { eq, sql } from 'drizzle-orm';
import { HttpProblem } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { capacityViolations, removeTicketTypeViolations, ticketTypeViolations, visibleTypeViolations } from '../domain/event-rules.ts';
import { numbersOf, ticketTypeOf, ticketTypesOf, touchEvent, type EventRow } from '../db/event-store.ts';
import { availability, ticketTypes } from '../db/schema.ts';
import type { TicketTypeInput, TicketTypePatch } from '../http/schemas.ts';
import { publishEventChange } from './event-messages.ts';
import { eventForOrganiser, refuse } from './organiser-access.ts';
import { timeReader } from './resolve-times.ts';

const maxTicketTypes = 100;

async function announce(tx: DbExecutor, event: EventRow) {
  const updated = await touchEvent(tx, event.id);
  await publishEventChange(tx, event.id, 'updated', { event: updated, types: await ticketTypesOf(tx, event.id) });
}

export async function addTicketType(db: DbExecutor, identity: Identity, eventId: string, input: TicketTypeInput): Promise<string> {
  return db.transaction(async (tx) => {
    const event = await eventForOrganiser(tx, identity, eventId, { editing: true });
    const existing = await ticketTypesOf(tx, eventId);
    if (existing.length >= maxTicketTypes) refuse([{ name: 'event', reason: `An event can have at most ${maxTicketTypes} ticket types.` }], 'conflict');
    const times = timeReader(event.timeZone);
    const sortOrder = input.sortOrder ?? Math.max(-1, ...existing.map((t) => t.sortOrder)) + 1;
    const values = { ...input, sortOrder, salesStartAt: times.readNullable(input.salesStartAt, 'body.salesStartAt'), salesEndAt: times.readNullable(input.salesEndAt, 'body.salesEndAt') };
    refuse(times.violations);
    refuse(ticketTypeViolations(values, event, 'body'));
    const [row] = await tx.insert(ticketTypes).values({ ...values, eventId }).returning({ id: ticketTypes.id });
    await announce(tx, event);
    return row!.id;
  });
}

/** Edits a ticket type (hiding one is `hidden: true`); capacity never below what is sold. */
export async function updateTicketType(db: DbExecutor, identity: Identity, eventId: string, ticketTypeId: string, patch: TicketTypePatch): Promise<void> {
  await db.transaction(async (tx) => {
    const event = await eventForOrganiser(tx, identity, eventId, { editing: true });
    const current = await ticketTypeOf(tx, eventId, ticketTypeId);
    if (!current) throw HttpProblem.notFound(`Event ${eventId} has no ticket type ${ticketTypeId}.`);
    const times = timeReader(event.timeZone);
    const next = {
      ...current,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      salesStartAt: patch.salesStartAt === undefined ? current.salesStartAt : times.readNullable(patch.salesStartAt, 'body.salesStartAt'),
      salesEndAt: patch.salesEndAt === undefined ? current.salesEndAt : times.readNullable(patch.salesEndAt, 'body.salesEndAt'),
    };
    refuse(times.violations);
    const sold = (await numbersOf(tx, eventId)).get(ticketTypeId)?.sold ?? 0;
    refuse([...ticketTypeViolations(next, event, 'body'), ...capacityViolations(next.capacity, sold, 'body')]);
    const othersVisible = (await ticketTypesOf(tx, eventId)).filter((t) => t.id !== ticketTypeId && !t.hidden).length;
    refuse(visibleTypeViolations(event, othersVisible + (next.hidden ? 0 : 1)), 'conflict');
    const { id: _id, eventId: _eventId, createdAt: _createdAt, updatedAt: _updatedAt, ...columns } = next;
    await tx.update(ticketTypes).set({ ...columns, updatedAt: sql`now()` }).where(eq(ticketTypes.id, ticketTypeId));
    await announce(tx, event);
  });
}

/** Removes a ticket type nobody has bought or holds; otherwise it can only be hidden. */
export async function removeTicketType(db: DbExecutor, identity: Identity, eventId: string, ticketTypeId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const event = await eventForOrganiser(tx, identity, eventId, { editing: true });
    if (!(await ticketTypeOf(tx, eventId, ticketTypeId))) throw HttpProblem.notFound(`Event ${eventId} has no ticket type ${ticketTypeId}.`);
    const numbers = (await numbersOf(tx, eventId)).get(ticketTypeId) ?? { sold: 0, held: 0 };
    refuse(removeTicketTypeViolations(numbers), 'conflict');
    const remaining = (await ticketTypesOf(tx, eventId)).filter((t) => t.id !== ticketTypeId && !t.hidden);
    refuse(visibleTypeViolations(event, remaining.length), 'conflict');
    await tx.delete(ticketTypes).where(eq(ticketTypes.id, ticketTypeId));
    await tx.delete(availability).where(eq(availability.ticketTypeId, ticketTypeId));
    await announce(tx, event);
  });
}
