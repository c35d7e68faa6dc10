import { createOutbox } from '@twenny/messaging';
import { outbox } from '../db/schema.ts';

/** order-service's outbox: messages written in the transaction of the change they describe. */
export const orderOutbox = createOutbox({ table: outbox, source: 'order-service' });
