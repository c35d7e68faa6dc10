ALTER TABLE "catalog"."events" ADD COLUMN "tickets_sold" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill from availability before the index exists (events with nothing sold keep 0, unwritten).
UPDATE "catalog"."events" e SET "tickets_sold" = s.sold FROM (SELECT event_id, sum(sold)::int AS sold FROM "catalog"."availability" GROUP BY event_id) s WHERE s.event_id = e.id AND e.tickets_sold <> s.sold;--> statement-breakpoint
CREATE INDEX "events_listing_popular_idx" ON "catalog"."events" USING btree ("tickets_sold" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status = 'published';
