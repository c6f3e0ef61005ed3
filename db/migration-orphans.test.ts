import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The data notes of the migration that made webhook endpoints soft-deleted
 * and closes payment links with their invoice: rows written before it, by the
 * code of the time, come out as the new code would have left them.
 */
const folder = path.join(process.cwd(), "db/migrations");
const TAG = "_link_closing_endpoint_soft_delete";

let client: PGlite;
let work: string;
const q = async <T,>(text: string) => (await client.query<T>(text)).rows;

beforeAll(async () => {
  const journal = JSON.parse(readFileSync(path.join(folder, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(TAG));
  expect(at).toBeGreaterThan(0);
  work = mkdtempSync(path.join(tmpdir(), "settle-orphans-"));
  cpSync(folder, work, { recursive: true });
  writeFileSync(path.join(work, "meta/_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  client = await PGlite.create("memory://");
  await migrate(drizzle(client), { migrationsFolder: work });

  await client.exec(`
    insert into merchants (id, name) values ('m_1', 'Shop');
    -- An invoice of 10,000 paid in full through link A while link B stayed open; one half paid; one void.
    insert into invoices (id, merchant_id, number, currency, amount, paid_amount, payment_status, customer_name)
      values ('inv_paid', 'm_1', 1, 'VND', 10000, 10000, 'paid', 'A'), ('inv_half', 'm_1', 2, 'VND', 10000, 4000, 'partial', 'B');
    insert into invoices (id, merchant_id, number, currency, amount, customer_name, status) values ('inv_void', 'm_1', 3, 'VND', 5000, 'C', 'void');
    insert into payment_links (id, merchant_id, invoice_id, code, service_ids, currency, amount, paid_amount, payment_status, status, expires_at) values
      ('pl_a', 'm_1', 'inv_paid', 'AAAAAAAA', '{}', 'VND', 10000, 10000, 'paid', 'active', now() + interval '1 hour'),
      ('pl_b', 'm_1', 'inv_paid', 'BBBBBBBB', '{}', 'VND', 10000, 0, 'unpaid', 'active', now() + interval '1 hour'),
      ('pl_c', 'm_1', 'inv_half', 'CCCCCCCC', '{}', 'VND', 10000, 4000, 'partial', 'active', now() + interval '1 hour'),
      ('pl_d', 'm_1', 'inv_half', 'DDDDDDDD', '{}', 'VND', 10000, 0, 'unpaid', 'active', now() + interval '1 hour'),
      ('pl_e', 'm_1', 'inv_void', 'EEEEEEEE', '{}', 'VND', 5000, 0, 'unpaid', 'active', now() + interval '1 hour'),
      ('pl_f', 'm_1', 'inv_half', 'FFFFFFFF', '{}', 'VND', 10000, 0, 'unpaid', 'canceled', now() + interval '1 hour');

    -- Endpoint we_gone was hard-deleted: its row went, its deliveries lost their endpoint_id; its attempts kept theirs.
    insert into events (id, merchant_id, type, data) values ('evt_1', 'm_1', 'invoice.paid', '{}'), ('evt_2', 'm_1', 'invoice.paid', '{}');
    insert into webhook_deliveries (id, merchant_id, event_id, endpoint_id, message_id, event_type, status, attempts) values
      ('dlv_tried', 'm_1', 'evt_1', null, 'msg_1', 'invoice.paid', 'failed', 1),
      ('dlv_never', 'm_1', 'evt_2', null, 'msg_2', 'invoice.paid', 'pending', 0),
      ('dlv_unset', 'm_1', 'evt_2', null, 'msg_2', 'invoice.paid', 'url_not_set', 0);
    insert into webhook_attempts (id, delivery_id, merchant_id, endpoint_id, trigger, outcome, request_url, request_headers, request_body, duration_ms, started_at)
      values ('att_1', 'dlv_tried', 'm_1', 'we_gone', 'auto', 'failed', 'https://orders.example/hooks', '{}', '{}', 5, now() - interval '2 days');
    insert into audit_log (id, merchant_id, action, target_type, target_id, before, after, created_at) values
      ('aud_1', 'm_1', 'webhook_endpoint.created', 'webhook_endpoint', 'we_gone', null, '{"url": "https://orders.example/hooks"}', now() - interval '3 days'),
      ('aud_2', 'm_1', 'webhook_endpoint.deleted', 'webhook_endpoint', 'we_gone',
        '{"url": "https://orders.example/hooks", "description": "Order system", "eventTypes": ["invoice.paid"], "enabled": true}', null, now() - interval '1 day');
    -- we_quiet left attempts but no audit entry: its URL comes from the last attempt.
    insert into events (id, merchant_id, type, data) values ('evt_3', 'm_1', 'invoice.paid', '{}');
    insert into webhook_deliveries (id, merchant_id, event_id, endpoint_id, message_id, event_type, status, attempts)
      values ('dlv_quiet', 'm_1', 'evt_3', null, 'msg_3', 'invoice.paid', 'succeeded', 1);
    insert into webhook_attempts (id, delivery_id, merchant_id, endpoint_id, trigger, outcome, request_url, request_headers, request_body, duration_ms, started_at)
      values ('att_2', 'dlv_quiet', 'm_1', 'we_quiet', 'auto', 'succeeded', 'https://quiet.example/in', '{}', '{}', 5, now());
  `);
  await migrate(drizzle(client), { migrationsFolder: folder });
}, 60_000);

afterAll(async () => {
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the soft-delete and link-closing migration's data notes", () => {
  it("closes the links that received nothing on an invoice that owes nothing, and lowers the rest to what is owed", async () => {
    const links = await q<{ id: string; amount: string; status: string; cancellation_reason: string | null; payment_status: string }>(
      "select id, amount::text, status, cancellation_reason, payment_status from payment_links order by id",
    );
    expect(links).toEqual([
      { id: "pl_a", amount: "10000", status: "active", cancellation_reason: null, payment_status: "paid" },
      { id: "pl_b", amount: "0", status: "canceled", cancellation_reason: "invoice_paid", payment_status: "unpaid" },
      { id: "pl_c", amount: "10000", status: "active", cancellation_reason: null, payment_status: "partial" },
      { id: "pl_d", amount: "6000", status: "active", cancellation_reason: null, payment_status: "unpaid" },
      { id: "pl_e", amount: "0", status: "canceled", cancellation_reason: "invoice_void", payment_status: "unpaid" },
      { id: "pl_f", amount: "10000", status: "canceled", cancellation_reason: "merchant", payment_status: "unpaid" },
    ]);
  });

  it("brings deleted endpoints back as deleted rows, without a secret, and gives their deliveries back their endpoint", async () => {
    const endpoints = await q<{ id: string; url: string; description: string | null; event_types: string[] | null; secret: string | null; deleted: boolean }>(
      "select id, url, description, event_types, secret, deleted_at is not null as deleted from webhook_endpoints order by id",
    );
    expect(endpoints).toEqual([
      { id: "we_gone", url: "https://orders.example/hooks", description: "Order system", event_types: ["invoice.paid"], secret: null, deleted: true },
      { id: "we_quiet", url: "https://quiet.example/in", description: null, event_types: null, secret: null, deleted: true },
    ]);
    const deliveries = await q<{ id: string; endpoint_id: string | null }>("select id, endpoint_id from webhook_deliveries order by id");
    // Never attempted: nothing tells which endpoint it was for.
    expect(deliveries).toEqual([
      { id: "dlv_never", endpoint_id: null },
      { id: "dlv_quiet", endpoint_id: "we_quiet" },
      { id: "dlv_tried", endpoint_id: "we_gone" },
      { id: "dlv_unset", endpoint_id: null },
    ]);
  });
});
