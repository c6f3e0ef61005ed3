CREATE TABLE "dashboard_daily" (
	"merchant_id" text NOT NULL,
	"currency" text NOT NULL,
	"day" date NOT NULL,
	"collected" bigint DEFAULT 0 NOT NULL,
	"invoices_created" integer DEFAULT 0 NOT NULL,
	"invoices_paid" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "dashboard_daily_merchant_id_currency_day_pk" PRIMARY KEY("merchant_id","currency","day"),
	CONSTRAINT "dashboard_daily_nonnegative" CHECK (least("dashboard_daily"."collected", "dashboard_daily"."invoices_created", "dashboard_daily"."invoices_paid") >= 0)
);
--> statement-breakpoint
CREATE TABLE "dashboard_outstanding" (
	"merchant_id" text NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"invoices" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "dashboard_outstanding_merchant_id_currency_pk" PRIMARY KEY("merchant_id","currency"),
	CONSTRAINT "dashboard_outstanding_nonnegative" CHECK (least("dashboard_outstanding"."amount", "dashboard_outstanding"."invoices") >= 0)
);
--> statement-breakpoint
ALTER TABLE "dashboard_daily" ADD CONSTRAINT "dashboard_daily_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboard_outstanding" ADD CONSTRAINT "dashboard_outstanding_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill from the rows already there (the same recomputation as lib/dashboard/rollups.ts); from here on the writes keep them in step.
INSERT INTO "dashboard_daily" ("merchant_id", "currency", "day", "collected", "invoices_created", "invoices_paid")
SELECT merchant_id, currency, day, sum(collected), sum(created), sum(paid)
FROM (
	SELECT merchant_id, currency, (created_at AT TIME ZONE 'UTC')::date AS day, 0::bigint AS collected, 1 AS created, 0 AS paid FROM invoices
	UNION ALL
	SELECT merchant_id, currency, (updated_at AT TIME ZONE 'UTC')::date, amount, 0, 0 FROM payments WHERE status = 'succeeded'
	UNION ALL
	SELECT i.merchant_id, i.currency, (min(e.created_at) AT TIME ZONE 'UTC')::date, 0, 0, 1
	FROM invoices i JOIN events e ON e.merchant_id = i.merchant_id AND e.invoice_id = i.id AND e.type IN ('invoice.paid', 'invoice.overpaid')
	WHERE i.status = 'open'
	GROUP BY i.merchant_id, i.currency, i.id
) x
GROUP BY merchant_id, currency, day;--> statement-breakpoint
INSERT INTO "dashboard_outstanding" ("merchant_id", "currency", "amount", "invoices")
SELECT merchant_id, currency, sum(amount - paid_amount), count(*)
FROM invoices
WHERE status = 'open' AND payment_status IN ('unpaid', 'partial')
GROUP BY merchant_id, currency;
