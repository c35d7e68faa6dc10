-- Search by tags, city and venue name as well: all stemmed with the english config, as
-- websearch_to_tsquery('english', q) stems the query. A generated column's expression cannot
-- change in place (before Postgres 17), so search is dropped with its index and added back.
-- Dropped first, so that the backfill of venue_name neither computes it nor updates its index.
DROP INDEX "catalog"."events_search_idx";--> statement-breakpoint
ALTER TABLE "catalog"."events" DROP COLUMN "search";--> statement-breakpoint
ALTER TABLE "catalog"."events" ADD COLUMN "venue_name" text;--> statement-breakpoint
UPDATE "catalog"."events" e SET "venue_name" = v.name FROM "catalog"."venues" v WHERE v.id = e.venue_id;--> statement-breakpoint
-- One statement: the NOT NULL check runs within the rewrite that computes search.
ALTER TABLE "catalog"."events" ALTER COLUMN "venue_name" SET NOT NULL, ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, catalog.immutable_text_array(tags) || ' ' || city || ' ' || venue_name), 'B') || setweight(to_tsvector('english'::regconfig, left(description, 20000)), 'C')) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "events_search_idx" ON "catalog"."events" USING gin ("search") WHERE status = 'published';
