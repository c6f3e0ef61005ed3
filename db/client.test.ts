import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNeonWsProxy } from "@/test/neon-ws-proxy";
import { createTestDb, onServerPostgres, type TestDb } from "@/test/db";
import { type DbHandle, driverFor, openDb } from "./client";
import { auditLog, events, merchants, users } from "./schema";
import { afterCommit, foldWrites, queueAppend, queueWrite, sendAll, transaction } from "./transaction";

describe("driverFor", () => {
  it("picks PGlite without a URL, Neon for Neon hosts and pg otherwise", () => {
    expect(driverFor(undefined)).toBe("pglite");
    expect(driverFor("postgres://u:p@ep-cool-1234.eu-central-1.aws.neon.tech/db")).toBe("neon");
    expect(driverFor("postgres://postgres@127.0.0.1:5432/settle")).toBe("pg");
  });
});

async function commitsAndRollsBack(handle: DbHandle) {
  const { db } = handle;
  await db.transaction(async (tx) => {
    await tx.insert(merchants).values({ id: "mer_commit", name: "Committed" });
  });
  await expect(
    db.transaction(async (tx) => {
      await tx.insert(merchants).values({ id: "mer_rollback", name: "Rolled back" });
      throw new Error("boom");
    }),
  ).rejects.toThrow("boom");
  const rows = await db.select().from(merchants).where(eq(merchants.id, "mer_commit"));
  expect(rows.map((r) => r.name)).toEqual(["Committed"]);
  expect(await db.select().from(merchants).where(eq(merchants.id, "mer_rollback"))).toEqual([]);
}

/**
 * db/transaction.ts on a driver: statements sent back to back run in the order
 * given; queued writes land at the end, in order; a nested call joins; a
 * failure anywhere leaves nothing and the connection usable.
 */
