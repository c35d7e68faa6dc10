import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { uuid } from '../domain/listing-cursor.ts';
import { availability, events, ticketTypes, venues } from './schema.ts';
import { instant } from './sql-values.ts';


/** An event by id or slug, with its venue. */
export async function eventWithVenue(db: DbExecutor, key: string) {
  const [row] = await db
    .select({ event: events, venue: venues })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(uuid.test(key) ? eq(events.id, key) : eq(events.slug, key));
  return row;
}

/** Ticket types with order-service's latest numbers (none reported yet: all of the capacity is available). */
export async function ticketTypesWithNumbers(db: DbExecutor, eventId: string) {
  return db
    .select({
      ticketType: ticketTypes,
      sold: sql<number>`coalesce(${availability.sold}, 0)`.mapWith(Number),
      held: sql<number>`coalesce(${availability.held}, 0)`.mapWith(Number),
      available: sql<number>`coalesce(${availability.available}, ${ticketTypes.capacity})`.mapWith(Number),
      reportedAt: availability.updatedAt,
    })
    .from(ticketTypes)
    .leftJoin(availability, eq(availability.ticketTypeId, ticketTypes.id))
    .where(eq(ticketTypes.eventId, eventId))
    .orderBy(asc(ticketTypes.sortOrder), asc(ticketTypes.createdAt), asc(ticketTypes.id));
}

// Correlated subqueries name the outer row explicitly (a bare "id" would bind to the inner table).
const outerId = sql.raw('"events"."id"');

/** An organisation's events in every status, soonest first, with sold and held totals. */
export async function organizationEvents(db: DbExecutor, organizationId: string, options: { status?: string; after?: { startsAt: string; id: string }; limit: number }) {
  const conditions: SQL[] = [eq(events.organizationId, organizationId)];
  if (options.status) conditions.push(eq(events.status, options.status as 'draft'));
  if (options.after) conditions.push(sql`(${events.startsAt}, ${events.id}) > (${options.after.startsAt}::timestamptz, ${options.after.id}::uuid)`);
  return db
    .select({
      event: events,
      sortKey: sql<string>`${events.startsAt}::text`,
      sold: sql<number>`coalesce((select sum(a.sold) from catalog.availability a where a.event_id = ${outerId}), 0)`.mapWith(Number),
      held: sql<number>`coalesce((select sum(a.held) from catalog.availability a where a.event_id = ${outerId}), 0)`.mapWith(Number),
      capacity: sql<number>`coalesce((select sum(t.capacity) from catalog.ticket_types t where t.event_id = ${outerId}), 0)`.mapWith(Number),
    })
    .from(events)
    .where(and(...conditions))
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(options.limit + 1);
}

/** Categories and cities with upcoming published events, and how many. */
export async function listingCounts(db: DbExecutor, column: 'category' | 'city', now: Date) {
  const key = column === 'city' ? sql`e.city, e.country` : sql`e.category`;
  return (await db.execute(sql`
    select ${key}, count(*)::int as count from catalog.events e
    where e.status = 'published' and e.ends_at > ${instant(now)}
    group by ${key} order by count(*) desc`)) as unknown as Array<{ category?: string; city?: string; country?: string; count: number }>;
}
