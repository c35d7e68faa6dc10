CREATE TABLE "media"."images" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"event_id" uuid,
	"uploaded_by" text NOT NULL,
	"alt" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'processing' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"source_format" text NOT NULL,
	"source_bytes" integer NOT NULL,
	"width" integer,
	"height" integer,
	"placeholder" text,
	"dominant_color" text,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "images_status_check" CHECK ("media"."images"."status" in ('processing', 'ready', 'failed', 'deleted'))
);
--> statement-breakpoint
CREATE TABLE "media"."variants" (
	"image_id" uuid NOT NULL,
	"name" text NOT NULL,
	"format" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" integer NOT NULL,
	"etag" text NOT NULL,
	CONSTRAINT "variants_image_id_name_pk" PRIMARY KEY("image_id","name")
);
--> statement-breakpoint
ALTER TABLE "media"."variants" ADD CONSTRAINT "variants_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "media"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "images_event_idx" ON "media"."images" USING btree ("event_id") WHERE "media"."images"."event_id" is not null;--> statement-breakpoint
CREATE INDEX "images_sweep_idx" ON "media"."images" USING btree ("status","created_at") WHERE "media"."images"."status" in ('processing', 'deleted');