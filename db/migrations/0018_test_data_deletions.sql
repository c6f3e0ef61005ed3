CREATE TYPE "public"."test_data_deletion_status" AS ENUM('running', 'finished', 'failed');--> statement-breakpoint
CREATE TABLE "test_data_deletions" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"requested_by" text,
	"status" "test_data_deletion_status" DEFAULT 'running' NOT NULL,
	"total" integer NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	"step" text,
	"error" text,
	"lease_id" text,
	"locked_until" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "test_data_deletions" ADD CONSTRAINT "test_data_deletions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_data_deletions" ADD CONSTRAINT "test_data_deletions_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "test_data_deletions_one_running_key" ON "test_data_deletions" USING btree ("merchant_id") WHERE "test_data_deletions"."status" = 'running';--> statement-breakpoint
CREATE INDEX "test_data_deletions_merchant_idx" ON "test_data_deletions" USING btree ("merchant_id","created_at");