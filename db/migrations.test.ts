import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { describe, expect, it } from "vitest";

const folder = path.join(process.cwd(), "db/migrations");
interface Entry {
  idx: number;
  when: number;
  tag: string;
}
const journal = (): { entries: Entry[] } => JSON.parse(readFileSync(path.join(folder, "meta/_journal.json"), "utf8"));

/**
 * drizzle's migrator runs only entries newer (by `when`) than the last one a
 * database recorded: a migration slipped in before an applied one is skipped
 * there, silently. So the journal only ever grows at its end.
 */
/** Entries that have landed on main (databases out there recorded them): never renumber, re-date or reorder. */
const landed: [string, number][] = [
  ["0000_accounts", 1795313518568],
  ["0001_invoices", 1795317786234],
  ["0002_payment_links", 1795318891053],
  ["0003_webhooks", 1795318892488],
  ["0004_ascending_keyset_indexes", 1795318924222],
  ["0005_api", 1795497251081],
  ["0006_dashboard_rollups", 1795502614872],
  ["0007_invoice_search_weekly", 1795502909153],
  ["0008_api_rate_limit", 1795511289527],
  ["0009_retry_waiting_index", 1795513333290],
  ["0010_api_key_role", 1795518619819],
  ["0011_api_replay", 1796614770865],
  ["0012_sessions_and_orphan_keys", 1796619991433],
  ["0013_link_closing_endpoint_soft_delete", 1796622146059],
  ["0014_password_reset_and_mail_outbox", 1796623258268],
  ["0015_webhook_engine", 1796625343878],
  ["0016_search_fold_accents", 1796625875160],
  ["0017_test_mode", 1796630460913],
  ["0018_test_data_deletions", 1796631261967],
  ["0019_connectors", 1796643281594],
  ["0020_refused_notifications", 1796643940251],
];