async function queuesAndPipelines(handle: DbHandle) {
  const { db } = handle;
  const name = (id: string) => db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, id)).then((r) => r[0]?.name);

  const seen = await transaction(db, async (tx) => {
    // Queued first, so it runs after everything sent directly: it renames what they wrote.
    await queueWrite(tx, merchants, tx.update(merchants).set({ name: "Renamed at commit" }).where(eq(merchants.id, "mer_q1")));
    const [, [updated], [read]] = await sendAll([
      () => tx.insert(merchants).values({ id: "mer_q1", name: "First" }),
      () => tx.update(merchants).set({ name: "Second" }).where(eq(merchants.id, "mer_q1")).returning({ name: merchants.name }),
      () => tx.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, "mer_q1")),
    ] as const);
    // Joined, not a savepoint: its queued write goes out with the outer commit.
    await transaction(tx, async (inner) => {
      await queueWrite(inner, merchants, inner.insert(merchants).values({ id: "mer_q2", name: "Nested" }));
    });
    // Nothing queued is written yet.
    expect(await tx.select().from(merchants).where(eq(merchants.id, "mer_q2"))).toEqual([]);
    return [updated!.name, read!.name];
  });
  expect(seen).toEqual(["Second", "Second"]);
  expect(await name("mer_q1")).toBe("Renamed at commit");
  expect(await name("mer_q2")).toBe("Nested");

  // A failing statement in the middle of a batch: the error is the first failure, nothing is kept.
  await expect(
    transaction(db, async (tx) => {
      await queueWrite(tx, merchants, tx.insert(merchants).values({ id: "mer_q3", name: "Queued" }));
      await sendAll([
        () => tx.insert(merchants).values({ id: "mer_q4", name: "Before" }),
        () => tx.insert(merchants).values({ id: "mer_q1", name: "Duplicate key" }),
        () => tx.insert(merchants).values({ id: "mer_q5", name: "After" }),
      ]);
    }),
  ).rejects.toThrow(/merchants_pkey|duplicate key|Failed query/);
  // …and a failing queued write (it goes out with the COMMIT) rolls back what was sent directly,
  // is the error thrown, and runs no after-commit hook.
  let hooked = false;
  await expect(
    transaction(db, async (tx) => {
      afterCommit(tx, () => (hooked = true));
      await tx.insert(merchants).values({ id: "mer_q6", name: "Direct" });
      await queueWrite(tx, merchants, tx.insert(merchants).values({ id: "mer_q1", name: "Duplicate key" }));
      await queueWrite(tx, merchants, tx.insert(merchants).values({ id: "mer_q9", name: "Queued after" }));
    }),
  ).rejects.toThrow(/merchants_pkey|duplicate key|Failed query/);
  expect(hooked).toBe(false);
  for (const id of ["mer_q3", "mer_q4", "mer_q5", "mer_q6", "mer_q9"]) expect(await name(id)).toBeUndefined();
  // The connection went back to the pool clean: the next transaction commits.
  await transaction(db, async (tx) => {
    afterCommit(tx, () => (hooked = true));
    await queueWrite(tx, merchants, tx.insert(merchants).values({ id: "mer_q9", name: "Queued after" }));
  });
  expect(hooked).toBe(true);
  expect(await name("mer_q9")).toBe("Queued after");

  // A transaction that has ended takes no more writes and cannot be joined: nothing is dropped silently.
  let ended: typeof db | undefined;
  await transaction(db, async (tx) => {
    ended = tx;
  });
  await expect(queueWrite(ended!, merchants, ended!.insert(merchants).values({ id: "mer_q8", name: "Late" }))).rejects.toThrow(/already ended/);
  await expect(transaction(ended!, async () => undefined)).rejects.toThrow(/already ended/);
  expect(await name("mer_q8")).toBeUndefined();

  // Neighbouring queued writes share a statement where that changes nothing: each table is written
  // once in it, so rows keep the order they were queued in (an event's seq); it holds one change at
  // most, so changes take their locks in the order queued and two changes of one row both apply; and
  // a row may come with an entry naming it (foreign keys are checked at the statement's end).
  await transaction(db, async (tx) => {
    const merchant = (id: string, n: string) => tx.insert(merchants).values({ id, name: n });
    const event = (id: string) => tx.insert(events).values({ id, merchantId: "mer_f1", type: "invoice.created", invoiceId: null, data: {} });
    const suffix = (s: string) => tx.update(merchants).set({ name: sql`${merchants.name} || ${s}` }).where(eq(merchants.id, "mer_f1"));
    const audit = tx.insert(auditLog).values({ id: "aud_f1", merchantId: "mer_f1", actorUserId: null, action: "a", targetType: "t", targetId: "x" });
    const queued = [
      { table: merchants, statement: merchant("mer_f1", "Folded"), append: true },
      { table: events, statement: event("evt_f1"), append: true },
      { table: auditLog, statement: audit, append: true },
      { table: events, statement: event("evt_f2"), append: true },
      { table: merchants, statement: merchant("mer_f2", "Folded too"), append: true },
      { table: merchants, statement: suffix(" once"), append: false },
      { table: users, statement: tx.update(users).set({ name: "Nobody" }).where(eq(users.id, "usr_none")), append: false },
      { table: merchants, statement: suffix(" twice"), append: false },
    ];
    // [f1, evt_f1, audit] [evt_f2, f2] [once] [users] [twice]
    expect(foldWrites(tx, queued)).toHaveLength(5);
    for (const q of queued) await (q.append ? queueAppend : queueWrite)(tx, q.table, q.statement);
  });
  expect(await name("mer_f1")).toBe("Folded once twice");
  expect(await name("mer_f2")).toBe("Folded too");
  expect(await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.merchantId, "mer_f1"))).toEqual([{ id: "aud_f1" }]);
  const seqs = await db.select({ id: events.id }).from(events).where(eq(events.merchantId, "mer_f1")).orderBy(events.seq);
  expect(seqs.map((e) => e.id)).toEqual(["evt_f1", "evt_f2"]);

  // Outside a transaction, a queued write is simply written.
  await queueWrite(db, merchants, db.insert(merchants).values({ id: "mer_q7", name: "Now" }));
  expect(await name("mer_q7")).toBe("Now");
}

describe("embedded PGlite", () => {
  it("applies migrations and runs transactions", async () => {
    const handle = await openDb({ driver: "pglite", pgliteDir: "memory://" });
    await handle.migrate();
    await commitsAndRollsBack(handle);
    await queuesAndPipelines(handle);
    await handle.close();
  });
});

describe.runIf(onServerPostgres())("server Postgres drivers", () => {
  let base: TestDb;
  beforeAll(async () => {
    base = await createTestDb();
  });
  afterAll(() => base.close());

  it("pg: transactions commit and roll back; pipelined and queued writes keep their order", async () => {
    await commitsAndRollsBack(base);
    await queuesAndPipelines(base);
    await base.db.delete(merchants);
  });

  it("neon serverless: a WebSocket Pool through a ws-to-TCP proxy runs real transactions", async () => {
    const proxy = await startNeonWsProxy();
    const neon = await openDb({ url: base.url!, driver: "neon", neonWsProxy: proxy.address });
    try {
      expect(neon.driver).toBe("neon");
      await neon.migrate(); // already applied: must be a no-op, under the advisory lock
      await base.db.delete(merchants);
      await commitsAndRollsBack(neon);
      await queuesAndPipelines(neon);
    } finally {
      await neon.close();
      await proxy.close();
    }
  });
});

if (!onServerPostgres()) {
  console.info("[db/client.test] pg and Neon driver tests need server Postgres: set DATABASE_URL to run them.");
}
