import { eventDeletedV1 } from '@twenny/contracts';
import { handlerFor, type MessageHandler } from '@twenny/messaging';
import { deleteEventImages } from '../use-cases/delete-event-images.ts';

/** One handler per subscribed message type (checked against the subscription table at start-up). */
export const mediaHandlers: MessageHandler[] = [handlerFor(eventDeletedV1, (message, tx, { logger }) => deleteEventImages(tx, message, logger))];
