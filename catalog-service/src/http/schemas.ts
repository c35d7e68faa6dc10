import { z } from 'zod';
import { categorySlugs } from '../domain/categories.ts';
import { isCurrency } from '../domain/currency.ts';
import { isDateTimeInput, isTimeZone } from '@twenny/time';

// Request and response shapes: validated here, and the source of the OpenAPI document.

const dateTime = z
  .string()
  .max(40)
  .refine(isDateTimeInput, 'Use the venue\'s wall-clock time "2027-03-12T20:00", or an instant with an offset "2027-03-12T19:00:00Z", between the years 2000 and 2100.');

// Postgres text cannot hold a NUL character: refused here, not by the database (a 500).
const noNul = (value: string) => !value.includes('\u0000');
const nulMessage = 'Must not contain a NUL character.';
const text = (max: number) => z.string().trim().max(max).refine(noNul, nulMessage);
const name = (max: number) => z.string().trim().min(1, 'Must not be empty.').max(max).refine(noNul, nulMessage);

export const venueInput = z.strictObject({
  name: name(200),
  address: name(500),
  city: name(100),
  country: z.string().regex(/^[A-Z]{2}$/, 'An ISO 3166-1 alpha-2 country code, e.g. "NL".'),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  timeZone: z.string().refine(isTimeZone, 'An IANA time zone, e.g. "Europe/Amsterdam".'),
});

const refundPolicy = z.discriminatedUnion('refundable', [
  z.strictObject({ refundable: z.literal(false) }),
  z.strictObject({ refundable: z.literal(true), untilHoursBeforeStart: z.number().int().min(0).max(8760) }),
]);

export const ticketTypeInput = z.strictObject({
  name: name(200),
  description: text(2000).default(''),
  priceMinor: z.number().int().min(0).max(100_000_000),
  capacity: z.number().int().min(1, 'Capacity must be at least 1.').max(1_000_000),
  salesStartAt: dateTime.nullable().default(null),
  salesEndAt: dateTime.nullable().default(null),
  minPerOrder: z.number().int().min(1).max(100).default(1),
  maxPerOrder: z.number().int().min(1).max(100).default(10),
  /** Where it is listed; by default after the ones before it. */
  sortOrder: z.number().int().min(0).max(10_000).optional(),
  hidden: z.boolean().default(false),
});
export type TicketTypeInput = z.output<typeof ticketTypeInput>;

export const ticketTypePatch = z.strictObject({
  name: name(200).optional(),
  description: text(2000).optional(),
  priceMinor: z.number().int().min(0).max(100_000_000).optional(),
  capacity: z.number().int().min(1, 'Capacity must be at least 1.').max(1_000_000).optional(),
  salesStartAt: dateTime.nullable().optional(),
  salesEndAt: dateTime.nullable().optional(),
  minPerOrder: z.number().int().min(1).max(100).optional(),
  maxPerOrder: z.number().int().min(1).max(100).optional(),
  sortOrder: z.number().int().min(0).max(10_000).optional(),
  hidden: z.boolean().optional(),
});
export type TicketTypePatch = z.output<typeof ticketTypePatch>;

const tags = z.array(z.string().trim().toLowerCase().min(1).max(40).refine(noNul, nulMessage)).max(20);
const currency = z.string().refine(isCurrency, 'An ISO 4217 currency code, e.g. "EUR".');

export const createEventInput = z
  .strictObject({
    organizationId: z.uuid(),
    title: name(200),
    description: text(20_000).default(''),
    category: z.enum(categorySlugs),
    tags: tags.default([]),
    venueId: z.uuid().optional(),
    venue: venueInput.optional(),
    startsAt: dateTime,
    endsAt: dateTime,
    currency,
    refundPolicy: refundPolicy.default({ refundable: false }),
    ticketTypes: z.array(ticketTypeInput).max(100).default([]),
  })
  .refine((input) => (input.venueId === undefined) !== (input.venue === undefined), { message: 'Give either venueId (one of your venues) or venue (a new one), not both.', path: ['venue'] });
export type CreateEventInput = z.output<typeof createEventInput>;

export const eventPatch = z.strictObject({
  title: name(200).optional(),
  description: text(20_000).optional(),
  category: z.enum(categorySlugs).optional(),
  tags: tags.optional(),
  startsAt: dateTime.optional(),
  endsAt: dateTime.optional(),
  currency: currency.optional(),
  refundPolicy: refundPolicy.optional(),
});
export type EventPatch = z.output<typeof eventPatch>;

export const eventIdParams = z.strictObject({ id: z.uuid('Not an event id.') });
export const ticketTypeParams = z.strictObject({ id: z.uuid('Not an event id.'), ticketTypeId: z.uuid('Not a ticket type id.') });
export const eventKeyParams = z.strictObject({ key: z.string().min(1).max(200).regex(/^[a-z0-9-]+$/, 'An event id or slug.') });
export const organizationParams = z.strictObject({ organizationId: z.uuid('Not an organisation id.') });

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
/** A query parameter holding a plain decimal whole number ("16", not "0x10", "1e2" or ""). */
const wholeNumber = (message: string) => z.string().regex(/^\d{1,12}$/, message).transform(Number);
const minor = wholeNumber('A whole number of minor units (cents).').pipe(z.number().max(100_000_000, 'At most 100000000.'));
const day = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'A date "2027-03-12" or an instant "2027-03-12T19:00:00Z".' })
  .refine((value) => Number(value.slice(0, 4)) >= 2000 && Number(value.slice(0, 4)) <= 2100, 'A date between the years 2000 and 2100.');

export const searchQuery = z
  .strictObject({
    q: z.string().trim().max(200, 'Search text may be at most 200 characters.').refine(noNul, nulMessage).optional(),
    city: z.string().trim().min(1).max(100).refine(noNul, nulMessage).optional(),
    category: z.enum(categorySlugs, { error: `One of: ${categorySlugs.join(', ')}.` }).optional(),
    from: day.optional(),
    to: day.optional(),
    minPrice: minor.optional(),
    maxPrice: minor.optional(),
    free: flag.optional(),
    organization: z.uuid('Not an organisation id.').optional(),
    sort: z.enum(['soonest', 'relevance', 'newest', 'popular'], { error: 'One of: soonest, relevance, newest, popular.' }).optional(),
    cursor: z.string().max(500).optional(),
    limit: wholeNumber('A whole number from 1 to 100.').pipe(z.number().min(1, 'At least 1.').max(100, 'At most 100.')).default(20),
  })
  .refine((q) => q.sort !== 'relevance' || (q.q !== undefined && q.q !== ''), { message: 'Sorting by relevance needs search text (q).', path: ['sort'] })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, { message: 'minPrice cannot be above maxPrice.', path: ['minPrice'] });
export type SearchQuery = z.output<typeof searchQuery>;

export const organiserListQuery = z.strictObject({
  status: z.enum(['draft', 'published', 'cancelled', 'ended']).optional(),
  cursor: z.string().max(500).optional(),
  limit: wholeNumber('A whole number from 1 to 100.').pipe(z.number().min(1, 'At least 1.').max(100, 'At most 100.')).default(50),
});
