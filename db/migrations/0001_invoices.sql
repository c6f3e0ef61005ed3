-- Hand-written (drizzle-kit does not manage functions): the list search's lexemes, every
-- prefix (up to 20 characters, and the whole word) of every word of a customer's name, both
-- as the 'simple' parser splits it (O'Hara -> o, hara) and as typed between spaces (o'hara).
CREATE FUNCTION invoice_search_prefixes(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(coalesce(array_agg(p), '{}'))
  FROM (SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple', name)) || regexp_split_to_array(lower(name), '\s+')) w WHERE w <> '') words,
       LATERAL (SELECT left(w, n) FROM generate_series(1, least(length(w), 20)) n UNION SELECT w) prefixes(p)
$$;--> statement-breakpoint
CREATE TYPE "public"."invoice_status" AS ENUM('open', 'void');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('cash', 'bank_transfer', 'card', 'ewallet', 'qr', 'other');--> statement-breakpoint
CREATE TYPE "public"."payment_result" AS ENUM('succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."payment_status" AS ENUM('unpaid', 'partial', 'paid', 'extra');--> statement-breakpoint
CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"merchant_id" text NOT NULL,
	"type" text NOT NULL,
	"invoice_id" text,
	"data" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_items" (
	"invoice_id" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"unit_price" bigint NOT NULL,
	"quantity" integer NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "invoice_items_invoice_id_position_pk" PRIMARY KEY("invoice_id","position")
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"number" integer NOT NULL,
	"reference_id" text,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"paid_amount" bigint DEFAULT 0 NOT NULL,
	"payment_status" "payment_status" DEFAULT 'unpaid' NOT NULL,
	"status" "invoice_status" DEFAULT 'open' NOT NULL,
	"customer_name" text NOT NULL,
	"customer_email" text,
	"customer_phone" text,
	"customer_address" text,
	"description" text,
	"due_date" date,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"needs_review" boolean DEFAULT false NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (invoice_search_prefixes("invoices"."customer_name")) STORED,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"voided_at" timestamp (3) with time zone,
	CONSTRAINT "invoices_amounts_nonnegative" CHECK ("invoices"."amount" >= 0 and "invoices"."paid_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "merchant_counters" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"invoice_seq" integer DEFAULT 0 NOT NULL,
	"unpaid_count" integer DEFAULT 0 NOT NULL,
	"partial_count" integer DEFAULT 0 NOT NULL,
	"paid_count" integer DEFAULT 0 NOT NULL,
	"extra_count" integer DEFAULT 0 NOT NULL,
	"void_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "merchant_counters_nonnegative" CHECK (least("merchant_counters"."unpaid_count", "merchant_counters"."partial_count", "merchant_counters"."paid_count", "merchant_counters"."extra_count", "merchant_counters"."void_count") >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"invoice_id" text,
	"payment_link_id" text,
	"service_id" text NOT NULL,
	"provider_ref" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"method" "payment_method" NOT NULL,
	"status" "payment_result" NOT NULL,
	"message" text,
	"card_last4" text,
	"raw" jsonb,
	"late" boolean DEFAULT false NOT NULL,
	"recorded_by" text,
	"note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_nonnegative" CHECK ("payments"."amount" >= 0)
);
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_items" ADD CONSTRAINT "invoice_items_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchant_counters" ADD CONSTRAINT "merchant_counters_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_merchant_invoice_idx" ON "events" USING btree ("merchant_id","invoice_id","seq");--> statement-breakpoint
CREATE INDEX "events_merchant_seq_idx" ON "events" USING btree ("merchant_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_merchant_number_key" ON "invoices" USING btree ("merchant_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_merchant_reference_key" ON "invoices" USING btree ("merchant_id","reference_id");--> statement-breakpoint
CREATE INDEX "invoices_merchant_created_idx" ON "invoices" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "invoices_merchant_tab_idx" ON "invoices" USING btree ("merchant_id","payment_status","created_at","id") WHERE "invoices"."status" = 'open';--> statement-breakpoint
CREATE INDEX "invoices_merchant_void_idx" ON "invoices" USING btree ("merchant_id","created_at","id") WHERE "invoices"."status" = 'void';--> statement-breakpoint
CREATE INDEX "invoices_search_idx" ON "invoices" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "invoices_merchant_email_idx" ON "invoices" USING btree ("merchant_id",lower("customer_email") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "invoices_merchant_reference_idx" ON "invoices" USING btree ("merchant_id",lower("reference_id") text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "payments_merchant_service_ref_key" ON "payments" USING btree ("merchant_id","service_id","provider_ref");--> statement-breakpoint
CREATE INDEX "payments_invoice_idx" ON "payments" USING btree ("invoice_id","created_at");