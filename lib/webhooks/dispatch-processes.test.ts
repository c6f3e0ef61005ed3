import { type ChildProcess, spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, onServerPostgres, type TestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { writeTestEvents } from "@/test/webhook-events";
import { type Receiver, startReceiver } from "@/test/webhook-receiver";
import { rowsOf } from "@/db/rows";
import { getDeliveryDetail } from "./deliveries";
import { createEndpoint } from "./endpoints";

/** Dispatchers as real processes on server Postgres: killed with SIGKILL, and two at once. */
describe.runIf(onServerPostgres())("dispatcher processes on server Postgres", () => {
  let handle: TestDb;
  const children: ChildProcess[] = [];
  let receiver: Receiver | undefined;

  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
    await receiver?.close();
  });
  afterAll(() => handle.close());

  function dispatcher(env: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/webhooks/dispatch-cli.ts"], {
      env: { ...process.env, DATABASE_URL: handle.url!, WEBHOOKS_ALLOW_PRIVATE: "true", DATABASE_POOL_MAX: "4", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(child);
    return child;
  }

  let merchantId = "";
  const count = async (where: string) =>
    Number(
      rowsOf(
        await handle.db.execute(
          sql`select count(*)::int as n from webhook_deliveries where merchant_id = ${merchantId} and ${sql.raw(where)}`,
        ),
      )[0]!.n,
    );

  async function until(check: () => Promise<boolean>, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("timed out waiting");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function merchantWithEndpoint(behave: Parameters<typeof startReceiver>[0]) {
    receiver = await startReceiver(behave);
    const m = await makeMerchant(handle.db);
    await createEndpoint(handle.db, m.ownerActor, { url: receiver.url, allEvents: true, enabled: true });
    merchantId = m.merchant.id;
    return m;
  }

  const deadlocks = async () =>
    Number(rowsOf(await handle.db.execute(sql`select deadlocks::int as n from pg_stat_database where datname = current_database()`))[0]!.n);

  it("kill -9 mid-way: the sends in flight stay in the log as interrupted and go out again within seconds, labelled", async () => {
    const total = 3000;
    const m = await merchantWithEndpoint({ behave: (_r, res) => void setTimeout(() => res.writeHead(200).end("ok"), 100) });
    await writeTestEvents(handle.db, m.merchant.id, total, "invoice.created", 500);

    const first = dispatcher();
    await until(async () => receiver!.received.length >= 800, 60_000);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const killedAt = Date.now();
    // Claimed and not recorded: the sends that were in flight when it died. Each is in the log as an attempt with no result.
    const inFlight = await count("lease_id is not null");
    expect(inFlight).toBeGreaterThan(0);
    const [held] = rowsOf(await handle.db.execute(sql`select id from webhook_deliveries where merchant_id = ${merchantId} and lease_id is not null limit 1`));
    const detail = await getDeliveryDetail(handle.db, { merchantId, id: String(held!.id) });
    expect(detail!.attemptList.at(-1)).toMatchObject({ outcome: "pending" });
    expect(await count("status = 'succeeded'")).toBeLessThan(total);

    dispatcher();
    await until(async () => (await count("status = 'succeeded'")) === total, 120_000);

    const ids = receiver!.received.map((r) => r.id);
    const distinct = new Set(ids);
    expect(distinct.size).toBe(total);
    const duplicates = ids.length - distinct.size;
    console.info(`[crash] received ${ids.length}, distinct ${distinct.size}, duplicates ${duplicates}, in flight at kill ${inFlight}`);
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    expect(await count("lease_id is not null or next_attempt_at is not null")).toBe(0);
    // The leases were short: what the dead process held went out again within seconds, not after a minute.
    const arrivals = new Map<string, number[]>();
    for (const r of receiver!.received) arrivals.set(r.id, [...(arrivals.get(r.id) ?? []), r.at]);
    for (const times of arrivals.values()) if (times.length > 1) expect(Math.max(...times) - killedAt).toBeLessThan(15_000);
    // Every interrupted send is in the log, labelled, followed by the attempt that delivered it.
    const log = rowsOf(
      await handle.db.execute(sql`
        select d.attempts, a.id, a.outcome, a.error from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
        where a.merchant_id = ${merchantId} order by a.delivery_id, a.started_at`),
    );
    const interrupted = log.filter((a) => a.outcome === "pending");
    expect(interrupted).toHaveLength(inFlight);
    for (const a of interrupted) expect(String(a.error)).toMatch(/interrupted/i);
    // Ids like every other attempt's (a prefix and a ULID), each its own.
    for (const a of interrupted) expect(String(a.id)).toMatch(/^att_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(interrupted.map((a) => a.id)).size).toBe(inFlight);
    expect(log.filter((a) => a.outcome === "succeeded")).toHaveLength(total);
    expect(await count("attempts <> 1 and attempts <> 2")).toBe(0);
    expect(await count("attempts = 2")).toBe(inFlight);
  }, 240_000);

  it("three dispatchers, a backlog due at once across endpoints: no deadlock, no delivery sent twice, every attempt logged", async () => {
    const events = 200;
    const endpoints = 50;
    receiver = await startReceiver({});
    const m = await makeMerchant(handle.db);
    for (let i = 0; i < endpoints; i++) {
      await createEndpoint(handle.db, m.ownerActor, { url: `${receiver.url}?endpoint=${i}`, allEvents: true, enabled: true });
    }
    merchantId = m.merchant.id;
    // All due at once before any dispatcher runs, in no particular order of endpoints, as after a bulk
    // retry or a receiver coming back: each claim holds the endpoints in an order of its own.
    await writeTestEvents(handle.db, m.merchant.id, events, "invoice.created", 100);
    await handle.db.execute(
      sql`update webhook_deliveries set next_attempt_at = now() - random() * interval '10 seconds' where merchant_id = ${merchantId}`,
    );
    const total = events * endpoints;
    const deadlocksBefore = await deadlocks();
    dispatcher();
    dispatcher();
    dispatcher();
    await until(async () => (await count("status = 'succeeded'")) === total, 120_000);
    // Anything sent twice would come from a lease that ran out: give one the time to.
    await new Promise((r) => setTimeout(r, 2000));

    const sends = receiver.received.map((r) => `${r.path} ${r.id}`);
    expect(new Set(sends).size).toBe(total);
    expect(sends).toHaveLength(total);
    expect(await deadlocks()).toBe(deadlocksBefore);
    const attempts = rowsOf(await handle.db.execute(sql`select count(*)::int as n from webhook_attempts where merchant_id = ${merchantId}`))[0]!.n;
    expect(attempts).toBe(total);
  }, 240_000);

  it("two dispatchers, 10,000 events: none lost, none sent twice", async () => {
    const total = 10_000;
    const m = await merchantWithEndpoint({});
    let t = Date.now();
    await writeTestEvents(handle.db, m.merchant.id, total, "invoice.created", 1000);
    console.info(`[two dispatchers] wrote ${total} events in ${Date.now() - t} ms`);
    t = Date.now();
    dispatcher();
    dispatcher();
    await until(async () => (await count("status = 'succeeded'")) === total, 180_000);
    console.info(`[two dispatchers] delivered ${total} in ${Date.now() - t} ms`);
    const ids = receiver!.received.map((r) => r.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(await count("attempts <> 1")).toBe(0);
    const attempts = rowsOf(await handle.db.execute(sql`select count(*)::int as n from webhook_attempts where merchant_id = ${merchantId}`))[0]!.n;
    expect(attempts).toBe(total);
  }, 240_000);
});

if (!onServerPostgres()) {
  console.info("[webhooks/dispatch-processes.test] crash and two-dispatcher tests need server Postgres: set DATABASE_URL to run them.");
}
