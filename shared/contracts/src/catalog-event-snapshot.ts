import { z } from 'zod';

const datetime = z.iso.datetime({ offset: true });

/** A ticket type as order-service needs it to sell without calling catalog back. */
export const ticketTypeSnapshot = z.object({
  ticketTypeId: z.uuid(),
  name: z.string().min(1).max(200),
  priceMinor: z.number().int().nonnegative(),
  capacity: z.number().int().positive(),
  salesStartAt: datetime.nullable(),
  salesEndAt: datetime.nullable(),
  minPerOrder: z.number().int().positive(),
  maxPerOrder: z.number().int().positive(),
  hidden: z.boolean(),
});

/**
 * The whole sellable state of an event, carried by every catalog.event.* message
 * (state transfer): a consumer keeps the latest version and needs nothing else.
 */
export const catalogEventSnapshot = z.object({
  eventId: z.uuid(),
  organizationId: z.uuid(),
  slug: z.string().min(1).max(200),
  title: z.string().min(1).max(200),
  status: z.enum(['draft', 'published', 'cancelled', 'ended']),
  startsAt: datetime,
  endsAt: datetime,
  timeZone: z.string().min(1).max(64),
  /** ISO 4217; every price of the event is in it, in minor units. */
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** Attendees may refund until this many hours before the start; null: not refundable. */
  refundableUntilHours: z.number().int().nonnegative().nullable(),
  ticketTypes: z.array(ticketTypeSnapshot).max(100),
});

export const catalogEventFixture: z.input<typeof catalogEventSnapshot> = {
  eventId: '5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22',
  organizationId: '3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c',
  slug: 'amsterdam-jazz-night-5d2c6a',
  title: 'Amsterdam Jazz Night',
  status: 'published',
  startsAt: '2027-03-12T19:00:00.000Z',
  endsAt: '2027-03-12T23:00:00.000Z',
  timeZone: 'Europe/Amsterdam',
  currency: 'EUR',
  refundableUntilHours: 48,
  ticketTypes: [
    { ticketTypeId: '0b6f1f3e-3f57-4a35-9d3e-4c1b8f1f6a11', name: 'Standing', priceMinor: 3500, capacity: 500, salesStartAt: null, salesEndAt: '2027-03-12T19:00:00.000Z', minPerOrder: 1, maxPerOrder: 10, hidden: false },
  ],
};
