ALTER TYPE "public"."payment_result" ADD VALUE 'processing';--> statement-breakpoint
ALTER TYPE "public"."notification_outcome" ADD VALUE 'ignored';--> statement-breakpoint
ALTER TYPE "public"."payment_service_kind" ADD VALUE 'myfatoorah';--> statement-breakpoint
ALTER TYPE "public"."payment_service_kind" ADD VALUE 'foloosi';--> statement-breakpoint
ALTER TYPE "public"."payment_service_kind" ADD VALUE 'ipint';--> statement-breakpoint
ALTER TYPE "public"."payment_service_kind" ADD VALUE 'finan';--> statement-breakpoint
ALTER TYPE "public"."payment_service_kind" ADD VALUE 'furatpay';--> statement-breakpoint
CREATE TABLE "provider_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"service_id" text NOT NULL,
	"payment_link_id" text NOT NULL,
	"flow" text NOT NULL,
	"amount" bigint NOT NULL,
	"provider_ref" text,
	"instruction" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "confirmations" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "confirmations_required" integer;--> statement-breakpoint
ALTER TABLE "payment_services" ADD COLUMN "credentials_sealed" text;--> statement-breakpoint
ALTER TABLE "provider_sessions" ADD CONSTRAINT "provider_sessions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_sessions" ADD CONSTRAINT "provider_sessions_service_id_payment_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."payment_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_sessions" ADD CONSTRAINT "provider_sessions_payment_link_id_payment_links_id_fk" FOREIGN KEY ("payment_link_id") REFERENCES "public"."payment_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provider_sessions_link_idx" ON "provider_sessions" USING btree ("payment_link_id","service_id","created_at");--> statement-breakpoint
CREATE INDEX "provider_sessions_ref_idx" ON "provider_sessions" USING btree ("service_id","provider_ref");