import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNeonWsProxy } from "@/test/neon-ws-proxy";
import { createTestDb, onServerPostgres, type TestDb } from "@/test/db";
import { type DbHandle, driverFor, openDb } from "./client";
import { merchants } from "./schema";

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

describe("embedded PGlite", () => {
  it("applies migrations and runs transactions", async () => {
    const handle = await openDb({ driver: "pglite", pgliteDir: "memory://" });
    await handle.migrate();
    await commitsAndRollsBack(handle);
    await handle.close();
  });
});

describe.runIf(onServerPostgres())("server Postgres drivers", () => {
  let base: TestDb;
  beforeAll(async () => {
    base = await createTestDb();
  });
  afterAll(() => base.close());

  it("pg: transactions commit and roll back", async () => {
    await commitsAndRollsBack(base);
    await base.db.delete(merchants);
  });

  it("neon serverless: a WebSocket Pool through a ws-to-TCP proxy runs real transactions", async () => {
    const proxy = await startNeonWsProxy();
    const neon = await openDb({ url: base.url!, driver: "neon", neonWsProxy: proxy.address });
    try {
      expect(neon.driver).toBe("neon");
      await neon.migrate(); // already applied: must be a no-op, under the advisory lock
      await commitsAndRollsBack(neon);
    } finally {
      await neon.close();
      await proxy.close();
    }
  });
});

if (!onServerPostgres()) {
  console.info("[db/client.test] pg and Neon driver tests need server Postgres: set DATABASE_URL to run them.");
}
