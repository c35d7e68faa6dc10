import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { HttpProblem } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { priceRange, scheduleViolations, ticketTypeViolations } from '../domain/event-rules.ts';
import { eventSlug } from '../domain/slug.ts';
import { events, ticketTypes, venues } from '../db/schema.ts';
import type { CreateEventInput } from '../http/schemas.ts';
import { refuse, requireMember } from './organiser-access.ts';
import { timeReader } from './resolve-times.ts';

/**
 * An organiser creates an event as a draft, at a venue of theirs (or a new one),
 * optionally with its ticket types. Nothing goes on the bus until it is published.
 */
export async function createEvent(db: DbExecutor, identity: Identity, input: CreateEventInput): Promise<string> {
  requireMember(identity, input.organizationId);
  return db.transaction(async (tx) => {
    const venue = input.venueId ? await ownVenue(tx, input.organizationId, input.venueId) : (await tx.insert(venues).values({ ...input.venue!, organizationId: input.organizationId }).returning())[0]!;
    const times = timeReader(venue.timeZone);
    const startsAt = times.read(input.startsAt, 'body.startsAt');
    const endsAt = times.read(input.endsAt, 'body.endsAt');
    const types = input.ticketTypes.map((t, i) => ({
      ...t,
      sortOrder: t.sortOrder ?? i,
      salesStartAt: times.readNullable(t.salesStartAt, `body.ticketTypes[${i}].salesStartAt`),
      salesEndAt: times.readNullable(t.salesEndAt, `body.ticketTypes[${i}].salesEndAt`),
    }));
    refuse(times.violations);
    refuse([...scheduleViolations({ startsAt, endsAt }), ...types.flatMap((t, i) => ticketTypeViolations(t, { endsAt }, `body.ticketTypes[${i}]`))]);

    const id = randomUUID();
    const prices = priceRange(types);
    await tx.insert(events).values({
      id,
      organizationId: input.organizationId,
      venueId: venue.id,
      slug: eventSlug(input.title, id),
      title: input.title,
      description: input.description,
      category: input.category,
      tags: [...new Set(input.tags)],
      city: venue.city,
      country: venue.country,
      venueName: venue.name,
      timeZone: venue.timeZone,
      startsAt,
      endsAt,
      currency: input.currency,
      refundableUntilHours: input.refundPolicy.refundable ? input.refundPolicy.untilHoursBeforeStart : null,
      minPriceMinor: prices.min,
      maxPriceMinor: prices.max,
    });
    if (types.length > 0) await tx.insert(ticketTypes).values(types.map((t) => ({ ...t, eventId: id })));
    return id;
  });
}

async function ownVenue(tx: DbExecutor, organizationId: string, venueId: string) {
  const [venue] = await tx.select().from(venues).where(and(eq(venues.id, venueId), eq(venues.organizationId, organizationId)));
  if (!venue) throw HttpProblem.validation([{ name: 'body.venueId', reason: 'Not one of your organisation\'s venues.' }]);
  return venue;
}
