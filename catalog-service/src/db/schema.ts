import { pgSchema } from 'drizzle-orm/pg-core';
import { messagingTables } from '@twenny/messaging/tables';

/** Everything catalog-service stores lives in this schema, owned by its own role. */
export const catalogSchema = pgSchema('catalog');

export const { outbox, inbox, subjectVersions } = messagingTables(catalogSchema);
