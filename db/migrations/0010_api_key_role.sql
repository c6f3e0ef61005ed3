ALTER TABLE "api_keys" ADD COLUMN "role" "role" DEFAULT 'admin' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_role_not_owner" CHECK ("api_keys"."role" <> 'owner');