/**
 * npm run bench:api — the REST API under load, against the framework's own floor.
 *
 * Builds the app if there is no build (`--build` forces one, `--no-build` never),
 * makes a fresh database on server Postgres (DATABASE_URL; dropped at the end),
 * starts `next start` on it, and runs autocannon, 16 connections for 20 s each, at:
 *   - GET /api/v1/ping: static JSON from a route handler of the same app (the baseline);
 *   - POST /api/v1/payments: a Finan-style payment request, each one freshly signed
 *     (x-client-id / x-timestamp / x-signature) with its own Idempotency-Key and reference;
 *   - GET /api/v1/invoices/{id}: an invoice with its lines and payments, signed.
 * Prints req/s, p50 / p99 latency and the ratios to the baseline; the last line is one JSON object.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import autocannon from "autocannon";
import pg from "pg";
import { openDb } from "@/db/client";
import { createApiKey } from "@/lib/api/keys";
import { createMerchant, createUser } from "@/lib/accounts/users";
import { createInvoice } from "@/lib/invoices/create";
import { recordManualPayment } from "@/lib/payments/manual";
import { dropDatabaseWhenIdle } from "@/test/pg-admin";

const PORT = Number(process.env.BENCH_PORT ?? 3290);
const BASE = `http://127.0.0.1:${PORT}`;
const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = 3;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
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

function sign(secret: string, method: string, path: string, body: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return { timestamp, signature: createHmac("sha256", secret).update(`${method}\n${path}\n${timestamp}\n${body}`).digest("hex") };
}

function run(name: string, request: autocannon.Request, seconds: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    autocannon({ url: BASE, connections: CONNECTIONS, duration: seconds, requests: [request] }, (err, result) => {
      if (err) return reject(err);
      resolve({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      });
    });
  }).then((f) => {
    const figures = f as Figures;
    if (seconds >= SECONDS) console.log(`${name.padEnd(28)} ${figures.rps.toFixed(0).padStart(7)} req/s   p50 ${figures.p50} ms   p99 ${figures.p99} ms   non-2xx ${figures.non2xx}   errors ${figures.errors}`);
    return figures;
  });
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
  try {
    const handle = await openDb({ url: url.toString(), driver: "pg" });
    await handle.migrate();
    const user = await createUser(handle.db, { email: "bench@example.test", name: "Bench", password: "bench-password" });
    const merchant = await createMerchant(handle.db, { name: "Bench Store", ownerId: user.id });
    const actor = { userId: user.id, merchantId: merchant.id, role: "owner" as const };
    const { key, secret } = await createApiKey(handle.db, actor, { name: "Bench" });
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

    server = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(PORT)], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: url.toString(),
        AUTH_SECRET: "bench-secret-bench-secret-bench-secret-000",
        SETTLE_ENCRYPTION_KEY: encryptionKey,
      },
      stdio: "ignore",
      detached: true,
    });
    await waitForServer();

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
        const { timestamp, signature } = sign(secret, "POST", "/api/v1/payments", body);
        return {
          ...req,
          body,
          headers: {
            "content-type": "application/json",
            "x-client-id": key.clientId,
            "x-timestamp": timestamp,
            "x-signature": signature,
            "idempotency-key": `bench-${process.pid}-${n}`,
          },
        };
      },
    };
    const getPath = `/api/v1/invoices/${invoice.id}`;
    const getInvoice: autocannon.Request = {
      method: "GET",
      path: getPath,
      setupRequest: (req) => {
        const { timestamp, signature } = sign(secret, "GET", getPath, "");
        return { ...req, headers: { "x-client-id": key.clientId, "x-timestamp": timestamp, "x-signature": signature } };
      },
    };
    const baselineRequest: autocannon.Request = { method: "GET", path: "/api/v1/ping" };

    // Check each answers as it should before timing it.
    for (const [label, r, status] of [
      ["ping", baselineRequest, 200],
      ["POST /payments", postPayment, 201],
      ["GET /invoices/{id}", getInvoice, 200],
    ] as const) {
      const setup = r.setupRequest as ((req: autocannon.Request) => autocannon.Request) | undefined;
      const built = setup ? setup({ ...r }) : r;
      const res = await fetch(`${BASE}${built.path}`, { method: built.method, headers: built.headers as Record<string, string>, body: built.body as string | undefined });
      if (res.status !== status) throw new Error(`${label} answered ${res.status}: ${await res.text()}`);
    }

    console.log(`database ${name}; next start on ${BASE}; ${CONNECTIONS} connections × ${SECONDS} s each (after ${WARMUP_SECONDS} s warm-up)`);
    for (const r of [baselineRequest, postPayment, getInvoice]) await run("warm-up", r, WARMUP_SECONDS);
    const baseline = await run("GET /api/v1/ping (baseline)", baselineRequest, SECONDS);
    const post = await run("POST /api/v1/payments", postPayment, SECONDS);
    const get = await run("GET /api/v1/invoices/{id}", getInvoice, SECONDS);

    const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
    const postRatio = round(post.rps / baseline.rps);
    const getRatio = round(get.rps / baseline.rps);
    console.log(`POST / baseline: ${postRatio} (target ≥ 0.6)   GET / baseline: ${getRatio} (target ≥ 0.8)   POST p99 / baseline p99: ${round(post.p99 / baseline.p99)} (target ≤ 2)`);
    if (post.non2xx || get.non2xx || post.errors || get.errors) console.log("warning: some requests did not succeed (see non-2xx / errors above)");
    console.log(
      JSON.stringify({
        bench: "api",
        baseline_rps: round(baseline.rps, 1),
        post_rps: round(post.rps, 1),
        get_rps: round(get.rps, 1),
        post_ratio: postRatio,
        get_ratio: getRatio,
        baseline_p99_ms: baseline.p99,
        post_p99_ms: post.p99,
      }),
    );
  } finally {
    // Only the server this script started: its own process group.
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    await dropDatabaseWhenIdle(admin, name);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
