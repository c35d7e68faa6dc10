-- Tags joined into one string, for the generated search column. array_to_string
-- is only STABLE (element types may format by setting); for text[] it is immutable.
CREATE FUNCTION "catalog"."immutable_text_array"(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN array_to_string($1, ' ');
--> statement-breakpoint
CREATE TABLE "catalog"."availability" (
	"ticket_type_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"capacity" integer NOT NULL,
	"held" integer NOT NULL,
	"sold" integer NOT NULL,
	"available" integer NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"venue_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"city" text NOT NULL,
	"country" text NOT NULL,
	"time_zone" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"currency" text NOT NULL,
	"refundable_until_hours" integer,
	"status" text DEFAULT 'draft' NOT NULL,
	"first_published_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"cover_image" jsonb,
	"min_price_minor" integer,
	"max_price_minor" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('simple'::regconfig, catalog.immutable_text_array(tags) || ' ' || city), 'B') || setweight(to_tsvector('english'::regconfig, left(description, 20000)), 'C')) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_ends_after_start" CHECK ("catalog"."events"."ends_at" > "catalog"."events"."starts_at"),
	CONSTRAINT "events_currency_format" CHECK ("catalog"."events"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "events_refund_hours" CHECK ("catalog"."events"."refundable_until_hours" is null or "catalog"."events"."refundable_until_hours" >= 0)
);
--> statement-breakpoint
CREATE TABLE "catalog"."ticket_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"price_minor" integer NOT NULL,
	"capacity" integer NOT NULL,
	"sales_start_at" timestamp with time zone,
	"sales_end_at" timestamp with time zone,
	"min_per_order" integer DEFAULT 1 NOT NULL,
	"max_per_order" integer DEFAULT 10 NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_types_price" CHECK ("catalog"."ticket_types"."price_minor" >= 0),
	CONSTRAINT "ticket_types_capacity" CHECK ("catalog"."ticket_types"."capacity" > 0),
	CONSTRAINT "ticket_types_per_order" CHECK ("catalog"."ticket_types"."min_per_order" >= 1 and "catalog"."ticket_types"."max_per_order" >= "catalog"."ticket_types"."min_per_order"),
	CONSTRAINT "ticket_types_sales_window" CHECK ("catalog"."ticket_types"."sales_start_at" is null or "catalog"."ticket_types"."sales_end_at" is null or "catalog"."ticket_types"."sales_end_at" > "catalog"."ticket_types"."sales_start_at")
);
--> statement-breakpoint
CREATE TABLE "catalog"."venues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"city" text NOT NULL,
	"country" text NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"time_zone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog"."events" ADD CONSTRAINT "events_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "catalog"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."ticket_types" ADD CONSTRAINT "ticket_types_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "catalog"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "availability_event_idx" ON "catalog"."availability" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_slug_idx" ON "catalog"."events" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "events_listing_soonest_idx" ON "catalog"."events" USING btree ("starts_at","id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "events_listing_newest_idx" ON "catalog"."events" USING btree ("published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "events_listing_city_idx" ON "catalog"."events" USING btree ("city","starts_at","id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "events_listing_category_idx" ON "catalog"."events" USING btree ("category","starts_at","id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "events_listing_organization_idx" ON "catalog"."events" USING btree ("organization_id","starts_at","id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "events_listing_free_idx" ON "catalog"."events" USING btree ("starts_at","id") WHERE status = 'published' and min_price_minor = 0;--> statement-breakpoint
CREATE INDEX "events_search_idx" ON "catalog"."events" USING gin ("search") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "events_title_trgm_idx" ON "catalog"."events" USING gin (title gin_trgm_ops) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "events_organization_idx" ON "catalog"."events" USING btree ("organization_id","starts_at");--> statement-breakpoint
CREATE INDEX "events_published_ends_idx" ON "catalog"."events" USING btree ("ends_at") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "ticket_types_event_idx" ON "catalog"."ticket_types" USING btree ("event_id","sort_order");--> statement-breakpoint
CREATE INDEX "venues_organization_idx" ON "catalog"."venues" USING btree ("organization_id");