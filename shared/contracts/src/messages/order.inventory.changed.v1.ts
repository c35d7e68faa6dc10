import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/**
 * State transfer: order-service's current numbers for one ticket type, sent
 * whenever they change (bursts may be coalesced; the latest state always goes out).
 * Subject: the ticket type id. Catalog keeps an availability projection from it.
 */
// Ticket counts: stored as Postgres integers.
const count = z.number().int().nonnegative().max(2_000_000_000);

export const inventoryChangedV1 = defineMessage({
  type: 'order.inventory.changed.v1',
  data: z.object({
    ticketTypeId: z.uuid(),
    eventId: z.uuid(),
    capacity: count,
    held: count,
    sold: count,
    available: count,
  }),
  fixture: {
    ticketTypeId: '0b6f1f3e-3f57-4a35-9d3e-4c1b8f1f6a11',
    eventId: '5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22',
    capacity: 500,
    held: 12,
    sold: 388,
    available: 100,
  },
  personalData: [],
});
