import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/**
 * A paid order was refunded in full: its tickets are void and their stock is
 * back on sale (unless the event was cancelled). Subject: the order id.
 */
export const orderRefundedV1 = defineMessage({
  type: 'order.order.refunded.v1',
  data: z.object({
    orderId: z.uuid(),
    eventId: z.uuid(),
    organizationId: z.uuid(),
    amountMinor: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    reason: z.enum(['buyer', 'organiser', 'event-cancelled', 'paid-after-sell-out']),
    refundedAt: z.iso.datetime({ offset: true }),
  }),
  fixture: {
    orderId: '9c4e2d1a-6b7f-4e8a-9d0c-1f2e3a4b5c6d',
    eventId: '5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22',
    organizationId: '3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c',
    amountMinor: 7000,
    currency: 'EUR',
    reason: 'buyer',
    refundedAt: '2027-03-02T08:00:00.000Z',
  },
  personalData: [],
});
