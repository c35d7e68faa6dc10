import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The messaging tables every service has in its own schema. Each service's
 * db/schema.ts calls these, so drizzle-kit puts them in that service's migrations.
 */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    'outbox',
    {
      seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
      messageId: uuid('message_id').notNull().unique(),
      type: text('type').notNull(),
      /** The whole envelope as it goes on the wire. */
      envelope: jsonb('envelope').notNull(),
      /** traceparent/tracestate captured in the writing transaction, correlation id. */
      headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      /** Not before: pushed back with backoff after a failed attempt. */
      availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
      /** A relay's lease on the row while it publishes; expired leases are taken over. */
      claimedUntil: timestamp('claimed_until', { withTimezone: true }),
      attempts: integer('attempts').notNull().default(0),
      lastError: text('last_error'),
      publishedAt: timestamp('published_at', { withTimezone: true }),
    },
    (table) => [
      index('outbox_pending_idx').on(table.availableAt, table.seq).where(sql`${table.publishedAt} is null`),
      index('outbox_published_idx').on(table.publishedAt).where(sql`${table.publishedAt} is not null`),
    ],
  );
}

export function inboxTable(schema: PgSchema) {
  return schema.table(
    'inbox',
    {
      consumer: text('consumer').notNull(),
      messageId: uuid('message_id').notNull(),
      type: text('type').notNull(),
      receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [primaryKey({ columns: [table.consumer, table.messageId] }), index('inbox_received_idx').on(table.receivedAt)],
  );
}

/** Latest version applied per (projection, subject): lets a projection drop stale messages. */
export function subjectVersionsTable(schema: PgSchema) {
  return schema.table(
    'subject_versions',
    {
      projection: text('projection').notNull(),
      subject: text('subject').notNull(),
      version: integer('version').notNull(),
      updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [primaryKey({ columns: [table.projection, table.subject] })],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable>;
export type InboxTable = ReturnType<typeof inboxTable>;
export type SubjectVersionsTable = ReturnType<typeof subjectVersionsTable>;

export interface MessagingTables {
  outbox: OutboxTable;
  inbox: InboxTable;
  subjectVersions: SubjectVersionsTable;
}

export function messagingTables(schema: PgSchema): MessagingTables {
  return { outbox: outboxTable(schema), inbox: inboxTable(schema), subjectVersions: subjectVersionsTable(schema) };
}
