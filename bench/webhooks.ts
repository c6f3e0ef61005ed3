/**
 * npm run bench:webhooks — the webhook engine against a local receiver, on
 * server Postgres (DATABASE_URL; the bench makes and drops a database of its own).
 *
 * 1. Throughput: 20,000 events due at once; the dispatcher claims, sends and
 *    records them (every attempt row committed). Beside it, a bare undici POST
 *    loop to the same receiver at the same concurrency, and pg-boss doing the
 *    same job (bench/webhooks/peer.ts), best of a few settings.
 * 2. Latency: events written through the domain's writeEvent (fan-out in the
 *    transaction, then a poke) at 200 events/s; event→first-attempt p50/p99.
 * 3. Isolation: one endpoint hangs until the 10 s timeout, another answers at
 *    once, ~30 events/s to both; the healthy one's event→arrival p99.
 * 4. Double sends: three dispatcher processes, 10,000 deliveries (500 events
 *    to 20 endpoints) due at once in scattered order; requests the receiver
 *    got beyond one per (endpoint, webhook-id).
 * The last line is one JSON object with the figures.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import pg from "pg";
import { Agent, request } from "undici";
import { openDb } from "@/db/client";
import { transaction } from "@/db/transaction";
import { createMerchant, createUser } from "@/lib/accounts/users";
import { invoicePayload, writeEvent } from "@/lib/invoices/events";
import { rowsOf } from "@/db/rows";
import { Dispatcher } from "@/lib/webhooks/dispatcher";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { createSender } from "@/lib/webhooks/http";
import { setPokeHandler } from "@/lib/webhooks/poke";
import { dropDatabaseWhenIdle } from "@/test/pg-admin";
import { postgresCpu } from "./cpu";
import { peerPerSecond } from "./webhooks/peer";
import { startBenchReceiver } from "./webhooks/receiver";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
// The bare loop's requests at once (as the old engine's 4 batches of 100); the engine runs with its defaults unless told.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 400);
const ENGINE_BATCH = process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined;
const ENGINE_CONCURRENCY = process.env.BENCH_ENGINE_CONCURRENCY ? Number(process.env.BENCH_ENGINE_CONCURRENCY) : undefined;
const RATE = 200;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const ISOLATION_SECONDS = Number(process.env.BENCH_ISOLATION_SECONDS ?? 10);
const ISOLATION_RATE = 30;

const sampleInvoice = {
  id: "inv_01jbench",
  merchantId: "mer_x",
  number: 42,
  referenceId: "ORDER-1042",
  currency: "USD",
  amount: 125_000,
  paidAmount: 125_000,
  paymentStatus: "paid",
  status: "open",
  needsReview: false,
  customerName: "Nguyen Van A",
  customerEmail: "a@example.com",
  customerPhone: "+84 90 000 0000",
  customerAddress: "1 Bench Street, Hanoi",
  description: "Three items, delivered",
  dueDate: "2026-12-31",
  metadata: { channel: "web", cart: "c_123" },
  createdAt: new Date(),
  voidedAt: null,
  searchText: "",
} as unknown as Parameters<typeof invoicePayload>[0];
const payload = { invoice: invoicePayload(sampleInvoice) };

const fmt = (n: number) => n.toLocaleString("en", { maximumFractionDigits: 1 });

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("bench:webhooks needs server Postgres: set DATABASE_URL (it creates and drops its own database).");
  const name = `settle_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString(), driver: "pg" });
  const receiver = await startBenchReceiver();
  const hooksUrl = receiver.url("/hooks");
  try {
    await handle.migrate();
    const db = handle.db;
    const user = await createUser(db, { email: "bench@example.test", name: "Bench", password: "bench-password" });
    const merchant = await createMerchant(db, { name: "Bench", ownerId: user.id });
    const actor = { userId: user.id, merchantId: merchant.testId, accountId: merchant.id, livemode: false, role: "owner" as const };
    await createEndpoint(db, actor, { url: hooksUrl, allEvents: true, enabled: true });
    const body = JSON.stringify({ type: "invoice.paid", timestamp: new Date().toISOString(), data: payload });
    console.log(`database ${name}; receiver ${hooksUrl}; body ${body.length} bytes; bare loop ${CONCURRENCY} requests at once; engine with its defaults`);

    // 1a. The bare loop: undici POSTs, CONCURRENCY at a time, nothing recorded.
    const agent = new Agent({ keepAliveTimeout: 10_000, connections: CONCURRENCY });
    let next = 0;
    const bareCpu0 = process.cpuUsage();
    const bareStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < EVENTS) {
          const res = await request(hooksUrl, { method: "POST", dispatcher: agent, headers: { "content-type": "application/json" }, body });
          await res.body.dump();
        }
      }),
    );
    const bareSeconds = (performance.now() - bareStart) / 1000;
    const bareCpu = process.cpuUsage(bareCpu0);
    await agent.close();
    const barePerS = EVENTS / bareSeconds;
    console.log(
      `bare undici loop: ${EVENTS} POSTs in ${bareSeconds.toFixed(2)} s = ${fmt(barePerS)}/s; ` +
        `CPU ${((bareCpu.user + bareCpu.system) / 1000 / EVENTS).toFixed(3)} ms per POST (loop and receiver)`,
    );

    // 1b. The engine: EVENTS events with their deliveries, all due, then drained.
    const seedStart = performance.now();
    await db.execute(sql`
      insert into events (id, merchant_id, type, data)
      select 'evt_bench' || lpad(g::text, 8, '0'), ${merchant.testId}, 'invoice.paid', ${JSON.stringify(payload)}::jsonb
      from generate_series(1, ${EVENTS}) g`);
    await db.execute(sql`
      insert into webhook_deliveries (id, merchant_id, event_id, endpoint_id, message_id, event_type, next_attempt_at)
      select 'dlv_bench' || lpad(g::text, 8, '0'), ${merchant.testId}, 'evt_bench' || lpad(g::text, 8, '0'),
        (select id from webhook_endpoints limit 1), 'msg_bench' || lpad(g::text, 8, '0'), 'invoice.paid', now()
      from generate_series(1, ${EVENTS}) g`);
    await db.execute(sql`analyze`);
    console.log(`seeded ${EVENTS} events and deliveries in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const sender = createSender({ allowPrivate: true, connections: CONCURRENCY });
    let recorded = 0;
    let allRecorded!: () => void;
    const drainedAll = new Promise<void>((r) => (allRecorded = r));
    const dispatcher = new Dispatcher({
      db,
      sender,
      batchSize: ENGINE_BATCH,
      driver: "pg",
      concurrency: ENGINE_CONCURRENCY,
      sweepMs: 200,
      onRecorded: (n) => {
        recorded += n;
        if (recorded >= EVENTS) allRecorded();
      },
    });
    const before = await receiver.count();
    const postgres = await postgresCpu(admin);
    const pgCpu0 = postgres.ms();
    const nodeCpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const runStart = performance.now();
    dispatcher.start();
    await drainedAll;
    const runSeconds = (performance.now() - runStart) / 1000;
    const nodeCpu = process.cpuUsage(nodeCpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const pgCpuMs = postgres.ms() - pgCpu0;
    const [check] = rowsOf(
      await db.execute(sql`select
        (select count(*)::int from webhook_deliveries where status = 'succeeded') as succeeded,
        (select count(*)::int from webhook_attempts where outcome = 'succeeded') as attempts`),
    );
    if (check!.succeeded !== EVENTS || check!.attempts !== EVENTS) {
      throw new Error(`expected ${EVENTS} delivered and recorded, got ${JSON.stringify(check)}`);
    }
    const deliveriesPerS = EVENTS / runSeconds;
    const st = dispatcher.stats();
    console.log(
      `  ${st.claims} claims (${(st.claimed / st.claims).toFixed(1)} each, ${(st.claimMs / st.claims).toFixed(1)} ms), ` +
        `${st.recordStatements} records (${(st.claimed / st.recordStatements).toFixed(1)} each, ${(st.recordMs / st.recordStatements).toFixed(1)} ms)`,
    );
    // The process's CPU includes the receiver's thread, as the bare loop's figure above does.
    console.log(
      `  CPU per delivery: ${((nodeCpu.user + nodeCpu.system) / 1000 / EVENTS).toFixed(3)} ms in this process (dispatcher and receiver), ` +
        `${(pgCpuMs / EVENTS).toFixed(3)} ms in Postgres; the dispatcher's event loop busy ${(elu.utilization * 100).toFixed(0)}% of the time`,
    );
    console.log(
      `engine: ${EVENTS} deliveries claimed, sent and recorded in ${runSeconds.toFixed(2)} s = ${fmt(deliveriesPerS)}/s (receiver saw ${(await receiver.count()) - before})`,
    );

    // Throughput only, for quick comparisons while working on the engine.
    if (process.env.BENCH_QUICK) {
      await dispatcher.stop();
      await sender.close();
      return;
    }

    // 2. Latency at RATE events/s, through writeEvent (fan-out + poke) and the running loop.
    setPokeHandler(() => dispatcher.poke());
    const total = RATE * LATENCY_SECONDS;
    const latencyStart = performance.now();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = latencyStart + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      writes.push(
        transaction(db, async (tx) => {
          await writeEvent(tx, { merchantId: merchant.testId, type: "invoice.paid", invoiceId: null, data: payload });
        }),
      );
    }
    await Promise.all(writes);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [row] = rowsOf(await db.execute(sql`select count(*)::int as n from webhook_deliveries where status = 'pending'`));
      if (row!.n === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await dispatcher.stop();
    setPokeHandler(undefined);
    await sender.close();
    const [lat] = rowsOf(
      await db.execute(sql`
        select count(*)::int as n,
          percentile_cont(0.5) within group (order by ms) as p50,
          percentile_cont(0.99) within group (order by ms) as p99
        from (
          select extract(epoch from (min(a.started_at) - e.created_at)) * 1000 as ms
          from webhook_deliveries d
          join events e on e.id = d.event_id
          join webhook_attempts a on a.delivery_id = d.id
          where e.id not like 'evt_bench%'
          group by d.id, e.created_at
        ) t`),
    );
    const p50 = Number(lat!.p50);
    const p99 = Number(lat!.p99);
    console.log(`latency at ${RATE} events/s: ${lat!.n} of ${total} events attempted; event→first attempt p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);

    const isolationP99 = await isolation(db, actor, receiver);
    const doubleSends = await threeDispatchers(db, url.toString(), receiver);
    console.log(`pg-boss (same receiver and database, each attempt written to a table):`);
    const peer = await peerPerSecond({ url: url.toString(), receiverUrl: hooksUrl, body, jobs: EVENTS });
    console.log(`pg-boss best: ${fmt(peer.perS)}/s (${peer.setting})`);

    const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
    console.log(
      JSON.stringify({
        bench: "webhooks",
        deliveries_per_s: round(deliveriesPerS),
        bare_per_s: round(barePerS),
        ratio: round(deliveriesPerS / barePerS, 3),
        p50_ms: round(p50),
        p99_ms: round(p99),
        peer_per_s: round(peer.perS),
        ratio_vs_peer: round(deliveriesPerS / peer.perS, 3),
        isolation_p99_ms: round(isolationP99),
        double_sends: doubleSends,
      }),
    );
  } finally {
    await receiver.stop();
    await handle.close();
    await dropDatabaseWhenIdle(admin, name);
    await admin.end();
  }
}

type Db = Awaited<ReturnType<typeof openDb>>["db"];
type Actor = { userId: string; merchantId: string; role: "owner" };
type Receiver = Awaited<ReturnType<typeof startBenchReceiver>>;

/** 3. A hanging endpoint beside a healthy one, ~30 events/s to both: the healthy one's event→arrival p99. */
async function isolation(db: Db, owner: Actor, receiver: Receiver): Promise<number> {
  const user = await createUser(db, { email: "isolation@example.test", name: "Isolation", password: "bench-password" });
  const merchant = await createMerchant(db, { name: "Isolation", ownerId: user.id });
  const actor = { ...owner, userId: user.id, merchantId: merchant.testId, accountId: merchant.id, livemode: false };
  await createEndpoint(db, actor, { url: receiver.url("/hang"), allEvents: true, enabled: true });
  await createEndpoint(db, actor, { url: receiver.url("/healthy"), allEvents: true, enabled: true });
  const sender = createSender({ allowPrivate: true });
  const dispatcher = new Dispatcher({ db, driver: "pg", sender });
  dispatcher.start();
  setPokeHandler(() => dispatcher.poke());
  const total = ISOLATION_RATE * ISOLATION_SECONDS;
  const start = performance.now();
  const writes: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / ISOLATION_RATE - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    writes.push(transaction(db, (tx) => writeEvent(tx, { merchantId: merchant.testId, type: "invoice.paid", invoiceId: null, data: payload }).then(() => {})));
  }
  await Promise.all(writes);
  const deadline = Date.now() + 15_000;
  while ((await receiver.arrivals()).length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  setPokeHandler(undefined);
  // Nothing more for the hanging endpoint; what it holds ends at its timeout.
  await db.execute(sql`update webhook_deliveries set next_attempt_at = null where merchant_id = ${merchant.testId}`);
  await dispatcher.stop();
  await sender.close();
  const created = new Map(
    rowsOf(await db.execute(sql`select d.message_id, extract(epoch from e.created_at) * 1000 as ms from events e join webhook_deliveries d on d.event_id = e.id where e.merchant_id = ${merchant.testId}`)).map(
      (r) => [String(r.message_id), Number(r.ms)] as const,
    ),
  );
  const latencies = (await receiver.arrivals()).filter(([id]) => created.has(id)).map(([id, at]) => at - created.get(id)!).sort((a, b) => a - b);
  // Anything that never arrived counts as the whole wait.
  while (latencies.length < total) latencies.push(15_000);
  const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
  console.log(`isolation: healthy endpoint beside one hanging at the 10 s timeout, ${ISOLATION_RATE} events/s: event→arrival p50 ${latencies[Math.floor(latencies.length / 2)]} ms, p99 ${p99} ms`);
  return p99;
}

