/**
 * npm run bench:webhooks — the webhook engine against a local receiver, on
 * server Postgres (DATABASE_URL; the bench makes and drops a database of its own).
 *
 * 1. Throughput: 20,000 events due at once; the dispatcher claims, sends and
 *    records them in batches (every attempt row committed). Beside it, a bare
 *    undici POST loop to the same receiver at the same concurrency.
 * 2. Latency: events written through the domain's writeEvent (fan-out in the
 *    transaction, then a poke) at 200 events/s; event→first-attempt p50/p99.
 * The last line is one JSON object with the figures.
 */
import { randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";
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

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const CONCURRENCY = BATCH * WORKERS;
const RATE = 200;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);

/** The receiver runs on its own thread (the other core), answering 200 at once, as a fast merchant server would. */
function startReceiver(): Promise<{ url: string; count: () => Promise<number>; stop: () => Promise<void> }> {
  const worker = new Worker(
    `
    const http = require("node:http");
    const { parentPort } = require("node:worker_threads");
    let n = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => { n++; res.writeHead(200, { "content-type": "text/plain" }); res.end("ok"); });
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
    parentPort.on("message", (m) => {
      if (m === "count") parentPort.postMessage({ count: n });
      if (m === "stop") server.close(() => process.exit(0));
    });`,
    { eval: true },
  );
  return new Promise((resolve) => {
    worker.once("message", ({ port }: { port: number }) => {
      const count = () =>
        new Promise<number>((r) => {
          worker.once("message", (m: { count: number }) => r(m.count));
          worker.postMessage("count");
        });
      resolve({
        url: `http://127.0.0.1:${port}/hooks`,
        count,
        stop: async () => {
          worker.postMessage("stop");
          await new Promise((r) => worker.once("exit", r));
        },
      });
    });
  });
}

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
  const receiver = await startReceiver();
  try {
    await handle.migrate();
    const db = handle.db;
    const user = await createUser(db, { email: "bench@example.test", name: "Bench", password: "bench-password" });
    const merchant = await createMerchant(db, { name: "Bench", ownerId: user.id });
    const actor = { userId: user.id, merchantId: merchant.id, role: "owner" as const };
    await createEndpoint(db, actor, { url: receiver.url, allEvents: true, enabled: true });
    const body = JSON.stringify({ type: "invoice.paid", timestamp: new Date().toISOString(), data: payload });
    console.log(`database ${name}; receiver ${receiver.url}; body ${body.length} bytes; batch ${BATCH} × ${WORKERS} workers = ${CONCURRENCY} in flight`);

    // 1a. The bare loop: undici POSTs, CONCURRENCY at a time, nothing recorded.
    const agent = new Agent({ keepAliveTimeout: 10_000, connections: CONCURRENCY });
    let next = 0;
    const bareStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < EVENTS) {
          const res = await request(receiver.url, { method: "POST", dispatcher: agent, headers: { "content-type": "application/json" }, body });
          await res.body.dump();
        }
      }),
    );
    const bareSeconds = (performance.now() - bareStart) / 1000;
    await agent.close();
    const barePerS = EVENTS / bareSeconds;
    console.log(`bare undici loop: ${EVENTS} POSTs in ${bareSeconds.toFixed(2)} s = ${fmt(barePerS)}/s`);

    // 1b. The engine: EVENTS events with their deliveries, all due, then drained.
    const seedStart = performance.now();
    await db.execute(sql`
      insert into events (id, merchant_id, type, data)
      select 'evt_bench' || lpad(g::text, 8, '0'), ${merchant.id}, 'invoice.paid', ${JSON.stringify(payload)}::jsonb
      from generate_series(1, ${EVENTS}) g`);
    await db.execute(sql`
      insert into webhook_deliveries (id, merchant_id, event_id, endpoint_id, message_id, event_type, next_attempt_at)
      select 'dlv_bench' || lpad(g::text, 8, '0'), ${merchant.id}, 'evt_bench' || lpad(g::text, 8, '0'),
        (select id from webhook_endpoints limit 1), 'msg_bench' || lpad(g::text, 8, '0'), 'invoice.paid', now()
      from generate_series(1, ${EVENTS}) g`);
    await db.execute(sql`analyze`);
    console.log(`seeded ${EVENTS} events and deliveries in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const sender = createSender({ allowPrivate: true, connections: CONCURRENCY });
    const dispatcher = new Dispatcher({ db, sender, batchSize: BATCH, concurrency: CONCURRENCY, sweepMs: 200 });
    const before = await receiver.count();
    const runStart = performance.now();
    const drained = await Promise.all(Array.from({ length: WORKERS }, () => dispatcher.drain()));
    const runSeconds = (performance.now() - runStart) / 1000;
    const delivered = drained.reduce((a, b) => a + b, 0);
    const [check] = rowsOf(
      await db.execute(sql`select
        (select count(*)::int from webhook_deliveries where status = 'succeeded') as succeeded,
        (select count(*)::int from webhook_attempts) as attempts`),
    );
    if (delivered !== EVENTS || check!.succeeded !== EVENTS || check!.attempts !== EVENTS) {
      throw new Error(`expected ${EVENTS} delivered and recorded, got ${delivered} / ${JSON.stringify(check)}`);
    }
    const deliveriesPerS = EVENTS / runSeconds;
    console.log(
      `engine: ${EVENTS} deliveries claimed, sent and recorded in ${runSeconds.toFixed(2)} s = ${fmt(deliveriesPerS)}/s (receiver saw ${(await receiver.count()) - before})`,
    );

    // 2. Latency at RATE events/s, through writeEvent (fan-out + poke) and the running loop.
    dispatcher.start();
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
          await writeEvent(tx, { merchantId: merchant.id, type: "invoice.paid", invoiceId: null, data: payload });
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

    const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
    console.log(
      JSON.stringify({
        bench: "webhooks",
        deliveries_per_s: round(deliveriesPerS),
        bare_per_s: round(barePerS),
        ratio: round(deliveriesPerS / barePerS, 3),
        p50_ms: round(p50),
        p99_ms: round(p99),
      }),
    );
  } finally {
    await receiver.stop();
    await handle.close();
    await dropDatabaseWhenIdle(admin, name);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
