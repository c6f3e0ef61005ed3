import { and, eq, sql } from "drizzle-orm";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import * as voidRoute from "@/app/api/v1/invoices/[id]/void/route";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import { apiIdempotencyKeys, invoices } from "@/db/schema";
import { beginIdempotent, deleteExpiredIdempotencyKeys, fingerprintOf, holdIdempotent, IDEMPOTENCY_LEASE_MS } from "@/lib/api/idempotency";
import { call, type Credentials, makeApiKey, useApiTestDb } from "@/test/api";
import { onServerPostgres } from "@/test/db";
import { makeMerchant } from "@/test/factories";

const { db, handle } = useApiTestDb();
let creds: Credentials;
let merchantId: string;

beforeAll(async () => {
  const m = await makeMerchant(db());
  merchantId = m.merchant.id;
  creds = await makeApiKey(db(), m.ownerActor);
});

const invoice = (name: string) => ({ currency: "USD", items: [{ name, unit_price: 1000, quantity: 1 }], customer: { name: "Ada" } });
const countOf = async (name: string) =>
  (await db().select({ n: sql<number>`count(*)::int` }).from(invoices).where(and(eq(invoices.merchantId, merchantId), eq(invoices.customerName, "Ada"), eq(invoices.description, name))))[0]!.n;
const post = (key: string, body: unknown, handler = invoicesRoute.POST, path = "/invoices") =>
  call(handler, path, creds, { body, headers: { "idempotency-key": key } });
const withDescription = (name: string) => ({ ...invoice(name), description: name });

