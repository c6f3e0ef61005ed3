CREATE TYPE "public"."payment_link_cancellation_reason" AS ENUM('merchant', 'invoice_paid', 'invoice_void');--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ALTER COLUMN "secret" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_links" ADD COLUMN "cancellation_reason" "payment_link_cancellation_reason";--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "deleted_at" timestamp (3) with time zone;--> statement-breakpoint
-- Hand-written data fixes, before the checks below hold.
-- Links canceled so far were canceled by the merchant.
UPDATE "payment_links" SET "cancellation_reason" = 'merchant' WHERE "status" = 'canceled';--> statement-breakpoint
-- Active links ask no more than their invoice still owes (lib/payment-links/totals.ts);
-- one that received nothing on an invoice that owes nothing (paid or void) closes.
WITH "owed" AS (
	SELECT "id", "status", CASE WHEN "status" = 'void' THEN 0 ELSE greatest(0, "amount" - "paid_amount") END AS "owed"
	FROM "invoices"
), "next" AS (
	SELECT pl."id", least(pl."amount", pl."paid_amount" + o."owed") AS "amount", o."owed" = 0 AND pl."paid_amount" = 0 AS "closes", o."status" AS "invoice_status"
	FROM "payment_links" pl JOIN "owed" o ON o."id" = pl."invoice_id"
	WHERE pl."status" = 'active' AND pl."amount" > pl."paid_amount" + o."owed"
)
UPDATE "payment_links" pl SET
	"amount" = n."amount",
	"payment_status" = (CASE WHEN pl."paid_amount" <= 0 THEN 'unpaid' WHEN pl."paid_amount" < n."amount" THEN 'partial' WHEN pl."paid_amount" = n."amount" THEN 'paid' ELSE 'extra' END)::"payment_status",
	"status" = CASE WHEN n."closes" THEN 'canceled'::"payment_link_status" ELSE pl."status" END,
	"canceled_at" = CASE WHEN n."closes" THEN now() ELSE pl."canceled_at" END,
	"cancellation_reason" = CASE WHEN NOT n."closes" THEN NULL WHEN n."invoice_status" = 'void' THEN 'invoice_void'::"payment_link_cancellation_reason" ELSE 'invoice_paid'::"payment_link_cancellation_reason" END
FROM "next" n WHERE n."id" = pl."id";--> statement-breakpoint
-- Endpoints deleted before soft delete lost their row, and their deliveries their endpoint_id.
-- Put a deleted row back for each, from its deletion's audit entry (URL and description as they were) ...
INSERT INTO "webhook_endpoints" ("id", "merchant_id", "url", "description", "event_types", "enabled", "secret", "created_at", "updated_at", "deleted_at")
SELECT DISTINCT ON (a."target_id") a."target_id", a."merchant_id", a."before"->>'url', a."before"->>'description',
	CASE WHEN jsonb_typeof(a."before"->'eventTypes') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(a."before"->'eventTypes')) END,
	false, NULL,
	coalesce((SELECT min(c."created_at") FROM "audit_log" c WHERE c."target_id" = a."target_id" AND c."action" = 'webhook_endpoint.created'), a."created_at"),
	a."created_at", a."created_at"
FROM "audit_log" a
WHERE a."action" = 'webhook_endpoint.deleted' AND a."before"->>'url' IS NOT NULL
	AND NOT EXISTS (SELECT 1 FROM "webhook_endpoints" e WHERE e."id" = a."target_id")
ORDER BY a."target_id", a."created_at" DESC;--> statement-breakpoint
-- ... or, with no audit entry, from the URL its last attempt went to.
INSERT INTO "webhook_endpoints" ("id", "merchant_id", "url", "enabled", "secret", "created_at", "updated_at", "deleted_at")
SELECT DISTINCT ON (t."endpoint_id") t."endpoint_id", t."merchant_id", t."request_url", false, NULL, now(), now(), now()
FROM "webhook_attempts" t
WHERE t."endpoint_id" IS NOT NULL AND t."request_url" <> ''
	AND NOT EXISTS (SELECT 1 FROM "webhook_endpoints" e WHERE e."id" = t."endpoint_id")
ORDER BY t."endpoint_id", t."started_at" DESC;--> statement-breakpoint
-- Each orphaned delivery gets back the endpoint its attempts went to; one never attempted has no trace of it and stays without.
UPDATE "webhook_deliveries" d SET "endpoint_id" = t."endpoint_id"
FROM (
	SELECT DISTINCT ON ("delivery_id") "delivery_id", "endpoint_id" FROM "webhook_attempts"
	WHERE "endpoint_id" IS NOT NULL ORDER BY "delivery_id", "started_at" DESC
) t
WHERE d."id" = t."delivery_id" AND d."endpoint_id" IS NULL AND d."status" <> 'url_not_set'
	AND EXISTS (SELECT 1 FROM "webhook_endpoints" e WHERE e."id" = t."endpoint_id" AND e."merchant_id" = d."merchant_id");--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_cancellation_reason" CHECK (("payment_links"."status" = 'canceled') = ("payment_links"."cancellation_reason" is not null));--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_live_secret" CHECK ("webhook_endpoints"."deleted_at" is not null or "webhook_endpoints"."secret" is not null);
