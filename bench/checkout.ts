/**
 * npm run bench:checkout: how much JavaScript the hosted checkout costs a
 * customer on top of what any page of this app costs.
 *
 * Builds the app, seeds a fresh embedded database with one payment link,
 * starts `next start`, loads /pay/{code} and an empty route (the app's 404
 * page: root layout, nothing else) in headless Chromium, and sums the gzipped
 * size of every script each one loads. The difference is the checkout's own JS.
 * `--no-build` reuses the current .next build.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";

const PORT = Number(process.env.BENCH_PORT ?? 3190);
const BASE = `http://127.0.0.1:${PORT}`;
const EMPTY_ROUTE = "/docs/__bench-empty-route";
const dataDir = mkdtempSync(path.join(tmpdir(), "settle-bench-"));
const serverEnv = {
  ...process.env,
  NODE_ENV: "production" as const,
  NEXT_TELEMETRY_DISABLED: "1",
  APP_URL: BASE,
  AUTH_SECRET: "bench-secret-bench-secret-bench-secret-000",
  SETTLE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  SETTLE_DATA_DIR: dataDir,
  DATABASE_URL: "",
};

async function seedLink(): Promise<string> {
  Object.assign(process.env, { SETTLE_DATA_DIR: dataDir, SETTLE_ENCRYPTION_KEY: serverEnv.SETTLE_ENCRYPTION_KEY, DATABASE_URL: "" });
  const { openDb } = await import("@/db/client");
  const { createMerchant, createUser } = await import("@/lib/accounts/users");
  const { createStandaloneLink } = await import("@/lib/payment-links/create");
  const { listServices } = await import("@/lib/payment-services/services");
  const handle = await openDb({ driver: "pglite", pgliteDir: path.join(dataDir, "pglite") });
  await handle.migrate();
  const user = await createUser(handle.db, { email: "bench@example.test", name: "Bench" });
  const merchant = await createMerchant(handle.db, { name: "Bench Store", ownerId: user.id });
  const [sandbox] = await listServices(handle.db, merchant.testId);
  const link = await createStandaloneLink(
    handle.db,
    { userId: user.id, merchantId: merchant.testId, accountId: merchant.id, livemode: false, role: "owner" },
    { currency: "VND", amount: "100000", description: "Bench order", serviceIds: [sandbox!.id] },
  );
  await handle.close();
  return link.code;
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/login`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("next start did not come up");
}

/** Every script the page loads (script tags and lazily loaded chunks alike), gzipped, in bytes. */
async function scriptBytes(browser: import("@playwright/test").Browser, url: string) {
  const page = await browser.newPage();
  const bodies: Promise<Buffer>[] = [];
  page.on("response", (res) => {
    if (res.request().resourceType() === "script" && res.url().startsWith(BASE)) bodies.push(res.body());
  });
  await page.goto(url, { waitUntil: "networkidle" });
  const sizes = (await Promise.all(bodies)).map((b) => gzipSync(b).length);
  await page.close();
  return { files: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0) };
}

const kb = (bytes: number) => Math.round(bytes / 100) / 10;

async function main() {
  if (!process.argv.includes("--no-build")) {
    const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const code = await seedLink();
  const server = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(PORT)], { env: serverEnv, stdio: "ignore", detached: true });
  try {
    await waitForServer();
    const browser = await chromium.launch({ executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
    const floor = await scriptBytes(browser, `${BASE}${EMPTY_ROUTE}`);
    const checkout = await scriptBytes(browser, `${BASE}/pay/${code}`);
    await browser.close();
    const own = checkout.bytes - floor.bytes;
    console.log(`empty route (${EMPTY_ROUTE}): ${floor.files} scripts, ${kb(floor.bytes)} kB gzipped`);
    console.log(`/pay/[code]: ${checkout.files} scripts, ${kb(checkout.bytes)} kB gzipped`);
    console.log(`checkout's own JS: ${kb(own)} kB gzipped (budget 25 kB)`);
    console.log(JSON.stringify({ bench: "checkout", floor_js_gz_kb: kb(floor.bytes), checkout_js_gz_kb: kb(checkout.bytes), own_js_gz_kb: kb(own) }));
  } finally {
    // Only the server this script started: its own process group.
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
