import { z } from 'zod';

// Request shapes: validated here, and the source of the OpenAPI document.

export const reservationInput = z.strictObject({
  eventId: z.uuid('An event id (a UUID).'),
  items: z
    .array(z.strictObject({ ticketTypeId: z.uuid('A ticket type id (a UUID).'), quantity: z.number().int().min(1, 'At least 1.').max(100, 'At most 100.') }))
    .min(1, 'Ask for at least one ticket type.')
    .max(20, 'At most 20 ticket types per reservation.')
    .refine((items) => new Set(items.map((i) => i.ticketTypeId)).size === items.length, 'List each ticket type once, with its quantity.'),
});

export const reservationParams = z.strictObject({ id: z.uuid('A reservation id (a UUID).') });

const noNul = (value: string) => !value.includes('\u0000');
const personName = z.string().trim().min(1, 'Give the attendee\'s name.').max(200).refine(noNul, 'Must not contain a NUL character.');

export const checkoutInput = z.strictObject({
  attendees: z
    .array(z.strictObject({ ticketTypeId: z.uuid('A ticket type id (a UUID).'), name: personName, email: z.email('An email address.').max(320) }))
    .min(1, 'Name one attendee per ticket.')
    .max(1000),
  returnUrl: z
    .string()
    .max(2000)
    .refine(noNul, 'Must not contain a NUL character.')
    .refine((value) => URL.canParse(value, 'http://site.invalid') && /^(\/(?!\/)|https?:\/\/)/.test(value), 'A path on the site ("/orders") or an http(s) URL of the site.')
    .optional(),
  payment: z.strictObject({ method: z.literal('card'), cardNumber: z.string().max(40) }).optional(),
});

export const orderParams = z.strictObject({ id: z.uuid('An order id (a UUID).') });
export const ticketParams = z.strictObject({ id: z.uuid('A ticket id (a UUID).') });

/** Keyset pages: `before` is the cursor the previous page gave. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.string().max(200).optional(),
});

export const checkInInput = z.strictObject({
  code: z.string().trim().min(1, 'Scan or type the ticket code.').max(300, 'Not a ticket code: too long.').refine(noNul, 'Must not contain a NUL character.'),
  /** The event the door is for: a ticket of another event is refused. */
  eventId: z.uuid('An event id (a UUID).').optional(),
});
