import { createOutbox } from '@twenny/messaging';
import { outbox } from '../db/schema.ts';

/** catalog-service's outbox: messages written in the transaction of the change they describe. */
export const catalogOutbox = createOutbox({ table: outbox, source: 'catalog-service' });