describe("migrations", () => {
  it("keep every landed entry as it was; new ones only go after them", () => {
    expect(journal().entries.slice(0, landed.length).map((e) => [e.tag, e.when])).toEqual(landed);
  });

  it("are numbered in journal order, each newer than the one before", () => {
    const entries = journal().entries;
    entries.forEach((e, i) => {
      expect(e.idx).toBe(i);
      expect(e.tag.startsWith(String(i).padStart(4, "0") + "_"), e.tag).toBe(true);
      if (i > 0) expect(e.when, `${e.tag} must be newer than ${entries[i - 1]!.tag}`).toBeGreaterThan(entries[i - 1]!.when);
    });
  });

  it("a database migrated at any earlier point upgrades to the latest", async () => {
    const entries = journal().entries;
    const work = mkdtempSync(path.join(tmpdir(), "settle-migrations-"));
    try {
      for (let applied = 1; applied < entries.length; applied++) {
        const partial = path.join(work, String(applied));
        cpSync(folder, partial, { recursive: true });
        const j = journal();
        writeFileSync(path.join(partial, "meta/_journal.json"), JSON.stringify({ ...j, entries: j.entries.slice(0, applied) }));
        const client = await PGlite.create("memory://");
        const db = drizzle(client);
        await migrate(db, { migrationsFolder: partial });
        await migrate(db, { migrationsFolder: folder });
        const { rows } = await client.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
        expect(rows[0]!.n, `upgrading from ${entries[applied - 1]!.tag}`).toBe(entries.length);
        // The last migration's table is there: nothing was skipped on the way.
        await client.query("select 1 from api_rate_windows limit 1");
        await client.query("select 1 from dashboard_daily limit 1");
        await client.close();
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);

  it("give every account a test space, and move the sandbox and what was paid through it there", async () => {
    const entries = journal().entries;
    const at = entries.findIndex((e) => e.tag.endsWith("_test_mode"));
    expect(at, "the test mode migration").toBeGreaterThan(0);
    const work = mkdtempSync(path.join(tmpdir(), "settle-test-mode-"));
    const client = await PGlite.create("memory://");
    try {
      cpSync(folder, work, { recursive: true });
      const j = journal();
      writeFileSync(path.join(work, "meta/_journal.json"), JSON.stringify({ ...j, entries: j.entries.slice(0, at) }));
      await migrate(drizzle(client), { migrationsFolder: work });
      // One merchant, before test mode: a sandbox and a bank account side by side; invoice 1 paid
      // through the sandbox (with its link, event and delivery), invoice 2 paid by the bank, unpaid 3.
      await client.exec(`
        insert into merchants (id, name) values ('mer_a', 'A');
        insert into payment_services (id, merchant_id, kind, name) values ('svc_sbx', 'mer_a', 'sandbox', 'Sandbox'), ('svc_bank', 'mer_a', 'bank_transfer', 'Bank');
        insert into invoices (id, merchant_id, number, currency, amount, paid_amount, payment_status, customer_name) values
          ('inv_1', 'mer_a', 1, 'VND', 1000, 1000, 'paid', 'One'),
          ('inv_2', 'mer_a', 2, 'VND', 2000, 2000, 'paid', 'Two'),
          ('inv_3', 'mer_a', 3, 'VND', 3000, 0, 'unpaid', 'Three');
        insert into payment_links (id, merchant_id, invoice_id, code, service_ids, currency, amount, expires_at) values
          ('pl_1', 'mer_a', 'inv_1', 'AAAAAAAA', '{svc_sbx,svc_bank}', 'VND', 1000, now() + interval '1 day'),
          ('pl_3', 'mer_a', 'inv_3', 'CCCCCCCC', '{svc_bank}', 'VND', 3000, now() + interval '1 day');
        insert into payments (id, merchant_id, invoice_id, payment_link_id, service_id, provider_ref, amount, currency, method, status) values
          ('pay_1', 'mer_a', 'inv_1', 'pl_1', 'svc_sbx', 'sbx_1', 1000, 'VND', 'bank_transfer', 'succeeded'),
          ('pay_2', 'mer_a', 'inv_2', null, 'svc_bank', 'FT1', 2000, 'VND', 'bank_transfer', 'succeeded');
        insert into events (id, merchant_id, type, invoice_id, data) values
          ('evt_1', 'mer_a', 'invoice.paid', 'inv_1', '{"invoice":{"id":"inv_1"}}'),
          ('evt_2', 'mer_a', 'invoice.paid', 'inv_2', '{"invoice":{"id":"inv_2"}}');
        insert into webhook_endpoints (id, merchant_id, url, secret) values ('we_1', 'mer_a', 'https://hooks.example.com/', 'whsec_x');
        insert into webhook_deliveries (id, merchant_id, event_id, endpoint_id, message_id, event_type) values
          ('dlv_1', 'mer_a', 'evt_1', 'we_1', 'msg_1', 'invoice.paid'),
          ('dlv_2', 'mer_a', 'evt_2', 'we_1', 'msg_2', 'invoice.paid');
        insert into merchant_counters (merchant_id, invoice_seq, unpaid_count, paid_count) values ('mer_a', 3, 1, 2);
      `);

      await migrate(drizzle(client), { migrationsFolder: folder });

      const one = async <T>(q: string) => (await client.query<T>(q)).rows;
      const [space] = await one<{ id: string; livemode: boolean; name: string }>("select id, livemode, name from merchants where live_merchant_id = 'mer_a'");
      expect(space).toMatchObject({ livemode: false, name: "A" });
      const owner = async (table: string) =>
        Object.fromEntries((await one<{ id: string; m: string }>(`select id, merchant_id as m from ${table} order by id`)).map((r) => [r.id, r.m === "mer_a" ? "live" : "test"]));
      expect(await owner("payment_services")).toEqual({ svc_bank: "live", svc_sbx: "test" });
      expect(await owner("invoices")).toEqual({ inv_1: "test", inv_2: "live", inv_3: "live" });
      expect(await owner("payment_links")).toEqual({ pl_1: "test", pl_3: "live" });
      expect(await owner("payments")).toEqual({ pay_1: "test", pay_2: "live" });
      expect(await owner("events")).toEqual({ evt_1: "test", evt_2: "live" });
      // The sandbox event's delivery went to a live endpoint, which test mode does not share: it is gone.
      expect(await owner("webhook_deliveries")).toEqual({ dlv_2: "live" });
      expect((await one<{ data: { livemode?: boolean } }>("select data from events where id = 'evt_1'"))[0]!.data.livemode).toBe(false);
      // Counters and rollups counted again per space; the live numbering never reuses a number.
      const counters = await one<{ m: string; seq: number; unpaid: number; paid: number }>(
        "select merchant_id as m, invoice_seq as seq, unpaid_count as unpaid, paid_count as paid from merchant_counters order by merchant_id = 'mer_a' desc",
      );
      expect(counters).toEqual([
        { m: "mer_a", seq: 3, unpaid: 1, paid: 1 },
        { m: space!.id, seq: 1, unpaid: 0, paid: 1 },
      ]);
      const collected = await one<{ m: string; c: string }>("select merchant_id as m, sum(collected)::text as c from dashboard_daily group by merchant_id order by merchant_id = 'mer_a' desc");
      expect(collected).toEqual([
        { m: "mer_a", c: "2000" },
        { m: space!.id, c: "1000" },
      ]);
      // From now on Postgres keeps the sandbox out of live spaces.
      await expect(client.query("update payment_services set merchant_id = 'mer_a' where id = 'svc_sbx'")).rejects.toThrow(/only in test mode/);
    } finally {
      await client.close();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("revoke the API keys whose maker left (or was lowered) before that revoked them, audit-logged", async () => {
    const entries = journal().entries;
    const fix = entries.findIndex((e) => e.tag.endsWith("_sessions_and_orphan_keys"));
    expect(fix, "the migration with the orphaned-keys fix").toBeGreaterThan(0);
    const work = mkdtempSync(path.join(tmpdir(), "settle-orphan-keys-"));
    const client = await PGlite.create("memory://");
    try {
      // A database as it was before the fix, with keys made before removing a member revoked them.
      cpSync(folder, work, { recursive: true });
      const j = journal();
      writeFileSync(path.join(work, "meta/_journal.json"), JSON.stringify({ ...j, entries: j.entries.slice(0, fix) }));
      await migrate(drizzle(client), { migrationsFolder: work });
      await client.exec(`
        insert into merchants (id, name) values ('mer_a', 'A'), ('mer_b', 'B');
        insert into users (id, email, name) values
          ('usr_stays', 'stays@x.test', 'Stays'), ('usr_left', 'left@x.test', 'Left'), ('usr_lowered', 'lowered@x.test', 'Lowered');
        insert into memberships (id, merchant_id, user_id, role) values
          ('mem_1', 'mer_a', 'usr_stays', 'owner'),
          ('mem_2', 'mer_a', 'usr_lowered', 'support'),
          ('mem_3', 'mer_b', 'usr_left', 'admin');
        insert into api_keys (id, merchant_id, name, client_id, prefix, secret_hash, secret_sealed, created_by, role, revoked_at) values
          ('key_owner', 'mer_a', 'Owner''s', 'ck_1', 'sk_1', 'h1', 's1', 'usr_stays', 'admin', null),
          ('key_left', 'mer_a', 'Left''s', 'ck_2', 'sk_2', 'h2', 's2', 'usr_left', 'admin', null),
          ('key_left_old', 'mer_a', 'Left''s old', 'ck_3', 'sk_3', 'h3', 's3', 'usr_left', 'viewer', '2026-01-01T00:00:00Z'),
          ('key_left_in_b', 'mer_b', 'Left''s in B', 'ck_4', 'sk_4', 'h4', 's4', 'usr_left', 'admin', null),
          ('key_lowered_admin', 'mer_a', 'Lowered full', 'ck_5', 'sk_5', 'h5', 's5', 'usr_lowered', 'admin', null),
          ('key_lowered_support', 'mer_a', 'Lowered support', 'ck_6', 'sk_6', 'h6', 's6', 'usr_lowered', 'support', null);
      `);

      await migrate(drizzle(client), { migrationsFolder: folder });

      const { rows: keys } = await client.query<{ id: string; revoked: boolean; revoked_at: Date | null }>(
        "select id, revoked_at is not null as revoked, revoked_at from api_keys order by id",
      );
      expect(Object.fromEntries(keys.map((k) => [k.id, k.revoked]))).toEqual({
        key_owner: false,
        key_left: true,
        key_left_old: true,
        key_left_in_b: false,
        key_lowered_admin: true,
        key_lowered_support: false,
      });
      // A key revoked long ago keeps its date.
      expect(keys.find((k) => k.id === "key_left_old")!.revoked_at!.toISOString()).toBe("2026-01-01T00:00:00.000Z");
      const { rows: audit } = await client.query<{ merchant_id: string; actor_user_id: string | null; action: string; target_id: string; after: { reason: string } }>(
        "select merchant_id, actor_user_id, action, target_id, after from audit_log order by target_id",
      );
      expect(audit).toEqual([
        { merchant_id: "mer_a", actor_user_id: null, action: "api_key.revoked", target_id: "key_left", after: expect.objectContaining({ revoked: true, reason: "maker removed" }) },
        { merchant_id: "mer_a", actor_user_id: null, action: "api_key.revoked", target_id: "key_lowered_admin", after: expect.objectContaining({ reason: "maker's role lowered to support" }) },
      ]);
    } finally {
      await client.close();
      rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);
});
