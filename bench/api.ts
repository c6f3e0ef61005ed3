/**
 * npm run bench:api — the REST API under load, against the framework's own floor.
 *
 * Builds the app if there is no build (`--build` forces one, `--no-build` never),
 * makes a fresh database on server Postgres (DATABASE_URL; dropped at the end),
 * starts `next start` on it, and runs autocannon with 16 connections, 20 s per target, at:
 *   - GET /api/v1/ping: static JSON from a route handler of the same app (the baseline);
 *   - POST /api/v1/ping and GET /api/v1/ping/{id}: the floors (lib/api/floor.ts), what the
 *     framework costs to read the same body, or a path parameter, with no database;
 *   - POST /api/v1/payments: a Finan-style payment request, each one freshly signed
 *     (x-client-id / x-timestamp / x-signature) with its own Idempotency-Key and reference;
 *   - GET /api/v1/invoices/{id}: an invoice with its lines and payments, signed.
 * Before timing, a first server talks to Postgres through a counting relay (bench/pg-tap.ts)
 * and 20 requests of each endpoint, one at a time, give the statements and round trips
 * per request, listed statement by statement.
 * The machine is shared, so each target's 20 s are taken as 4 interleaved rounds of 5 s
 * (baseline, floor, POST, …): a neighbour's burst hits them all alike. Besides req/s and
 * p50 / p99 it prints the CPU each request cost (the server's processes and
 * Postgres's), which the neighbours disturb far less than req/s.
 * The last line is one JSON object.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import autocannon from "autocannon";
import pg from "pg";
import { openDb } from "@/db/client";
import { signedHeaders } from "@/lib/api/auth";
import { createApiKey } from "@/lib/api-keys/keys";
import { createMerchant, createUser } from "@/lib/accounts/users";
import { createInvoice } from "@/lib/invoices/create";
import { recordManualPayment } from "@/lib/payments/manual";
import { dropDatabaseWhenIdle } from "@/test/pg-admin";
import { cpuMs, postgresCpu } from "./cpu";
import { startPgTap } from "./pg-tap";

const PORT = Number(process.env.BENCH_PORT ?? 3290);
const BASE = `http://127.0.0.1:${PORT}`;
const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = 4;
const WARMUP_SECONDS = 3;

interface Round {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  cpuMs: number;
  dbCpuMs: number;
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${BASE}/api/v1/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("next start did not come up");
}

/** One autocannon run, with the CPU the server and the database spent meanwhile. */
async function run(request: autocannon.Request, seconds: number, cpu: { all: () => number; db: () => number }): Promise<Round> {
  const before = cpu.all();
  const dbBefore = cpu.db();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url: BASE, connections: CONNECTIONS, duration: seconds, requests: [request] }, (err, r) => (err ? reject(err) : resolve(r)));
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuMs: cpu.all() - before,
    dbCpuMs: cpu.db() - dbBefore,
  };
}

type Figures = ReturnType<typeof combine>;

