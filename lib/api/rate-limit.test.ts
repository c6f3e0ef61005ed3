// The limit this file's route handlers read (lib/env caches it at the first request).
process.env.API_RATE_LIMIT_PER_SECOND = "5";

import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import { openDb } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { apiRateWindows } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { call, makeApiKey, useApiTestDb } from "@/test/api";
import { onServerPostgres } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { revokeApiKey } from "@/lib/api-keys/keys";
import { admitRequest, deleteOldRateWindows } from "./rate-limit";

const { db, handle } = useApiTestDb();

const refused = (p: Promise<unknown>) =>
  p.then(
    () => false,
    (err: unknown) => (err instanceof AppError && err.code === "rate_limited" ? true : Promise.reject(err)),
  );

describe("API rate limit", () => {
  it("answers 429 with Retry-After past the key's requests per second, then lets the next second through; another key is not affected", async () => {
    const { ownerActor } = await makeMerchant(db());
    const key = await makeApiKey(db(), ownerActor);
    const other = await makeApiKey(db(), ownerActor, "Other key");
    // Start at the top of a second so all seven land in one window.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 7; i++) {
      last = await call(invoicesRoute.GET, "/invoices", key);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(last!.headers.get("retry-after")).toBe("1");
    expect(last!.json.error.code).toBe("rate_limited");
    expect(last!.json.error.message).toMatch(/5 requests a second/);
    expect((await call(invoicesRoute.GET, "/invoices", other)).status).toBe(200);

    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 10));
    expect((await call(invoicesRoute.GET, "/invoices", key)).status).toBe(200);
  });

  it("counts in Postgres: exactly the limit of many concurrent requests pass; old windows are swept", async () => {
    const { ownerActor } = await makeMerchant(db());
    const key = await makeApiKey(db(), ownerActor);
    const at = new Date("2030-01-01T10:00:00.250Z");
    const results = await Promise.all(Array.from({ length: 40 }, () => refused(admitRequest(db(), key.keyId, 12, at))));
    expect(results.filter((r) => !r)).toHaveLength(12);
    // The next second starts again.
    expect(await refused(admitRequest(db(), key.keyId, 12, new Date("2030-01-01T10:00:01.000Z")))).toBe(false);
    // A minute later, the first second is swept and the second is kept.
    expect(await deleteOldRateWindows(db(), new Date("2030-01-01T10:01:00.500Z"))).toBeGreaterThan(0);
    const left = await db().select().from(apiRateWindows).where(eq(apiRateWindows.keyId, key.keyId));
    expect(left.map((w) => [w.windowStart.toISOString(), w.count])).toEqual([["2030-01-01T10:00:01.000Z", 1]]);
  });

  it("admits only live keys, limited or not, and counts nothing for a revoked one", async () => {
    const { ownerActor } = await makeMerchant(db());
    const key = await makeApiKey(db(), ownerActor);
    const at = new Date("2030-01-02T10:00:00.000Z");
    expect(await admitRequest(db(), key.keyId, 10, at)).toBe(true);
    expect(await admitRequest(db(), key.keyId, 0, at)).toBe(true);
    await revokeApiKey(db(), ownerActor, { keyId: key.keyId });
    expect(await admitRequest(db(), key.keyId, 10, at)).toBe(false);
    expect(await admitRequest(db(), key.keyId, 0, at)).toBe(false);
    expect(await admitRequest(db(), "key_nobody", 10, at)).toBe(false);
    const windows = await db().select().from(apiRateWindows).where(eq(apiRateWindows.keyId, key.keyId));
    expect(windows.map((w) => w.count)).toEqual([1]);
  });

  it("counts in Postgres's second, not the server's: instances whose clocks differ share one window", async () => {
    const { ownerActor } = await makeMerchant(db());
    const key = await makeApiKey(db(), ownerActor);
    // This server's clock is an hour ahead of Postgres's (PGlite runs in this process and reads its clock).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3_600_000 });
    let databaseNow: number;
    try {
      await admitRequest(db(), key.keyId, 10);
      databaseNow = Number(rowsOf(await db().execute(sql`select (extract(epoch from now()) * 1000)::float8 as ms`))[0]!.ms);
    } finally {
      vi.useRealTimers();
    }
    const [window] = await db().select().from(apiRateWindows).where(eq(apiRateWindows.keyId, key.keyId));
    expect(window!.windowStart.getMilliseconds()).toBe(0);
    expect(Math.abs(window!.windowStart.getTime() - databaseNow)).toBeLessThan(2_000);
  });

  it("admits a signed write's signature once, with the limit off or on; again only with the Idempotency-Key it first came with", async () => {
    const { ownerActor } = await makeMerchant(db());
    const key = await makeApiKey(db(), ownerActor);
    for (const limit of [0, 10]) {
      const signature = `sig-${limit}`;
      expect(await admitRequest(db(), key.keyId, limit, undefined, { signature, idempotencyKey: null })).toBe(true);
      expect(await admitRequest(db(), key.keyId, limit, undefined, { signature, idempotencyKey: null })).toBe(false);
      expect(await admitRequest(db(), key.keyId, limit, undefined, { signature, idempotencyKey: "k" })).toBe(false);
      const keyed = `sig-keyed-${limit}`;
      expect(await admitRequest(db(), key.keyId, limit, undefined, { signature: keyed, idempotencyKey: "k" })).toBe(true);
      expect(await admitRequest(db(), key.keyId, limit, undefined, { signature: keyed, idempotencyKey: "k" })).toBe(true);
      expect(await admitRequest(db(), key.keyId, limit, undefined, { signature: keyed, idempotencyKey: "other" })).toBe(false);
      expect(await admitRequest(db(), key.keyId, limit, undefined, { signature: keyed, idempotencyKey: null })).toBe(false);
    }
  });

  it.runIf(onServerPostgres())("is shared by instances: two connection pools (as two servers) together pass exactly the limit", async () => {
    const { ownerActor } = await makeMerchant(db());
    const key = await makeApiKey(db(), ownerActor);
    const second = await openDb({ url: handle().url!, driver: "pg" });
    try {
      const at = new Date("2026-11-24T11:00:00.000Z");
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => refused(admitRequest(i % 2 ? second.db : db(), key.keyId, 25, at))),
      );
      expect(results.filter((r) => !r)).toHaveLength(25);
    } finally {
      await second.close();
    }
  });
});

if (!onServerPostgres()) console.info("[rate-limit.test] the two-pool test needs server Postgres (set DATABASE_URL).");
