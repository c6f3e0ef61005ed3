ALTER TABLE "merchants" ADD COLUMN "live_merchant_id" text;--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "livemode" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "merchants" ADD CONSTRAINT "merchants_live_merchant_id_merchants_id_fk" FOREIGN KEY ("live_merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "merchants_live_merchant_id_key" ON "merchants" USING btree ("live_merchant_id");--> statement-breakpoint
ALTER TABLE "merchants" ADD CONSTRAINT "merchants_livemode_space" CHECK ("merchants"."livemode" = ("merchants"."live_merchant_id" is null));--> statement-breakpoint
-- Every account gets its test space.
INSERT INTO "merchants" ("id", "name", "live_merchant_id", "livemode", "created_at")
SELECT 'mer_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 26), "name", "id", false, "created_at"
FROM "merchants" WHERE "live_merchant_id" IS NULL;
--> statement-breakpoint
-- Until now the sandbox lived beside real services. It and everything paid or offered through it
-- become test data: the sandbox services, every invoice with a sandbox payment or a link offering
-- the sandbox (with its items, payments, links, notifications, API payment requests, events and
-- their deliveries), and every standalone link offering the sandbox.
CREATE TABLE "_test_mode_moves" ("kind" text NOT NULL, "id" text NOT NULL, "test_id" text NOT NULL);
--> statement-breakpoint
INSERT INTO "_test_mode_moves"
SELECT 'service', s."id", t."id" FROM "payment_services" s JOIN "merchants" t ON t."live_merchant_id" = s."merchant_id" WHERE s."kind" = 'sandbox';
--> statement-breakpoint
INSERT INTO "_test_mode_moves"
SELECT DISTINCT 'invoice', i."id", t."id"
FROM "invoices" i JOIN "merchants" t ON t."live_merchant_id" = i."merchant_id"
WHERE EXISTS (SELECT 1 FROM "payments" p JOIN "_test_mode_moves" m ON m."kind" = 'service' AND m."id" = p."service_id" WHERE p."invoice_id" = i."id")
   OR EXISTS (SELECT 1 FROM "payment_links" l JOIN "_test_mode_moves" m ON m."kind" = 'service' AND m."id" = ANY (l."service_ids") WHERE l."invoice_id" = i."id");
--> statement-breakpoint
INSERT INTO "_test_mode_moves"
SELECT 'link', l."id", t."id"
FROM "payment_links" l JOIN "merchants" t ON t."live_merchant_id" = l."merchant_id"
WHERE l."invoice_id" IN (SELECT "id" FROM "_test_mode_moves" WHERE "kind" = 'invoice')
   OR (l."invoice_id" IS NULL AND EXISTS (SELECT 1 FROM "_test_mode_moves" m WHERE m."kind" = 'service' AND m."id" = ANY (l."service_ids")));
--> statement-breakpoint
INSERT INTO "_test_mode_moves"
SELECT 'event', e."id", m."test_id" FROM "events" e JOIN "_test_mode_moves" m ON m."kind" = 'invoice' AND m."id" = e."invoice_id";
--> statement-breakpoint
UPDATE "payment_services" x SET "merchant_id" = m."test_id" FROM "_test_mode_moves" m WHERE m."kind" = 'service' AND m."id" = x."id";
--> statement-breakpoint
UPDATE "invoices" x SET "merchant_id" = m."test_id" FROM "_test_mode_moves" m WHERE m."kind" = 'invoice' AND m."id" = x."id";
--> statement-breakpoint
UPDATE "payments" x SET "merchant_id" = m."test_id" FROM "_test_mode_moves" m WHERE m."kind" = 'invoice' AND m."id" = x."invoice_id";
--> statement-breakpoint
UPDATE "payment_links" x SET "merchant_id" = m."test_id" FROM "_test_mode_moves" m WHERE m."kind" = 'link' AND m."id" = x."id";
--> statement-breakpoint
UPDATE "provider_notifications" x SET "merchant_id" = m."test_id" FROM "_test_mode_moves" m
WHERE (m."kind" = 'link' AND m."id" = x."payment_link_id") OR (m."kind" = 'service' AND m."id" = x."service_id");
--> statement-breakpoint
UPDATE "api_payment_requests" x SET "merchant_id" = m."test_id" FROM "_test_mode_moves" m WHERE m."kind" = 'link' AND m."id" = x."payment_link_id";
--> statement-breakpoint
UPDATE "events" x SET "merchant_id" = m."test_id", "data" = x."data" || '{"livemode": false}'::jsonb FROM "_test_mode_moves" m WHERE m."kind" = 'event' AND m."id" = x."id";
--> statement-breakpoint
-- Their deliveries went to live endpoints, which test mode does not share: they go, with their attempts.
DELETE FROM "webhook_deliveries" x USING "_test_mode_moves" m WHERE m."kind" = 'event' AND m."id" = x."event_id";
--> statement-breakpoint
DROP TABLE "_test_mode_moves";
--> statement-breakpoint
-- The derived figures of both spaces, counted again from the rows (as lib/dashboard/rollups.ts
-- recomputes them). A live space keeps its invoice numbering: a number is never given twice.
INSERT INTO "merchant_counters" ("merchant_id", "invoice_seq", "unpaid_count", "partial_count", "paid_count", "extra_count", "void_count")
SELECT m."id", coalesce(max(i."number"), 0),
       count(i."id") FILTER (WHERE i."status" = 'open' AND i."payment_status" = 'unpaid'),
       count(i."id") FILTER (WHERE i."status" = 'open' AND i."payment_status" = 'partial'),
       count(i."id") FILTER (WHERE i."status" = 'open' AND i."payment_status" = 'paid'),
       count(i."id") FILTER (WHERE i."status" = 'open' AND i."payment_status" = 'extra'),
       count(i."id") FILTER (WHERE i."status" = 'void')
FROM "merchants" m LEFT JOIN "invoices" i ON i."merchant_id" = m."id"
WHERE EXISTS (SELECT 1 FROM "invoices" x WHERE x."merchant_id" = m."id") OR EXISTS (SELECT 1 FROM "merchant_counters" c WHERE c."merchant_id" = m."id")
GROUP BY m."id"
ON CONFLICT ("merchant_id") DO UPDATE SET
  "invoice_seq" = greatest("merchant_counters"."invoice_seq", excluded."invoice_seq"),
  "unpaid_count" = excluded."unpaid_count", "partial_count" = excluded."partial_count", "paid_count" = excluded."paid_count",
  "extra_count" = excluded."extra_count", "void_count" = excluded."void_count";
--> statement-breakpoint
DELETE FROM "dashboard_daily";
--> statement-breakpoint
INSERT INTO "dashboard_daily" ("merchant_id", "currency", "day", "collected", "invoices_created", "invoices_paid")
SELECT "merchant_id", "currency", "day", sum("collected")::bigint, sum("created")::int, sum("paid")::int
FROM (
  SELECT "merchant_id", "currency", ("created_at" AT TIME ZONE 'UTC')::date AS "day", 0::bigint AS "collected", 1 AS "created", 0 AS "paid" FROM "invoices"
  UNION ALL
  SELECT "merchant_id", "currency", ("updated_at" AT TIME ZONE 'UTC')::date, "amount", 0, 0 FROM "payments" WHERE "status" = 'succeeded'
  UNION ALL
  SELECT i."merchant_id", i."currency", (min(e."created_at") AT TIME ZONE 'UTC')::date, 0, 0, 1
  FROM "invoices" i JOIN "events" e ON e."merchant_id" = i."merchant_id" AND e."invoice_id" = i."id" AND e."type" IN ('invoice.paid', 'invoice.overpaid')
  WHERE i."status" = 'open'
  GROUP BY i."merchant_id", i."currency", i."id"
) x
GROUP BY "merchant_id", "currency", "day";
--> statement-breakpoint
DELETE FROM "dashboard_outstanding";
--> statement-breakpoint
INSERT INTO "dashboard_outstanding" ("merchant_id", "currency", "amount", "invoices")
SELECT "merchant_id", "currency", sum("amount" - "paid_amount")::bigint, count(*)::int
FROM "invoices" WHERE "status" = 'open' AND "payment_status" IN ('unpaid', 'partial')
GROUP BY "merchant_id", "currency";
--> statement-breakpoint
-- Live money is sacred: Postgres itself refuses a sandbox service in a live space.
CREATE FUNCTION "payment_services_sandbox_only_in_test"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."kind" = 'sandbox' AND (SELECT "livemode" FROM "merchants" WHERE "id" = NEW."merchant_id") THEN
    RAISE EXCEPTION 'the sandbox exists only in test mode (merchant %)', NEW."merchant_id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "payment_services_sandbox_only_in_test" BEFORE INSERT OR UPDATE OF "kind", "merchant_id" ON "payment_services"
FOR EACH ROW EXECUTE FUNCTION "payment_services_sandbox_only_in_test"();
