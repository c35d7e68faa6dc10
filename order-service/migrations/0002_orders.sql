CREATE TABLE "orders"."buyer_allowances" (
	"event_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"tickets" integer NOT NULL,
	"max_tickets" integer NOT NULL,
	CONSTRAINT "buyer_allowances_event_id_user_id_pk" PRIMARY KEY("event_id","user_id"),
	CONSTRAINT "buyer_allowance_within_limit" CHECK ("orders"."buyer_allowances"."tickets" >= 0 and "orders"."buyer_allowances"."tickets" <= "orders"."buyer_allowances"."max_tickets")
);
--> statement-breakpoint
CREATE TABLE "orders"."events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"title" text NOT NULL,
	"slug" text NOT NULL,
	"status" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"currency" text NOT NULL,
	"refundable_until_hours" integer,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders"."idempotency_keys" (
	"user_id" text NOT NULL,
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "idempotency_keys_user_id_scope_key_pk" PRIMARY KEY("user_id","scope","key")
);
--> statement-breakpoint
CREATE TABLE "orders"."inventory" (
	"ticket_type_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"price_minor" integer NOT NULL,
	"capacity" integer NOT NULL,
	"held" integer DEFAULT 0 NOT NULL,
	"sold" integer DEFAULT 0 NOT NULL,
	"sales_start_at" timestamp with time zone,
	"sales_end_at" timestamp with time zone,
	"min_per_order" integer NOT NULL,
	"max_per_order" integer NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"removed" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "inventory_within_capacity" CHECK ("orders"."inventory"."held" >= 0 and "orders"."inventory"."sold" >= 0 and "orders"."inventory"."held" + "orders"."inventory"."sold" <= "orders"."inventory"."capacity")
);
--> statement-breakpoint
CREATE TABLE "orders"."inventory_changes" (
	"ticket_type_id" uuid PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders"."mails" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"order_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "orders"."orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"reservation_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"buyer_email" text NOT NULL,
	"event_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"status" text NOT NULL,
	"total_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"attendees" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	"paid_payment_id" uuid,
	"refunded_at" timestamp with time zone,
	"status_reason" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders"."payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"provider_payment_id" text NOT NULL,
	"status" text NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"redirect_url" text,
	"failure_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "orders"."refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"payment_id" uuid,
	"amount_minor" integer NOT NULL,
	"reason" text NOT NULL,
	"requested_by" text,
	"status" text NOT NULL,
	"provider_refund_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "refunds_one_per_payment" UNIQUE NULLS NOT DISTINCT("order_id","payment_id")
);
--> statement-breakpoint
CREATE TABLE "orders"."reservation_items" (
	"reservation_id" uuid NOT NULL,
	"ticket_type_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" integer NOT NULL,
	CONSTRAINT "reservation_items_reservation_id_ticket_type_id_pk" PRIMARY KEY("reservation_id","ticket_type_id"),
	CONSTRAINT "reservation_item_quantity" CHECK ("orders"."reservation_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "orders"."reservations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"event_id" uuid NOT NULL,
	"status" text NOT NULL,
	"total_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "orders"."test_provider_payments" (
	"id" text PRIMARY KEY NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"description" text NOT NULL,
	"reference" text NOT NULL,
	"return_url" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"failure_code" text,
	"card_last4" text,
	"refunded_minor" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "orders"."tickets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"ticket_type_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"code" text NOT NULL,
	"attendee_name" text NOT NULL,
	"attendee_email" text NOT NULL,
	"status" text DEFAULT 'valid' NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_in_at" timestamp with time zone,
	"checked_in_by" text,
	"checked_in_by_email" text
);
--> statement-breakpoint
ALTER TABLE "orders"."inventory" ADD CONSTRAINT "inventory_event_id_events_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "orders"."events"("event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders"."mails" ADD CONSTRAINT "mails_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders"."orders" ADD CONSTRAINT "orders_reservation_id_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "orders"."reservations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders"."payments" ADD CONSTRAINT "payments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders"."refunds" ADD CONSTRAINT "refunds_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders"."refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "orders"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders"."reservation_items" ADD CONSTRAINT "reservation_items_reservation_id_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "orders"."reservations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders"."tickets" ADD CONSTRAINT "tickets_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "orders"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "inventory_event_idx" ON "orders"."inventory" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "mails_pending_idx" ON "orders"."mails" USING btree ("created_at") WHERE "orders"."mails"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "orders_reservation_idx" ON "orders"."orders" USING btree ("reservation_id");--> statement-breakpoint
CREATE INDEX "orders_user_idx" ON "orders"."orders" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_event_paid_idx" ON "orders"."orders" USING btree ("event_id","paid_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_provider_idx" ON "orders"."payments" USING btree ("provider","provider_payment_id");--> statement-breakpoint
CREATE INDEX "payments_order_idx" ON "orders"."payments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "refunds_requested_idx" ON "orders"."refunds" USING btree ("created_at") WHERE "orders"."refunds"."status" = 'requested';--> statement-breakpoint
CREATE INDEX "reservation_items_ticket_type_idx" ON "orders"."reservation_items" USING btree ("ticket_type_id");--> statement-breakpoint
CREATE INDEX "reservations_held_expiry_idx" ON "orders"."reservations" USING btree ("expires_at") WHERE "orders"."reservations"."status" = 'held';--> statement-breakpoint
CREATE INDEX "reservations_user_idx" ON "orders"."reservations" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_code_idx" ON "orders"."tickets" USING btree ("code");--> statement-breakpoint
CREATE INDEX "tickets_order_idx" ON "orders"."tickets" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "tickets_user_idx" ON "orders"."tickets" USING btree ("user_id","issued_at");--> statement-breakpoint
CREATE INDEX "tickets_event_idx" ON "orders"."tickets" USING btree ("event_id","ticket_type_id");--> statement-breakpoint
CREATE INDEX "tickets_event_issued_idx" ON "orders"."tickets" USING btree ("event_id","issued_at","id");--> statement-breakpoint
-- A hold is one statement (CTEs): when it cannot take every ticket it asked for,
-- this aborts the whole statement, so nothing of it is kept. SQLSTATE TW409.
CREATE FUNCTION "orders"."refuse_hold"(reason text) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'TW409', MESSAGE = reason;
END
$$;
--> statement-breakpoint
-- Every change of a ticket type's numbers (or a new ticket type) is to be
-- announced: marked here, in the changing transaction, whatever wrote it.
CREATE FUNCTION "orders"."mark_inventory_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "orders"."inventory_changes" (ticket_type_id) VALUES (NEW.ticket_type_id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "inventory_added" AFTER INSERT ON "orders"."inventory"
  FOR EACH ROW EXECUTE FUNCTION "orders"."mark_inventory_changed"();
--> statement-breakpoint
CREATE TRIGGER "inventory_changed" AFTER UPDATE ON "orders"."inventory"
  FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version) EXECUTE FUNCTION "orders"."mark_inventory_changed"();
