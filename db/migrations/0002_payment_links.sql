CREATE TYPE "public"."notification_outcome" AS ENUM('recorded', 'duplicate', 'unmatched', 'assigned', 'currency_mismatch', 'rejected', 'error');--> statement-breakpoint
CREATE TYPE "public"."payment_link_status" AS ENUM('active', 'expired', 'canceled');--> statement-breakpoint
CREATE TYPE "public"."payment_service_kind" AS ENUM('bank_transfer', 'redirect', 'sandbox');--> statement-breakpoint
CREATE TABLE "payment_links" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"code" text NOT NULL,
	"service_ids" text[] NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"paid_amount" bigint DEFAULT 0 NOT NULL,
	"payment_status" "payment_status" DEFAULT 'unpaid' NOT NULL,
	"status" "payment_link_status" DEFAULT 'active' NOT NULL,
	"description" text,
	"success_url" text,
	"failure_url" text,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"expired_at" timestamp (3) with time zone,
	"canceled_at" timestamp (3) with time zone,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_links_amounts_nonnegative" CHECK ("payment_links"."amount" >= 0 and "payment_links"."paid_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payment_services" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"kind" "payment_service_kind" NOT NULL,
	"name" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secret_sealed" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"service_id" text NOT NULL,
	"headers" jsonb NOT NULL,
	"body" text NOT NULL,
	"verified_by" text,
	"outcome" "notification_outcome" NOT NULL,
	"message" text,
	"provider_ref" text,
	"amount" bigint,
	"currency" text,
	"remark" text,
	"payment_link_id" text,
	"invoice_id" text,
	"payment_id" text,
	"assigned_by" text,
	"assigned_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_services" ADD CONSTRAINT "payment_services_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_notifications" ADD CONSTRAINT "provider_notifications_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_notifications" ADD CONSTRAINT "provider_notifications_service_id_payment_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."payment_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_notifications" ADD CONSTRAINT "provider_notifications_payment_link_id_payment_links_id_fk" FOREIGN KEY ("payment_link_id") REFERENCES "public"."payment_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_notifications" ADD CONSTRAINT "provider_notifications_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_notifications" ADD CONSTRAINT "provider_notifications_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_links_code_key" ON "payment_links" USING btree ("code");--> statement-breakpoint
CREATE INDEX "payment_links_merchant_created_idx" ON "payment_links" USING btree ("merchant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "payment_links_invoice_idx" ON "payment_links" USING btree ("merchant_id","invoice_id");--> statement-breakpoint
CREATE INDEX "payment_links_due_idx" ON "payment_links" USING btree ("expires_at") WHERE "payment_links"."status" = 'active';--> statement-breakpoint
CREATE INDEX "payment_services_merchant_idx" ON "payment_services" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_services_one_sandbox_key" ON "payment_services" USING btree ("merchant_id") WHERE "payment_services"."kind" = 'sandbox';--> statement-breakpoint
CREATE INDEX "provider_notifications_merchant_created_idx" ON "provider_notifications" USING btree ("merchant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "provider_notifications_invoice_idx" ON "provider_notifications" USING btree ("merchant_id","invoice_id");--> statement-breakpoint
CREATE INDEX "provider_notifications_link_idx" ON "provider_notifications" USING btree ("payment_link_id","created_at");