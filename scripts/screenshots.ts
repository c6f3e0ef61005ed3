/**
 * `npm run screenshots`: the README's pictures, from the demo seed, so they stay true.
 * Builds if the build is older than the code, seeds a fresh embedded database,
 * starts `next start` on it, and writes PNGs to docs/screenshots/: the
 * dashboard, invoices, an invoice and the deliveries log at desktop width, the
 * checkout on a phone in English and Arabic.
 *
 *   SCREENSHOTS_REVIEW_DIR=/tmp/shots npm run screenshots   # also the dashboard on a phone and in dark mode
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "@playwright/test";

const root = path.resolve(__dirname, "..");
const out = path.join(root, "docs/screenshots");
const review = process.env.SCREENSHOTS_REVIEW_DIR;
const dataDir = mkdtempSync(path.join(tmpdir(), "settle-screenshots-"));
const secrets = {
  AUTH_SECRET: "screenshots-auth-secret-0123456789-abcdef",
  SETTLE_ENCRYPTION_KEY: "screenshots-encryption-key-0123456789-abc",
};
const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** The newest modification time under these paths (files only). */
function newest(paths: string[]): number {
  let max = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const f of readdirSync(p)) walk(path.join(p, f));
    else max = Math.max(max, s.mtimeMs);
  };
  paths.forEach((p) => walk(path.join(root, p)));
  return max;
}

function buildIfNeeded() {
  const id = path.join(root, ".next/BUILD_ID");
  const sources = ["app", "components", "lib", "db", "next.config.ts", "proxy.ts", "instrumentation.ts", "package.json"];
  if (existsSync(id) && statSync(id).mtimeMs > newest(sources)) return console.log("build is up to date");
  console.log("building…");
  execFileSync("npx", ["next", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
}

/** Seeds the demo into a fresh embedded database and returns a payment link worth showing on the checkout. */
async function seed(): Promise<string> {
  Object.assign(process.env, { SETTLE_DATA_DIR: dataDir, ...secrets });
  const { openDb } = await import("@/db/client");
  const { seedDemo } = await import("@/lib/demo/seed");
  const { sql } = await import("drizzle-orm");
  const handle = await openDb({ driver: "pglite", pgliteDir: path.join(dataDir, "pglite") });
  try {
    await handle.migrate();
    await seedDemo(handle.db);
    // An open link, part paid if there is one (the checkout then shows what is paid and what is left), closing soonest.
    const { rows } = (await handle.db.execute(sql`
      select code from payment_links where status = 'active' and payment_status in ('unpaid', 'partial') and expires_at > now()
      order by (payment_status = 'partial') desc, expires_at limit 1`)) as unknown as { rows: { code: string }[] };
    return rows[0]!.code;
  } finally {
    await handle.close();
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });

async function startServer(port: number): Promise<ChildProcess> {
  const server = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      ...secrets,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      SETTLE_DATA_DIR: dataDir,
      // The seeded retries stay as they are: nothing is sent while the pictures are taken.
      WEBHOOKS_DISPATCHER: "off",
    },
    detached: true,
  });
  for (let i = 0; i < 120; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/login`).then((r) => r.ok, () => false);
    if (up) return server;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("next start did not come up within a minute");
}

async function signIn(browser: Browser, base: string, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: base });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill("demo@settle.dev");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/dashboard$/);
  return page;
}

/** Waits for streamed sections and charts, then takes the whole page (or, for long lists, the first screen). */
async function shoot(page: Page, url: string, file: string, { fullPage = true } = {}) {
  await page.goto(url);
  await page.waitForLoadState("networkidle");
  await page.locator('[role="status"]:has(.animate-pulse)').first().waitFor({ state: "detached", timeout: 15_000 }).catch(() => {});
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(600);
  await page.screenshot({ path: file, fullPage });
  console.log(`wrote ${path.relative(root, file)}`);
}

async function main() {
  buildIfNeeded();
  const code = await seed();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(port);
  const browser = await chromium.launch({
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"],
  });
  try {
    mkdirSync(out, { recursive: true });
    const page = await signIn(browser, base, desktop);
    await shoot(page, "/dashboard", path.join(out, "dashboard.png"));
    await shoot(page, "/invoices", path.join(out, "invoices.png"), { fullPage: false });
    await page.goto("/invoices?status=partial");
    const invoice = await page.getByRole("table", { name: "Invoices" }).getByRole("link").first().getAttribute("href");
    await shoot(page, invoice!, path.join(out, "invoice-detail.png"));
    await shoot(page, "/webhooks/deliveries", path.join(out, "deliveries.png"), { fullPage: false });

    const customer = await (await browser.newContext({ ...phone, baseURL: base })).newPage();
    await shoot(customer, `/pay/${code}?lang=en`, path.join(out, "checkout-en.png"));
    await shoot(customer, `/pay/${code}?lang=ar`, path.join(out, "checkout-ar.png"));

    if (review) {
      mkdirSync(review, { recursive: true });
      const onPhone = await signIn(browser, base, phone);
      await shoot(onPhone, "/invoices", path.join(review, "invoices-phone.png"));
      await shoot(onPhone, "/settings/api-keys", path.join(review, "api-keys-phone.png"));
      await shoot(onPhone, "/dashboard", path.join(review, "dashboard-phone.png"));
      await onPhone.getByRole("button", { name: "Open menu" }).click();
      await onPhone.screenshot({ path: path.join(review, "menu-phone.png") });
      const dark = await signIn(browser, base, { ...desktop, colorScheme: "dark" });
      for (const p of ["/dashboard", "/invoices", invoice!, "/webhooks/deliveries", "/payment-links", "/webhooks", "/settings/team", "/settings/api-keys"]) {
        await shoot(dark, p, path.join(review, `dark-${p.replace(/\W+/g, "-").replace(/^-|-$/g, "") || "root"}.png`));
      }
      const darkPhone = await signIn(browser, base, { ...phone, colorScheme: "dark" });
      await shoot(darkPhone, "/dashboard", path.join(review, "dark-dashboard-phone.png"));
      await shoot(darkPhone, "/settings/api-keys", path.join(review, "dark-api-keys-phone.png"));
      const darkCustomer = await (await browser.newContext({ ...phone, baseURL: base, colorScheme: "dark" })).newPage();
      await shoot(darkCustomer, `/pay/${code}?lang=ar`, path.join(review, "dark-checkout-ar.png"));
    }
  } finally {
    await browser.close();
    // The server runs in its own process group (npx and the next it starts): end exactly that group.
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
