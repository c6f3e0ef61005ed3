import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import journal from "@/db/migrations/meta/_journal.json";
import { useTestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { writeTestEvents } from "@/test/webhook-events";
import { checkHealth, pendingMigrations } from "./health";
import { rowsOf } from "@/db/rows";
import { createEndpoint } from "./webhooks/endpoints";

const { db } = useTestDb();
const lastTag = journal.entries.at(-1)!.tag;
const limit = { maxLagSeconds: 300 };

describe("health check", () => {
  afterEach(async () => {
    await db().execute(sql`update webhook_deliveries set next_attempt_at = null`);
  });

  it("a migrated database with nothing due is healthy, with its figures", async () => {
    const report = await checkHealth(async () => db(), limit);
    expect(report.status).toBe("ok");
    expect(report.reasons).toEqual([]);
    expect(report.database.reachable).toBe(true);
    expect(report.migrations).toEqual({ current: true, applied: journal.entries.length, expected: journal.entries.length, pending: [] });
    expect(report.webhooks).toEqual({ due: 0, oldestDueSeconds: 0, maxLagSeconds: 300 });
  });

  it("an unapplied migration makes it unavailable and names the migration", async () => {
    const [last] = rowsOf(
      await db().execute(sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations) returning hash, created_at`),
    );
    try {
      const report = await checkHealth(async () => db(), limit);
      expect(report.status).toBe("unavailable");
      expect(report.migrations).toMatchObject({ current: false, applied: journal.entries.length - 1, pending: [lastTag] });
      expect(report.reasons).toEqual([`migrations pending: ${lastTag} (run npm run db:migrate)`]);
    } finally {
      await db().execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${String(last!.hash)}, ${String(last!.created_at)})`);
    }
    expect((await checkHealth(async () => db(), limit)).status).toBe("ok");
  });

  it("a long-overdue delivery makes it unavailable; one due within the limit, or due later, does not", async () => {
    const m = await makeMerchant(db());
    await createEndpoint(db(), m.ownerActor, { url: "http://127.0.0.1:9/hooks", allEvents: true, enabled: true });
    await writeTestEvents(db(), m.merchant.id, 3);
    const now = new Date();
    const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
    const ids = rowsOf(await db().execute(sql`select id from webhook_deliveries where merchant_id = ${m.merchant.id} order by id`)).map((r) => String(r.id));
    const dueAt = async (id: string, at: string) => db().execute(sql`update webhook_deliveries set next_attempt_at = ${at}::timestamptz where id = ${id}`);

    await dueAt(ids[0]!, ago(60));
    await dueAt(ids[1]!, ago(-3600)); // an hour from now: a retry waiting its turn, not lag
    await dueAt(ids[2]!, ago(-3600));
    let report = await checkHealth(async () => db(), { ...limit, now });
    expect(report.status).toBe("ok");
    expect(report.webhooks).toEqual({ due: 1, oldestDueSeconds: 60, maxLagSeconds: 300 });

    await dueAt(ids[2]!, ago(2 * 3600));
    report = await checkHealth(async () => db(), { ...limit, now });
    expect(report.status).toBe("unavailable");
    expect(report.webhooks).toEqual({ due: 2, oldestDueSeconds: 7200, maxLagSeconds: 300 });
    expect(report.reasons).toEqual(["webhook dispatch lagging: oldest due delivery waiting 7200s (limit 300s)"]);
    // An operator who expects a slower cron can say so.
    expect((await checkHealth(async () => db(), { maxLagSeconds: 3 * 3600, now })).status).toBe("ok");
  });

  it("a database that is gone, or does not answer in time, is unavailable and the reply says no more than that", async () => {
    const gone = await openDb({ driver: "pglite", pgliteDir: "memory://" });
    await gone.close();
    const report = await checkHealth(async () => gone.db, limit);
    expect(report).toMatchObject({ status: "unavailable", reasons: ["database unreachable"], database: { reachable: false }, migrations: null, webhooks: null });
    expect(JSON.stringify(report)).not.toMatch(/pglite|closed|error|stack/i);

    const silent = await checkHealth(() => new Promise(() => {}), { ...limit, timeoutMs: 50 });
    expect(silent).toMatchObject({ status: "unavailable", reasons: ["database unreachable"] });
  });

  it("pending follows drizzle's rule: whatever is newer than the last applied migration", () => {
    const entries = [
      { tag: "0000_a", when: 1 },
      { tag: "0001_b", when: 2 },
      { tag: "0002_c", when: 3 },
    ];
    expect(pendingMigrations(entries, [])).toEqual(["0000_a", "0001_b", "0002_c"]);
    expect(pendingMigrations(entries, [1, 2])).toEqual(["0002_c"]);
    expect(pendingMigrations(entries, [1, 2, 3])).toEqual([]);
    // A newer instance already migrated further: this build's schema is there.
    expect(pendingMigrations(entries, [1, 2, 3, 4])).toEqual([]);
  });
});