/** The rounds of one target together: req/s over the whole time; latencies weighted by requests. */
function combine(rounds: Round[]) {
  const requests = rounds.reduce((a, r) => a + r.requests, 0);
  const weighted = (k: "p50" | "p99") => rounds.reduce((a, r) => a + r[k] * r.requests, 0) / requests;
  return {
    rps: requests / rounds.reduce((a, r) => a + r.seconds, 0),
    p50: Math.round(weighted("p50")),
    p99: Math.round(weighted("p99")),
    non2xx: rounds.reduce((a, r) => a + r.non2xx, 0),
    errors: rounds.reduce((a, r) => a + r.errors, 0),
    cpuPerRequest: rounds.reduce((a, r) => a + r.cpuMs, 0) / requests,
    dbCpuPerRequest: rounds.reduce((a, r) => a + r.dbCpuMs, 0) / requests,
  };
}

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("bench:api needs server Postgres: set DATABASE_URL (it creates and drops its own database).");
  const wantBuild = process.argv.includes("--build") || (!process.argv.includes("--no-build") && !existsSync(".next/BUILD_ID"));
  if (wantBuild) {
    const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const name = `settle_bench_api_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const encryptionKey = randomBytes(32).toString("base64");
  process.env.SETTLE_ENCRYPTION_KEY = encryptionKey;
  let server: ReturnType<typeof spawn> | undefined;
  let stopServer = async (_s: ReturnType<typeof spawn> | undefined) => {};
  try {
    const handle = await openDb({ url: url.toString(), driver: "pg" });
    await handle.migrate();
    const user = await createUser(handle.db, { email: "bench@example.test", name: "Bench", password: "bench-password" });
    const merchant = await createMerchant(handle.db, { name: "Bench Store", ownerId: user.id });
    const actor = { userId: user.id, merchantId: merchant.testId, accountId: merchant.id, livemode: false, role: "owner" as const };
    const { key, secret } = await createApiKey(handle.db, actor, { name: "Bench" });
    const credentials = { clientId: key.clientId, secret };
    const invoice = await createInvoice(handle.db, actor, {
      currency: "VND",
      items: [
        { name: "So Ban Hang Pro 3 Nam", unitPrice: 3_000_000, quantity: 2 },
        { name: "Phi cai dat", unitPrice: 500_000, quantity: 1 },
      ],
      customer: { name: "Nguyen Van A", email: "a@example.com" },
      referenceId: "BENCH-1",
    });
    await recordManualPayment(handle.db, actor, { invoiceId: invoice.id, amount: "2000000", method: "bank_transfer" });
    await handle.close();

    const startServer = (databaseUrl: string) => {
      const startArgs = ["start", "-H", "127.0.0.1", "-p", String(PORT)];
      // BENCH_PROFILE_DIR=/tmp/prof: the server writes a V8 CPU profile there when it stops.
      const profileDir = process.env.BENCH_PROFILE_DIR;
      const [command, args] = profileDir
        ? [process.execPath, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "node_modules/next/dist/bin/next", ...startArgs]]
        : ["npx", ["next", ...startArgs]];
      return spawn(command, args, {
        env: {
          ...process.env,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          APP_URL: `http://127.0.0.1:${PORT}`,
          DATABASE_URL: databaseUrl,
          AUTH_SECRET: "bench-secret-bench-secret-bench-secret-000",
          SETTLE_ENCRYPTION_KEY: encryptionKey,
          // High enough never to refuse: the limiter's upsert runs on every request, as in production.
          API_RATE_LIMIT_PER_SECOND: "1000000",
          // The floor routes (app/api/v1/ping/…): the framework's own cost of a body and of a path parameter.
          SETTLE_BENCH_ROUTES: "1",
        },
        stdio: "ignore",
        detached: true,
      });
    };
    stopServer = async (s: ReturnType<typeof spawn> | undefined) => {
      // Only the server this script started: its own process group.
      if (!s?.pid) return;
      try {
        process.kill(-s.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 1000));
    };

    let n = 0;
    const postPayment: autocannon.Request = {
      method: "POST",
      path: "/api/v1/payments",
      setupRequest: (req) => {
        n++;
        const body = JSON.stringify({
          items: [{ name: "Ao dai, size M", price: 450_000, quantity: 2, amount: 900_000 }],
          customer: { name: "Tran Thi Lan", email: "lan@example.vn" },
          payment_method: "bank_transfer",
          amount: 900_000,
          description: "don hang",
          reference_id: `B-${process.pid}-${n}`,
        });
        return {
          ...req,
          body,
          headers: {
            "content-type": "application/json",
            ...signedHeaders(credentials, { method: "POST", pathWithQuery: "/api/v1/payments", body }),
            "idempotency-key": `bench-${process.pid}-${n}`,
          },
        };
      },
    };
    const getPath = `/api/v1/invoices/${invoice.id}`;
    const getInvoice: autocannon.Request = {
      method: "GET",
      path: getPath,
      setupRequest: (req) => ({ ...req, headers: signedHeaders(credentials, { method: "GET", pathWithQuery: getPath }) }),
    };
    const baselineRequest: autocannon.Request = { method: "GET", path: "/api/v1/ping" };
    // The floors: the same framework work as each endpoint (a body read and parsed, a path parameter) and no database.
    const postFloor: autocannon.Request = {
      method: "POST",
      path: "/api/v1/ping",
      setupRequest: (req) => {
        const built = (postPayment.setupRequest as (req: autocannon.Request) => autocannon.Request)({ ...postPayment });
        return { ...req, body: built.body, headers: built.headers };
      },
    };
    const getFloor: autocannon.Request = {
      method: "GET",
      path: `/api/v1/ping/${invoice.id}`,
      setupRequest: (req) => ({ ...req, headers: signedHeaders(credentials, { method: "GET", pathWithQuery: getPath }) }),
    };
    const sendOnce = (r: autocannon.Request) => {
      const setup = r.setupRequest as ((req: autocannon.Request) => autocannon.Request) | undefined;
      const built = setup ? setup({ ...r }) : r;
      return fetch(`${BASE}${built.path}`, { method: built.method, headers: built.headers as Record<string, string>, body: built.body as string | undefined });
    };

    // Statements and round trips per request, counted by a relay in front of Postgres
    // (bench/pg-tap.ts), one request at a time after a few to warm the caches.
    const pgUrl = new URL(base);
    const tap = await startPgTap({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
    const tapped = new URL(url);
    tapped.host = `127.0.0.1:${tap.port}`;
    server = startServer(tapped.toString());
    await waitForServer();
    // Check each answers as it should before counting and timing it.
    for (const [label, r, status] of [
      ["ping", baselineRequest, 200],
      ["POST ping", postFloor, 200],
      ["GET ping/{id}", getFloor, 200],
      ["POST /payments", postPayment, 201],
      ["GET /invoices/{id}", getInvoice, 200],
    ] as const) {
      const res = await sendOnce(r);
      if (res.status !== status) throw new Error(`${label} answered ${res.status}: ${await res.text()}`);
    }
    const COUNTED = 20;
    const count = async (r: autocannon.Request) => {
      for (let i = 0; i < 5; i++) await (await sendOnce(r)).arrayBuffer();
      tap.reset();
      for (let i = 0; i < COUNTED; i++) await (await sendOnce(r)).arrayBuffer();
      const c = tap.counts();
      return { statements: c.statements / COUNTED, roundTrips: c.roundTrips / COUNTED, texts: c.texts };
    };
    const postCount = await count(postPayment);
    const getCount = await count(getInvoice);
    await stopServer(server);
    await tap.close();
    for (const [label, c] of [
      ["POST /api/v1/payments", postCount],
      ["GET /api/v1/invoices/{id}", getCount],
    ] as const) {
      console.log(`${label}: ${c.statements} statements in ${c.roundTrips} round trips per request`);
      for (const [text, times] of c.texts) console.log(`  ${String(times / COUNTED).padStart(4)} × ${text.length > 150 ? `${text.slice(0, 147)}...` : text}`);
    }

    server = startServer(url.toString());
    await waitForServer();
    const serverGroup = server.pid!;
    const postgres = await postgresCpu(admin);
    const cpu = {
      all: () => cpuMs((f, pid) => Number(f[2]) === serverGroup || postgres.owns(f, pid), (pid) => pid === postgres.pid),
      db: postgres.ms,
    };

    console.log(`database ${name}; next start on ${BASE}; ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS / ROUNDS} s per target (after a ${WARMUP_SECONDS} s warm-up each)`);
    const targets = [
      ["GET /api/v1/ping (baseline)", baselineRequest],
      ["POST /api/v1/ping (floor)", postFloor],
      ["POST /api/v1/payments", postPayment],
      ["GET /api/v1/ping/{id} (floor)", getFloor],
      ["GET /api/v1/invoices/{id}", getInvoice],
    ] as const;
    for (const [, r] of targets) await run(r, WARMUP_SECONDS, cpu);
    const rounds: Round[][] = targets.map(() => []);
    for (let i = 0; i < ROUNDS; i++) {
      for (const [t, [, r]] of targets.entries()) rounds[t]!.push(await run(r, SECONDS / ROUNDS, cpu));
    }
    const figures = rounds.map(combine);
    const [baseline, postFloorF, post, getFloorF, get] = figures as [Figures, Figures, Figures, Figures, Figures];
    for (const [t, [label]] of targets.entries()) {
      const f = figures[t]!;
      console.log(
        `${label.padEnd(30)} ${f.rps.toFixed(0).padStart(6)} req/s   p50 ${f.p50} ms   p99 ${f.p99} ms   CPU ${f.cpuPerRequest.toFixed(2)} ms/request (Postgres ${f.dbCpuPerRequest.toFixed(2)})   non-2xx ${f.non2xx}   errors ${f.errors}`,
      );
    }

    const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
    const out = {
      bench: "api",
      baseline_rps: round(baseline.rps, 1),
      post_floor_rps: round(postFloorF.rps, 1),
      post_rps: round(post.rps, 1),
      get_floor_rps: round(getFloorF.rps, 1),
      get_rps: round(get.rps, 1),
      post_ratio: round(post.rps / baseline.rps),
      get_ratio: round(get.rps / baseline.rps),
      post_floor_ratio: round(post.rps / postFloorF.rps),
      get_floor_ratio: round(get.rps / getFloorF.rps),
      baseline_p99_ms: baseline.p99,
      post_p99_ms: post.p99,
      post_p99_ratio: round(post.p99 / baseline.p99),
      post_statements: postCount.statements,
      post_round_trips: postCount.roundTrips,
      get_statements: getCount.statements,
      get_round_trips: getCount.roundTrips,
    };
    console.log(
      `POST / baseline: ${out.post_ratio} (target ≥ 0.4)   GET / baseline: ${out.get_ratio} (target ≥ 0.85)   POST / its floor: ${out.post_floor_ratio} (target ≥ 0.5)   GET / its floor: ${out.get_floor_ratio}   POST p99 / baseline p99: ${out.post_p99_ratio} (target ≤ 2)`,
    );
    console.log(
      `by CPU per request (what req/s would be on an otherwise idle machine): POST ${round(baseline.cpuPerRequest / post.cpuPerRequest)}×, GET ${round(baseline.cpuPerRequest / get.cpuPerRequest)}× the baseline; POST ${round(postFloorF.cpuPerRequest / post.cpuPerRequest)}×, GET ${round(getFloorF.cpuPerRequest / get.cpuPerRequest)}× its floor`,
    );
    if (figures.some((f) => f.non2xx || f.errors)) console.log("warning: some requests did not succeed (see non-2xx / errors above)");
    console.log(JSON.stringify(out));
  } finally {
    await stopServer(server);
    await dropDatabaseWhenIdle(admin, name);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
