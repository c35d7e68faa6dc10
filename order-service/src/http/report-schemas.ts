import { z } from 'zod';

// Request shapes of the organiser views: validated here, and the source of the OpenAPI document.

export const eventParams = z.strictObject({ eventId: z.uuid('An event id (a UUID).') });

/** Most buckets one timeline answer holds: 2,000 hours is about 83 days; 2,000 days about 5½ years. */
export const maxTimelineBuckets = 2000;

const instant = z.iso
  .datetime({ offset: true, message: 'An ISO 8601 date and time with a time zone, e.g. 2027-03-01T00:00:00Z.' })
  .transform((value) => new Date(value))
  .refine((date) => !Number.isNaN(date.getTime()), 'Not a date and time that exists.')
  .refine((date) => date.getUTCFullYear() >= 1970 && date.getUTCFullYear() <= 9999, 'Between the years 1970 and 9999.');

export const timelineQuery = z
  .strictObject({
    interval: z.enum(['hour', 'day'], 'Either `hour` or `day`.').default('day'),
    from: instant.optional(),
    to: instant.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from.getTime() <= q.to.getTime(), { message: '`from` must not be after `to`.', path: ['from'] });

export const attendeeStatuses = ['valid', 'void', 'checked-in', 'not-checked-in'] as const;
export type AttendeeStatusFilter = (typeof attendeeStatuses)[number];

const noNul = (value: string) => !value.includes('\u0000');

/** What the attendee list and its CSV filter on. */
const attendeeFilter = {
  q: z.string().trim().max(200, 'Search for at most 200 characters.').refine(noNul, 'Must not contain a NUL character.').optional(),
  status: z.enum(attendeeStatuses, `One of ${attendeeStatuses.join(', ')}.`).optional(),
};

/** Keyset pages: `before` is the cursor the previous page gave. */
export const attendeesQuery = z.strictObject({
  ...attendeeFilter,
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.string().max(200).optional(),
});

/** The CSV holds every matching attendee: no pages. */
export const attendeesCsvQuery = z.strictObject(attendeeFilter);
