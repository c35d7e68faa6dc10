import { HttpProblem } from '@twenny/http-kit';
import { organizationRole, type Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { toLocal } from '@twenny/time';
import { eventWithVenue, ticketTypesWithNumbers } from '../db/event-reads.ts';
import type { EventRow, VenueRow } from '../db/event-store.ts';

/**
 * An event page: the event, its venue and its ticket types with availability.
 * Anyone sees published, cancelled and ended events; drafts and hidden ticket
 * types only the owning organisation's members (with sold and held counts).
 */
export async function getEvent(db: DbExecutor, key: string, identity: Identity | undefined) {
  const found = await eventWithVenue(db, key);
  const organiser = found && identity !== undefined && organizationRole(identity, found.event.organizationId) !== undefined;
  if (!found || (found.event.status === 'draft' && !organiser)) throw HttpProblem.notFound(`There is no event ${key}.`);
  const types = await ticketTypesWithNumbers(db, found.event.id);
  return {
    ...eventView(found.event, found.venue),
    ticketTypes: types
      .filter(({ ticketType }) => organiser || !ticketType.hidden)
      .map(({ ticketType: t, sold, held, available }) => ({
        id: t.id,
        name: t.name,
        description: t.description,
        priceMinor: t.priceMinor,
        capacity: t.capacity,
        available,
        soldOut: available === 0,
        salesStartAt: t.salesStartAt?.toISOString() ?? null,
        salesEndAt: t.salesEndAt?.toISOString() ?? null,
        minPerOrder: t.minPerOrder,
        maxPerOrder: t.maxPerOrder,
        sortOrder: t.sortOrder,
        ...(organiser && { hidden: t.hidden, sold, held }),
      })),
  };
}

export function eventView(event: EventRow, venue?: VenueRow) {
  return {
    id: event.id,
    slug: event.slug,
    organizationId: event.organizationId,
    title: event.title,
    description: event.description,
    category: event.category,
    tags: event.tags,
    status: event.status,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    timeZone: event.timeZone,
    startsAtLocal: toLocal(event.startsAt, event.timeZone),
    endsAtLocal: toLocal(event.endsAt, event.timeZone),
    currency: event.currency,
    refundPolicy: event.refundableUntilHours === null ? { refundable: false as const } : { refundable: true as const, untilHoursBeforeStart: event.refundableUntilHours },
    priceFromMinor: event.minPriceMinor,
    priceToMinor: event.maxPriceMinor,
    coverImage: event.coverImage ?? null,
    publishedAt: event.publishedAt?.toISOString() ?? null,
    version: event.version,
    ...(venue && {
      venue: { id: venue.id, name: venue.name, address: venue.address, city: venue.city, country: venue.country, latitude: venue.latitude, longitude: venue.longitude, timeZone: venue.timeZone },
    }),
  };
}
