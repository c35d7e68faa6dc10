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
