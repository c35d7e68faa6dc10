import { sql } from 'drizzle-orm';
import { boolean, check, customType, doublePrecision, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { messagingTables } from '@twenny/messaging/tables';
import type { CoverImage } from '../domain/cover-image.ts';

/** Everything catalog-service stores lives in this schema, owned by its own role. */
export const catalogSchema = pgSchema('catalog');

export const { outbox, inbox, subjectVersions } = messagingTables(catalogSchema);

const id = () => uuid('id').default(sql`gen_random_uuid()`).primaryKey();
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Where events happen. Owned by the organisation that created it. */
export const venues = catalogSchema.table(
  'venues',
  {
    id: id(),
    organizationId: uuid('organization_id').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    city: text('city').notNull(),
    /** ISO 3166-1 alpha-2. */
    country: text('country').notNull(),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    /** IANA time zone: event times are entered and shown in it. */
    timeZone: text('time_zone').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [index('venues_organization_idx').on(table.organizationId)],
);

/**
 * Events. City, country, time zone and name are copied from the venue (an
 * event never changes venue, and venues are never edited: nothing updates
 * them), and the lowest and highest visible price from the ticket types, so
 * that every listing filter is a column of this table with an index.
 * `search` is generated, all of it with the `english` config so that it stems
 * as the query does (websearch_to_tsquery('english', q)): title (weight A);
 * tags, city and venue name (B); description (C).
 */
export const events = catalogSchema.table(
  'events',
  {
    id: id(),
    organizationId: uuid('organization_id').notNull(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    category: text('category').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    city: text('city').notNull(),
    country: text('country').notNull(),
    /** The venue's name, for `search` (a generated column reads only its own row). */
    venueName: text('venue_name').notNull(),
    timeZone: text('time_zone').notNull(),
    startsAt: at('starts_at').notNull(),
    endsAt: at('ends_at').notNull(),
    currency: text('currency').notNull(),
    /** Hours before the start until which attendees may refund; null: not refundable. */
    refundableUntilHours: integer('refundable_until_hours'),
    status: text('status', { enum: ['draft', 'published', 'cancelled', 'ended'] }).notNull().default('draft'),
    /** Set at the first publish: after that every change goes out on the bus. */
    firstPublishedAt: at('first_published_at'),
    publishedAt: at('published_at'),
    coverImage: jsonb('cover_image').$type<CoverImage>(),
    minPriceMinor: integer('min_price_minor'),
    maxPriceMinor: integer('max_price_minor'),
    /** The aggregate's version: +1 per change of the event or its ticket types. */
    version: integer('version').notNull().default(1),
    /**
     * Tickets sold over all its ticket types: the sum of `sold` of its rows in
     * `availability`, kept with them (record-availability), for the popular listing.
     * Not part of the aggregate (no version change). No sales figures are public: listings
     * say only whether it is above 0.
     */
    ticketsSold: integer('tickets_sold').notNull().default(0),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, catalog.immutable_text_array(tags) || ' ' || city || ' ' || venue_name), 'B') || setweight(to_tsvector('english'::regconfig, left(description, 20000)), 'C')`,
      ),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('events_slug_idx').on(table.slug),
    // Listings show published events only: every listing index is partial.
    index('events_listing_soonest_idx').on(table.startsAt, table.id).where(sql`status = 'published'`),
    index('events_listing_newest_idx').on(table.publishedAt.desc(), table.id.desc()).where(sql`status = 'published'`),
    index('events_listing_popular_idx').on(table.ticketsSold.desc(), table.id.desc()).where(sql`status = 'published'`),
    index('events_listing_city_idx').on(table.city, table.startsAt, table.id).where(sql`status = 'published'`),
    index('events_listing_category_idx').on(table.category, table.startsAt, table.id).where(sql`status = 'published'`),
    index('events_listing_organization_idx').on(table.organizationId, table.startsAt, table.id).where(sql`status = 'published'`),
    index('events_listing_free_idx').on(table.startsAt, table.id).where(sql`status = 'published' and min_price_minor = 0`),
    index('events_search_idx').using('gin', table.search).where(sql`status = 'published'`),
    index('events_title_trgm_idx').using('gin', sql`title gin_trgm_ops`).where(sql`status = 'published'`),
    // The organiser's own list (every status) and the "ended" sweep.
    index('events_organization_idx').on(table.organizationId, table.startsAt),
    index('events_published_ends_idx').on(table.endsAt).where(sql`status = 'published'`),
    check('events_ends_after_start', sql`${table.endsAt} > ${table.startsAt}`),
    check('events_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
    check('events_refund_hours', sql`${table.refundableUntilHours} is null or ${table.refundableUntilHours} >= 0`),
  ],
);

export const ticketTypes = catalogSchema.table(
  'ticket_types',
  {
    id: id(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    priceMinor: integer('price_minor').notNull(),
    capacity: integer('capacity').notNull(),
    salesStartAt: at('sales_start_at'),
    salesEndAt: at('sales_end_at'),
    minPerOrder: integer('min_per_order').notNull().default(1),
    maxPerOrder: integer('max_per_order').notNull().default(10),
    sortOrder: integer('sort_order').notNull().default(0),
    hidden: boolean('hidden').notNull().default(false),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    index('ticket_types_event_idx').on(table.eventId, table.sortOrder),
    check('ticket_types_price', sql`${table.priceMinor} >= 0`),
    check('ticket_types_capacity', sql`${table.capacity} > 0`),
    check('ticket_types_per_order', sql`${table.minPerOrder} >= 1 and ${table.maxPerOrder} >= ${table.minPerOrder}`),
    check('ticket_types_sales_window', sql`${table.salesStartAt} is null or ${table.salesEndAt} is null or ${table.salesEndAt} > ${table.salesStartAt}`),
  ],
);

/**
 * What order-service last said about each ticket type's numbers
 * (order.inventory.changed.v1), with that message's version: an older one never
 * overwrites a newer.
 */
export const availability = catalogSchema.table('availability', {
  ticketTypeId: uuid('ticket_type_id').primaryKey(),
  eventId: uuid('event_id').notNull(),
  capacity: integer('capacity').notNull(),
  held: integer('held').notNull(),
  sold: integer('sold').notNull(),
  available: integer('available').notNull(),
  version: integer('version').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (table) => [index('availability_event_idx').on(table.eventId)]);
