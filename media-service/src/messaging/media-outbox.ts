import { createOutbox } from '@twenny/messaging';
import { outbox } from '../db/schema.ts';

/** media-service's outbox: messages written in the transaction of the change they describe (the worker writes them too; the service's relay publishes them). */
export const mediaOutbox = createOutbox({ table: outbox, source: 'media-service' });
