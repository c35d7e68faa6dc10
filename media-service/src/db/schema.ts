import { pgSchema } from 'drizzle-orm/pg-core';
import { messagingTables } from '@twenny/messaging/tables';

/** Everything media-service stores lives in this schema, owned by its own role. */
export const mediaSchema = pgSchema('media');

export const { outbox, inbox, subjectVersions } = messagingTables(mediaSchema);
