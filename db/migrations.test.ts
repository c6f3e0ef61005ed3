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
  }, 120_000);

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
