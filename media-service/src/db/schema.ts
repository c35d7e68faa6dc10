import { sql } from 'drizzle-orm';
import { check, index, integer, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { messagingTables } from '@twenny/messaging/tables';

/** Everything media-service stores lives in this schema, owned by its own role. */
export const mediaSchema = pgSchema('media');

export const { outbox, inbox, subjectVersions } = messagingTables(mediaSchema);

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const imageStatuses = ['processing', 'ready', 'failed', 'deleted'] as const;
export type ImageStatus = (typeof imageStatuses)[number];

/**
 * One uploaded image. Its original is in storage from the moment the row exists;
 * the worker adds variants and moves it to `ready` (or `failed`). `deleted` rows
 * are no longer served; the worker's sweep removes their files, then the row.
 * `version` rises by one per change (the version its messages carry).
 */
export const images = mediaSchema.table(
  'images',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id').notNull(),
    /** The event it was uploaded for (as its cover), if any: catalog attaches it only to an event of the same organisation. */
    eventId: uuid('event_id'),
    uploadedBy: text('uploaded_by').notNull(),
    alt: text('alt').notNull().default(''),
    status: text('status', { enum: imageStatuses }).notNull().default('processing'),
    version: integer('version').notNull().default(1),
    /** What the upload's bytes are (jpeg, png, gif, webp, avif), and how many. */
    sourceFormat: text('source_format').notNull(),
    sourceBytes: integer('source_bytes').notNull(),
    /** Size as displayed (after orientation), set when processed. */
    width: integer('width'),
    height: integer('height'),
    placeholder: text('placeholder'),
    dominantColor: text('dominant_color'),
    failureReason: text('failure_reason'),
    createdAt: at('created_at').notNull().defaultNow(),
    processedAt: at('processed_at'),
    deletedAt: at('deleted_at'),
  },
  (table) => [
    check('images_status_check', sql`${table.status} in ('processing', 'ready', 'failed', 'deleted')`),
    index('images_event_idx').on(table.eventId).where(sql`${table.eventId} is not null`),
    // The worker's sweeps: deleted images to purge, processing ones whose job may be lost.
    index('images_sweep_idx').on(table.status, table.createdAt).where(sql`${table.status} in ('processing', 'deleted')`),
  ],
);

/** The processed variants of an image: immutable files, served with long-lived caching. */
export const variants = mediaSchema.table(
  'variants',
  {
    imageId: uuid('image_id')
      .notNull()
      .references(() => images.id, { onDelete: 'cascade' }),
    /** `<width>.<format>`, e.g. `800.webp`: the last segment of its URL. */
    name: text('name').notNull(),
    format: text('format', { enum: ['webp', 'avif'] }).notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    /** Strong ETag: a digest of the bytes. */
    etag: text('etag').notNull(),
  },
  (table) => [primaryKey({ columns: [table.imageId, table.name] })],
);
