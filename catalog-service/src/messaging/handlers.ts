import { imageProcessedV1, inventoryChangedV1 } from '@twenny/contracts';
import { handlerFor, type MessageHandler } from '@twenny/messaging';
import { attachCoverImage } from '../use-cases/attach-cover-image.ts';
import { recordAvailability } from '../use-cases/record-availability.ts';

/** One handler per subscribed message type (checked against the subscription table at start-up). */
export const catalogHandlers: MessageHandler[] = [
  handlerFor(inventoryChangedV1, (message, tx) => recordAvailability(tx, message)),
  handlerFor(imageProcessedV1, (message, tx, { logger }) => attachCoverImage(tx, message, logger)),
];