/** 4. Three dispatcher processes on 10,000 deliveries due at once: requests beyond one per (endpoint, webhook-id). */
async function threeDispatchers(db: Db, url: string, receiver: Receiver): Promise<number> {
  const [owner] = rowsOf(await db.execute(sql`select id from users limit 1`));
  const merchant = await createMerchant(db, { name: "Backlog", ownerId: String(owner!.id) });
  const actor = { userId: String(owner!.id), merchantId: merchant.testId, accountId: merchant.id, livemode: false, role: "owner" as const };
  for (let i = 0; i < 20; i++) await createEndpoint(db, actor, { url: receiver.url(`/dup?endpoint=${i}`), allEvents: true, enabled: true });
  await db.execute(sql`
    insert into events (id, merchant_id, type, data)
    select 'evt_dup' || lpad(g::text, 8, '0'), ${merchant.testId}, 'invoice.paid', ${JSON.stringify(payload)}::jsonb
    from generate_series(1, 500) g`);
  await db.execute(sql`
    insert into webhook_deliveries (id, merchant_id, event_id, endpoint_id, message_id, event_type, next_attempt_at)
    select 'dlv_dup' || lpad(g::text, 8, '0') || ep.id, ${merchant.testId}, 'evt_dup' || lpad(g::text, 8, '0'), ep.id,
      'msg_dup' || lpad(g::text, 8, '0'), 'invoice.paid', now() - random() * interval '10 seconds'
    from generate_series(1, 500) g cross join webhook_endpoints ep where ep.merchant_id = ${merchant.testId}`);
  const children = Array.from({ length: 3 }, () =>
    spawn(process.execPath, ["--import", "tsx", "lib/webhooks/dispatch-cli.ts"], {
      env: { ...process.env, DATABASE_URL: url, WEBHOOKS_ALLOW_PRIVATE: "true", DATABASE_POOL_MAX: "4", LOG_LEVEL: "error" },
      stdio: ["ignore", "ignore", "inherit"],
    }),
  );
  const start = performance.now();
  const deadline = Date.now() + 180_000;
  for (;;) {
    const [row] = rowsOf(await db.execute(sql`select count(*)::int as n from webhook_deliveries where merchant_id = ${merchant.testId} and status = 'pending'`));
    if (row!.n === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - start) / 1000;
  // A lease that ran out would send again a few seconds later: give it the time to.
  await new Promise((r) => setTimeout(r, 3000));
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.once("exit", r) : r(null)))));
  const { total, distinct } = await receiver.sends();
  console.log(`three dispatchers: 10,000 deliveries due at once to 20 endpoints drained in ${seconds.toFixed(1)} s; ${total} requests, ${distinct} distinct, ${total - distinct} sent twice`);
  if (distinct < 10_000) throw new Error(`three dispatchers: only ${distinct} of 10,000 deliveries arrived`);
  return total - distinct;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
