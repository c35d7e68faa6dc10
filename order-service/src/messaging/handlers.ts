import { eventCancelledV1, eventDeletedV1, eventPublishedV1, eventUnpublishedV1, eventUpdatedV1 } from '@twenny/contracts';
import { handlerFor, type MessageHandler } from '@twenny/messaging';
import { applyCatalogEvent } from '../use-cases/apply-catalog-event.ts';
import { refundCancelledEvent } from '../use-cases/refund-order.ts';

/** One handler per subscribed message type (checked against the subscription table at start-up). */
export const orderHandlers: MessageHandler[] = [
  handlerFor(eventPublishedV1, async (message, tx) => void (await applyCatalogEvent(tx, message))),
  handlerFor(eventUpdatedV1, async (message, tx) => void (await applyCatalogEvent(tx, message))),
  handlerFor(eventUnpublishedV1, async (message, tx) => void (await applyCatalogEvent(tx, message))),
  handlerFor(eventCancelledV1, async (message, tx, { logger }) => {
    await applyCatalogEvent(tx, message, {
      beforeInventory: async () => {
        const refunding = await refundCancelledEvent(tx, message.data.eventId);
        if (refunding > 0) logger.info({ eventId: message.data.eventId, orders: refunding }, 'event cancelled: refunding its paid orders');
      },
    });
  }),
  handlerFor(eventDeletedV1, async (message, tx) => void (await applyCatalogEvent(tx, message, { status: 'deleted' }))),
];
