import { pgSchema } from 'drizzle-orm/pg-core';
import { messagingTables } from '@twenny/messaging/tables';

/** Everything auth-service stores lives in this schema, owned by its own role. */
export const authSchema = pgSchema('auth');

export const { outbox, inbox, subjectVersions } = messagingTables(authSchema);
