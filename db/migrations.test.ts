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
});
