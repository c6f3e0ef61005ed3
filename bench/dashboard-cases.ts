/**
 * The dashboard's queries for bench/invoices.ts: its seed calls
 * `seedDashboard` after writing each batch of invoices and payments, and its
 * case list takes `dashboardCases`. Besides the rollups, the seed writes what
 * the rest of the overview reads at the same scale: one event per invoice,
 * one webhook delivery per event (1 in 20 failed), the last day's attempts,
 * and a few deliveries waiting for a retry.
 */
import type pg from "pg";
import type { DbHandle } from "@/db/client";
import { utcDay } from "@/lib/dashboard/period";
import { dailySeries, moneySummary, recentActivity, setupState, webhookHealth } from "@/lib/dashboard/queries";

type Case = { name: string; run: () => Promise<unknown> };

const ENDPOINT = "we_bench";

/** Set-based, for invoices numbered from..to of one merchant (the bench writes no events, so "paid" is when its payment came). */
export async function seedDashboard(admin: pg.Client, merchantId: string, from: number, to: number): Promise<void> {
  const range = [merchantId, from, to];
  await admin.query(
    `insert into dashboard_daily (merchant_id, currency, day, collected, invoices_created, invoices_paid)
     select merchant_id, currency, day, sum(collected), sum(created), sum(paid) from (
       select merchant_id, currency, (created_at at time zone 'UTC')::date as day, 0::bigint as collected, 1 as created, 0 as paid
         from invoices where merchant_id = $1 and number between $2 and $3
       union all
       select p.merchant_id, p.currency, (p.updated_at at time zone 'UTC')::date, p.amount, 0, 0
         from payments p join invoices i on i.id = p.invoice_id
         where p.merchant_id = $1 and i.number between $2 and $3 and p.status = 'succeeded'
       union all
       select merchant_id, currency, ((created_at + interval '1 hour') at time zone 'UTC')::date, 0, 0, 1
         from invoices where merchant_id = $1 and number between $2 and $3 and status = 'open' and payment_status in ('paid', 'extra')
     ) x group by 1, 2, 3
     on conflict (merchant_id, currency, day) do update set
       collected = dashboard_daily.collected + excluded.collected,
       invoices_created = dashboard_daily.invoices_created + excluded.invoices_created,
       invoices_paid = dashboard_daily.invoices_paid + excluded.invoices_paid`,
    range,
  );
  await admin.query(
    `insert into dashboard_outstanding (merchant_id, currency, amount, invoices)
     select merchant_id, currency, sum(amount - paid_amount), count(*) from invoices
     where merchant_id = $1 and number between $2 and $3 and status = 'open' and payment_status in ('unpaid', 'partial')
     group by 1, 2
     on conflict (merchant_id, currency) do update set
       amount = dashboard_outstanding.amount + excluded.amount, invoices = dashboard_outstanding.invoices + excluded.invoices`,
    range,
  );
  await admin.query(
    `insert into webhook_endpoints (id, merchant_id, url, secret, consecutive_failures, created_at)
     values ('${ENDPOINT}', $1, 'https://hooks.example.com/settle', 'sealed', 3, timestamptz '2024-01-01')
     on conflict (id) do nothing`,
    [merchantId],
  );
  await admin.query(
    `insert into events (id, merchant_id, type, invoice_id, data, created_at)
     select 'evt_' || lpad(number::text, 26, '0'), merchant_id, 'invoice.created', id, '{}'::jsonb, created_at
     from invoices where merchant_id = $1 and number between $2 and $3 order by number`,
    range,
  );
  await admin.query(
    `insert into webhook_deliveries (id, merchant_id, event_id, endpoint_id, message_id, event_type, invoice_id, status,
                                     attempts, last_response_status, last_attempt_at, created_at)
     select 'dlv_' || lpad(number::text, 26, '0'), merchant_id, 'evt_' || lpad(number::text, 26, '0'), '${ENDPOINT}',
            'msg_' || lpad(number::text, 26, '0'), 'invoice.created', id,
            (case when number % 20 = 0 then 'failed' else 'succeeded' end)::webhook_delivery_status,
            1, case when number % 20 = 0 then 500 else 200 end, created_at + interval '1 second', created_at
     from invoices where merchant_id = $1 and number between $2 and $3`,
    range,
  );
  // The last day's attempts (what the 24-hour success rate reads), and the newest failures waiting for a retry.
  await admin.query(
    `with last as (select max(created_at) as t from invoices where merchant_id = $1)
     insert into webhook_attempts (id, delivery_id, merchant_id, endpoint_id, trigger, outcome, request_url, request_headers,
                                   request_body, response_status, duration_ms, started_at, created_at)
     select 'att_' || substr(d.id, 5), d.id, d.merchant_id, d.endpoint_id, 'auto', d.status, 'https://hooks.example.com/settle',
            '{}'::jsonb, '{}', d.last_response_status, 120, d.last_attempt_at, d.last_attempt_at
     from webhook_deliveries d, last
     where d.merchant_id = $1 and d.created_at > last.t - interval '1 day'
       and d.id between 'dlv_' || lpad($2::text, 26, '0') and 'dlv_' || lpad($3::text, 26, '0')`,
    range,
  );
  await admin.query(
    `update webhook_deliveries set next_attempt_at = created_at + interval '1 day'
     where id in (select id from webhook_deliveries where merchant_id = $1 and status = 'failed' order by created_at desc limit 20)`,
    [merchantId],
  );
  for (const t of ["dashboard_daily", "dashboard_outstanding", "events", "webhook_deliveries", "webhook_attempts"]) await admin.query(`vacuum analyze ${t}`);
}

/** The overview's reads, for "today" = the day of the newest seeded invoice. */
export async function dashboardCases(handle: DbHandle, admin: pg.Client, merchantId: string): Promise<Case[]> {
  const db = handle.db;
  const { rows } = await admin.query<{ t: Date }>(`select max(created_at) as t from invoices where merchant_id = $1`, [merchantId]);
  const now = new Date(rows[0]!.t.getTime() + 60_000);
  const today = utcDay(now);
  return [
    { name: "dashboard: money summary", run: () => moneySummary(db, { merchantId, today }) },
    { name: "dashboard: 30-day series", run: () => dailySeries(db, { merchantId, today, period: 30 }) },
    { name: "dashboard: 90-day series", run: () => dailySeries(db, { merchantId, today, period: 90 }) },
    { name: "dashboard: webhook health", run: () => webhookHealth(db, { merchantId, now }) },
    { name: "dashboard: recent activity", run: () => recentActivity(db, { merchantId }) },
    { name: "dashboard: first steps", run: () => setupState(db, { merchantId }) },
  ];
}
