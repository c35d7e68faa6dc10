import { pgSchema } from 'drizzle-orm/pg-core';
import { messagingTables } from '@twenny/messaging/tables';

/** Everything order-service stores lives in this schema, owned by its own role. */
export const ordersSchema = pgSchema('orders');

export const { outbox, inbox, subjectVersions } = messagingTables(ordersSchema);
