import { type ChildProcess, spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, onServerPostgres, type TestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { writeTestEvents } from "@/test/webhook-events";
import { type Receiver, startReceiver } from "@/test/webhook-receiver";
import { rowsOf } from "@/db/rows";
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

  it("kill -9 mid-way, start again: every event delivered; duplicates at most the deliveries in flight at the kill", async () => {
    const total = 5000;
    const m = await merchantWithEndpoint({ behave: (_r, res) => void setTimeout(() => res.writeHead(200).end("ok"), 100) });
    await writeTestEvents(handle.db, m.merchant.id, total, "invoice.created", 500);
    const env = { WEBHOOKS_LEASE_MS: "3000", WEBHOOKS_BATCH_SIZE: "100", WEBHOOKS_WORKERS: "4" };

    const first = dispatcher(env);
    await until(async () => receiver!.received.length >= 1500, 60_000);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    // Claimed and not recorded: the batches that were in flight when it died.
    const inFlight = await count("lease_id is not null");
    const doneAtKill = await count("status = 'succeeded'");
    expect(doneAtKill).toBeLessThan(total);

    dispatcher(env);
    await until(async () => (await count("status = 'succeeded'")) === total, 120_000);

    const ids = receiver!.received.map((r) => r.id);
    const distinct = new Set(ids);
    expect(distinct.size).toBe(total);
    const duplicates = ids.length - distinct.size;
    console.info(`[crash] received ${ids.length}, distinct ${distinct.size}, duplicates ${duplicates}, in flight at kill ${inFlight}`);
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    expect(await count("lease_id is not null or next_attempt_at is not null")).toBe(0);
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
