import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/**
 * A buyer let their hold go before it ran out: its tickets are back on sale.
 * Subject: the reservation id. The new numbers follow in order.inventory.changed.v1.
 */
export const reservationReleasedV1 = defineMessage({
  type: 'order.reservation.released.v1',
  data: z.object({
    reservationId: z.uuid(),
    eventId: z.uuid(),
    releasedAt: z.iso.datetime({ offset: true }),
    items: z.array(z.object({ ticketTypeId: z.uuid(), quantity: z.number().int().positive().max(1000) })).min(1).max(100),
  }),
  fixture: {
    reservationId: '7a1d9a3e-1c2b-4f4e-9a55-0d3c6b2f8e10',
    eventId: '5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22',
    releasedAt: '2027-03-01T10:04:12.000Z',
    items: [{ ticketTypeId: '0b6f1f3e-3f57-4a35-9d3e-4c1b8f1f6a11', quantity: 2 }],
  },
  personalData: [],
});