describe("Idempotency-Key", () => {
  it("replays the first response for the same key and body, and runs it once", async () => {
    const first = await post("k-replay", withDescription("replay"));
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const second = await post("k-replay", withDescription("replay"));
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.text).toBe(first.text);
    expect(await countOf("replay")).toBe(1);
  });

  it("the same key with another body, or on another path, is a conflict", async () => {
    await post("k-conflict", withDescription("conflict"));
    const other = await post("k-conflict", withDescription("conflict-2"));
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe("idempotency_conflict");
    const otherPath = await post("k-conflict", {}, voidRoute.POST, "/invoices/inv_x/void");
    expect(otherPath.json.error.code).toBe("idempotency_conflict");
    expect(await countOf("conflict-2")).toBe(0);
  });

  it("a request that fails validation stores nothing: the key stays free", async () => {
    const bad = await post("k-invalid", { ...withDescription("later"), currency: "XYZ" });
    expect(bad.status).toBe(422);
    const stored = await db().select().from(apiIdempotencyKeys).where(eq(apiIdempotencyKeys.key, "k-invalid"));
    expect(stored).toEqual([]);
    const good = await post("k-invalid", withDescription("later"));
    expect(good.status).toBe(201);
    expect(good.headers.get("idempotent-replayed")).toBeNull();
  });

  it("a refusal after the work started (409) is the answer, and is replayed", async () => {
    const created = await post("k-inv", withDescription("to-void"));
    expect((await post("k-void-1", {}, voidRoute.POST, `/invoices/${created.json.id}/void`)).status).toBe(200);
    const refused = await post("k-void-2", {}, voidRoute.POST, `/invoices/${created.json.id}/void`);
    expect(refused.status).toBe(409);
    const replayed = await post("k-void-2", {}, voidRoute.POST, `/invoices/${created.json.id}/void`);
    expect(replayed.status).toBe(409);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
  });

  it("a key still running answers in_progress; an abandoned run or an expired key runs again", async () => {
    const body = JSON.stringify(withDescription("stuck"));
    const fingerprint = fingerprintOf("POST", "/api/v1/invoices", body);
    const now = Date.now();
    await db().insert(apiIdempotencyKeys).values({
      merchantId,
      key: "k-running",
      fingerprint,
      lockedUntil: new Date(now + 60_000),
      expiresAt: new Date(now + 86_400_000),
    });
    const busy = await call(invoicesRoute.POST, "/invoices", creds, { raw: body, headers: { "idempotency-key": "k-running" } });
    expect(busy.status).toBe(409);
    expect(busy.json.error.code).toBe("idempotency_in_progress");

    await db().update(apiIdempotencyKeys).set({ lockedUntil: new Date(now - 1) }).where(eq(apiIdempotencyKeys.key, "k-running"));
    const taken = await call(invoicesRoute.POST, "/invoices", creds, { raw: body, headers: { "idempotency-key": "k-running" } });
    expect(taken.status).toBe(201);
    expect(await countOf("stuck")).toBe(1);

    await db().update(apiIdempotencyKeys).set({ expiresAt: new Date(now - 1) }).where(eq(apiIdempotencyKeys.key, "k-running"));
    const fresh = await post("k-running", withDescription("stuck-2"));
    expect(fresh.status).toBe(201);
    expect(await countOf("stuck-2")).toBe(1);
  });

  it("a request whose process died frees its key within seconds; a running request keeps it by renewing", async () => {
    const ref = { merchantId, key: "k-crash", fingerprint: fingerprintOf("POST", "/api/v1/invoices", "{}") };
    expect(await beginIdempotent(db(), ref)).toEqual({ execute: true });
    const [row] = await db().select().from(apiIdempotencyKeys).where(eq(apiIdempotencyKeys.key, "k-crash"));
    // Nothing renews it (the process is gone): the retry runs within seconds, not a minute.
    expect(row!.lockedUntil.getTime() - Date.now()).toBeLessThanOrEqual(IDEMPOTENCY_LEASE_MS);
    expect(IDEMPOTENCY_LEASE_MS).toBeLessThanOrEqual(10_000);

    const short = { ...ref, key: "k-long-request" };
    expect(await beginIdempotent(db(), short, new Date(), 300)).toEqual({ execute: true });
    const release = holdIdempotent(db(), short, 300);
    await new Promise((r) => setTimeout(r, 800));
    // Past its first lease, the running request still owns the key.
    await expect(beginIdempotent(db(), short, new Date(), 300)).rejects.toMatchObject({ code: "idempotency_in_progress" });
    release();
    await new Promise((r) => setTimeout(r, 400));
    expect(await beginIdempotent(db(), short, new Date(), 300)).toEqual({ execute: true });
  });

  it("refuses keys that are too long or not visible ASCII", async () => {
    const long = await post("k".repeat(256), withDescription("long"));
    expect(long.status).toBe(400);
    expect(long.json.error.fields).toHaveProperty("Idempotency-Key");
    expect((await post("k".repeat(255), withDescription("long"))).status).toBe(201);
    expect((await post("clé", withDescription("long"))).status).toBe(400);
  });

  it("expired keys are swept", async () => {
    await db().insert(apiIdempotencyKeys).values({ merchantId, key: "k-old", fingerprint: "x", lockedUntil: new Date(0), expiresAt: new Date(1000) });
    expect(await deleteExpiredIdempotencyKeys(db())).toBeGreaterThanOrEqual(1);
    expect(await db().select().from(apiIdempotencyKeys).where(eq(apiIdempotencyKeys.key, "k-old"))).toEqual([]);
  });
});

if (!onServerPostgres()) console.info("concurrent Idempotency-Key test skipped: it needs several connections, server Postgres (set DATABASE_URL)");

describe.runIf(onServerPostgres())("concurrent requests with one key (server Postgres)", () => {
  it("exactly one executes; the rest are in progress or replayed", async () => {
    // Hold the merchant's invoice counter from another connection, so the one
    // request that runs is stuck inside its work while the others arrive.
    const blocker = new pg.Client({ connectionString: handle().url });
    await blocker.connect();
    await blocker.query("begin");
    await blocker.query("select * from merchant_counters where merchant_id = $1 for update", [merchantId]);
    const results = Promise.all(Array.from({ length: 20 }, () => post("k-race", withDescription("race"))));
    await new Promise((r) => setTimeout(r, 500));
    await blocker.query("commit");
    await blocker.end();
    const all = await results;
    const executed = all.filter((r) => r.status === 201 && !r.headers.get("idempotent-replayed"));
    const inProgress = all.filter((r) => r.status === 409 && r.json.error.code === "idempotency_in_progress");
    const replayed = all.filter((r) => r.headers.get("idempotent-replayed") === "true");
    expect(executed).toHaveLength(1);
    expect(inProgress.length).toBeGreaterThan(0);
    expect(executed.length + inProgress.length + replayed.length).toBe(20);
    expect(await countOf("race")).toBe(1);
    const again = await post("k-race", withDescription("race"));
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json.id).toBe(executed[0]!.json.id);
  });
});
