-- UNLOGGED (hand-edited): signatures seen in the last minutes need no WAL write and no crash safety.
CREATE UNLOGGED TABLE "api_seen_signatures" (
	"signature" text PRIMARY KEY NOT NULL,
	"idempotency_key" text,
	"expires_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "api_seen_signatures_expires_idx" ON "api_seen_signatures" USING btree ("expires_at");