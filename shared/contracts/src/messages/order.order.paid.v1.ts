import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/**
 * An order was paid and its tickets issued. Subject: the order id. Carries ids
 * and amounts, not the buyer's or attendees' names or addresses.
 */
export const orderPaidV1 = defineMessage({
  type: 'order.order.paid.v1',
  data: z.object({
    orderId: z.uuid(),
    eventId: z.uuid(),
    organizationId: z.uuid(),
    userId: z.string().min(1).max(128),
    totalMinor: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    paidAt: z.iso.datetime({ offset: true }),
    items: z.array(z.object({ ticketTypeId: z.uuid(), quantity: z.number().int().positive().max(1000) })).min(1).max(100),
    ticketIds: z.array(z.uuid()).min(1).max(1000),
  }),
  fixture: {
    orderId: '9c4e2d1a-6b7f-4e8a-9d0c-1f2e3a4b5c6d',
    eventId: '5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22',
    organizationId: '3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c',
    userId: 'user_4Jd8s0aQ',
    totalMinor: 7000,
    currency: 'EUR',
    paidAt: '2027-03-01T10:04:12.000Z',
    items: [{ ticketTypeId: '0b6f1f3e-3f57-4a35-9d3e-4c1b8f1f6a11', quantity: 2 }],
    ticketIds: ['1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b', '2f3e4d5c-6b7a-4899-8a1b-2c3d4e5f6a7b'],
  },
  personalData: ['userId: the buyer, so that their own views and a support desk can find the order'],
});
