CREATE TYPE "public"."webhook_format" AS ENUM('standard', 'finan', 'myfatoorah_v1', 'foloosi', 'furatpay');--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "format" "webhook_format" DEFAULT 'standard' NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "retry_schedule" integer[];--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_schedule_steps" CHECK ("webhook_endpoints"."retry_schedule" is null or cardinality("webhook_endpoints"."retry_schedule") between 1 and 20);