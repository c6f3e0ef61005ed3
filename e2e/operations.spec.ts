import { randomBytes } from "node:crypto";
import type { APIResponse, Page } from "@playwright/test";
import { signNotification } from "../lib/connectors/signature";
import { findLeaks } from "../test/log-leaks";
import { startReceiver } from "../test/webhook-receiver";
import { AuthPages, expect, newAccount, test } from "./fixtures";
import { SHOP } from "./pages/checkout-pages";
import { E2E_SECRETS, rememberSecret, serverLog } from "./run-files";

const PAN = "4242424242424242";

function expectSecurityHeaders(res: APIResponse, { framePolicy = true } = {}) {
  const h = res.headers();
  expect(h["x-content-type-options"], res.url()).toBe("nosniff");
  expect(h["referrer-policy"], res.url()).toBe("strict-origin-when-cross-origin");
  expect(h["x-frame-options"], res.url()).toBe("DENY");
  // Plain http, so no HSTS (it is for production over https only).
  expect(h["strict-transport-security"], res.url()).toBeUndefined();
  if (framePolicy) expect(h["content-security-policy"], res.url()).toContain("frame-ancestors 'none'");
}

/** Collects every CSP violation a page reports, from the DOM event and from the console. */
async function watchCsp(page: Page) {
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(`${page.url()}: ${m.text()}`);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return {
    async violations() {
      const events = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []).catch(() => []);
      return [...console, ...events];
    },
  };
}

test("health, request ids and security headers on pages, routes, redirects, static files and the checkout", async ({ page, auth, paymentLinks, request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  const report = await health.json();
  expect(report).toMatchObject({ status: "ok", reasons: [], database: { reachable: true }, migrations: { current: true, pending: [] }, webhooks: { maxLagSeconds: 300 } });
  expect(JSON.stringify(report)).not.toMatch(/postgres|pglite|secret|password/i);
  expectSecurityHeaders(health);
  expect(health.headers()["x-request-id"]).toMatch(/^req_[0-9a-z]{26}$/);

  // A caller's (or load balancer's) request id is kept; a bogus one is replaced.
  expect((await request.get("/api/health", { headers: { "x-request-id": "lb-7f3a-0001" } })).headers()["x-request-id"]).toBe("lb-7f3a-0001");
  expect((await request.get("/api/health", { headers: { "x-request-id": "x".repeat(300) } })).headers()["x-request-id"]).toMatch(/^req_/);

  // Signed out: the redirect to /login carries them too.
  const redirect = await request.get("/invoices", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expectSecurityHeaders(redirect);

  const login = await request.get("/login");
  expectSecurityHeaders(login);
  const asset = /\/_next\/static\/[^"]+\.js/.exec(await login.text())?.[0];
  expect(asset).toBeTruthy();
  // Static files skip proxy.ts; next.config.ts still sends the fixed headers.
  expectSecurityHeaders(await request.get(asset!), { framePolicy: false });
  expectSecurityHeaders(await request.get("/api/no-such-route"));

  await auth.signUp(newAccount());
  expectSecurityHeaders(await page.request.get("/dashboard"));
  expectSecurityHeaders(await page.request.get("/invoices/export"));

  // The checkout: a strict policy with a fresh nonce per response, and that nonce on every script Next writes.
  const code = await paymentLinks.create();
  const nonces = new Set<string>();
  for (let i = 0; i < 2; i++) {
    const res = await request.get(`/pay/${code}`);
    expectSecurityHeaders(res);
    const csp = res.headers()["content-security-policy"]!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("script-src 'self' 'nonce-");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    nonces.add(nonce!);
  }
  expect(nonces.size).toBe(2);
});

test("no CSP violation on the dashboard, the QR checkout or the sandbox redirect flow; an injected script is blocked", async ({ page, auth, paymentLinks, customers }) => {
  test.setTimeout(120_000);
  const dashboardCsp = await watchCsp(page);
  await auth.signUp(newAccount());
  for (const path of ["/dashboard", "/invoices", "/invoices/new", "/payment-links", "/webhooks", "/webhooks/deliveries", "/settings", "/settings/payment-services"]) {
    await page.goto(path);
    await expect(page.getByRole("navigation").first()).toBeVisible();
  }
  const code = await paymentLinks.create({ successUrl: `${SHOP}/thanks` });
  expect(await dashboardCsp.violations()).toEqual([]);

  const checkout = await customers.checkout();
  const checkoutCsp = await watchCsp(checkout.page);
  // The poller must get through: it is what moves the page on without a reload.
  const polled = checkout.page.waitForResponse((r) => r.url().includes(`/api/pay/${code}/status`) && r.ok());
  await checkout.open(code);
  await expect(checkout.qr().locator("svg")).toBeVisible();
  await polled;
  const bank = await checkout.openSandboxBank();
  const bankCsp = await watchCsp(bank.page);
  await bank.page.reload();
  await bank.pay("40000");
  await expect(checkout.page.getByTestId("amount-remaining")).toHaveText("₫60,000");

  // The redirect flow: card tab → sandbox card page → approve → back to the checkout → the shop.
  await checkout.startCardPayment();
  await expect(checkout.page.getByRole("heading", { name: "Sandbox card page" })).toBeVisible();
  const beforeLeaving = await checkoutCsp.violations();
  await checkout.approveCard();
  await expect(checkout.page).toHaveURL(/\/pay\/[A-Z0-9]{8}\?return=1/);
  const afterReturn = await checkoutCsp.violations();
  await expect(checkout.page).toHaveURL(new RegExp(`^${SHOP}/thanks`), { timeout: 15_000 });
  expect([...beforeLeaving, ...afterReturn, ...(await bankCsp.violations())]).toEqual([]);

  // The policy is real: markup injected into the checkout (the classic XSS) cannot run its handler, and the watcher sees it.
  const probe = await checkout.page.context().newPage();
  const probeCsp = await watchCsp(probe);
  await probe.goto(`/pay/${code}`);
  await probe.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<img src="/no-such-image.png" alt="" onerror="window.__injected = true">'));
  await expect.poll(async () => (await probeCsp.violations()).some((v) => v.includes("script-src"))).toBe(true);
  expect(await probe.evaluate(() => (window as unknown as { __injected?: boolean }).__injected ?? false)).toBe(false);
  await checkout.close();
});

/** Waits for the server log to hold a JSON line matching `where`, and returns it. */
async function logLine(where: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  await expect
    .poll(() => {
      found = serverLog()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find(where);
      return !!found;
    })
    .toBe(true);
  return found!;
}

test("JSON logs carry each request's id through routes, actions and provider notifications; no secret is ever logged", async ({ auth, settings, paymentLinks, webhooks, customers, browser, request }) => {
  test.setTimeout(120_000);
  const run = randomBytes(4).toString("hex");
  const account = newAccount();
  await auth.signUp(account);

  // A provider with a signing secret, and a link it can pay.
  const providerSecret = `pss_e2e_${randomBytes(16).toString("hex")}`;
  rememberSecret("provider signing secret", providerSecret);
  await settings.openPaymentServices();
  await settings.addBankAccount({ name: `Bank ${run}`, bank: "970416", accountNumber: "257678859", holder: "Tran Tu Thien", signingSecret: providerSecret });
  const serviceRow = settings.paymentServices().getByRole("listitem").filter({ hasText: `Bank ${run}` });
  const serviceId = /\/api\/providers\/(svc_[0-9a-z]+)\/notify/.exec((await serviceRow.textContent()) ?? "")?.[1];
  expect(serviceId).toBeTruthy();
  const code = await paymentLinks.create({ services: [`Bank ${run}`, "Sandbox"] });

  // The provider's notification carries a full card number; Settle records it and logs neither.
  const notify = (body: string, headers: Record<string, string>) =>
    request.post(`/api/providers/${serviceId}/notify`, { data: Buffer.from(body), headers: { "content-type": "application/json", ...headers } });
  const body = JSON.stringify({ id: `txn-${run}`, amount: 100000, currency: "VND", reference: code, card_number: PAN, card_last4: "4242" });
  const recorded = await notify(body, { ...signNotification(providerSecret, body), "x-request-id": `e2e-notify-${run}` });
  expect(await recorded.json()).toMatchObject({ received: true, outcome: "recorded" });
  expect(recorded.headers()["x-request-id"]).toBe(`e2e-notify-${run}`);
  const forged = await notify(body.replace("100000", "900000"), { ...signNotification(providerSecret, body), "x-request-id": `e2e-forged-${run}` });
  expect(forged.status()).toBe(401);
  const broken = `{"card_number":"${PAN}",`;
  expect((await notify(broken, signNotification(providerSecret, broken))).status()).toBe(400);

  // A wrong password for the demo account, a revealed webhook secret, the cron route with a wrong and the right secret.
  const receiver = await startReceiver();
  await webhooks.open();
  await webhooks.addEndpoint(receiver.url);
  rememberSecret("revealed webhook secret", await webhooks.revealSecret());
  expect((await request.get("/api/cron/webhooks", { headers: { authorization: "Bearer not-the-cron-secret-at-all" } })).status()).toBe(401);
  expect((await request.get("/api/cron/webhooks", { headers: { authorization: `Bearer ${E2E_SECRETS.CRON_SECRET}` } })).status()).toBe(200);
  const signedOut = await browser.newContext();
  const stranger = new AuthPages(await signedOut.newPage());
  await stranger.signIn("demo@settle.dev", "demo-password");
  await expect(stranger.formError()).toHaveText("Email or password is incorrect.");
  // Someone types their password into the email field: that "email" is not logged either.
  await stranger.signIn(account.password, account.password);
  await expect(stranger.formError()).toHaveText("Email or password is incorrect.");
  await signedOut.close();

  // A customer pays the rest in the sandbox; the button's request id reaches the notification it sends.
  const checkout = await customers.checkout({ extraHTTPHeaders: { "x-request-id": `e2e-sandbox-${run}` } });
  const other = await paymentLinks.create();
  await checkout.open(other);
  await (await checkout.openSandboxBank()).pay("1000");
  await checkout.close();
  await receiver.close();

  const notified = await logLine((l) => l.requestId === `e2e-notify-${run}` && l.msg === "provider notification");
  expect(notified).toMatchObject({ level: "info", outcome: "recorded", serviceId, providerRef: `txn-${run}`, amount: 100000 });
  expect(await logLine((l) => l.requestId === `e2e-notify-${run}` && l.msg === "request")).toMatchObject({ route: "providers.notify", method: "POST", status: 200 });
  expect(await logLine((l) => l.requestId === `e2e-forged-${run}` && l.msg === "provider notification refused")).toMatchObject({ level: "warn", status: 401 });
  expect(await logLine((l) => l.requestId === `e2e-sandbox-${run}` && l.msg === "provider notification")).toMatchObject({ outcome: "recorded", amount: 1000 });
  await logLine((l) => l.msg === "sign-in failed" && l.email === "demo@settle.dev");
  await logLine((l) => l.msg === "sign-in failed" && l.email === "(not an email address)");
  await logLine((l) => l.msg === "cron: webhooks run");
  // The webhook attempts, by webhook-id and the receiver's host (its path can hold a token, so it is left out).
  expect(await logLine((l) => l.msg === "webhooks: attempt" && l.host === new URL(receiver.url).host)).toMatchObject({ outcome: "succeeded", status: 200, webhookId: expect.stringMatching(/^msg_/) });

  // Here for a clear failure; the run's teardown checks the whole log again after every spec.
  const log = serverLog();
  for (const line of log.split("\n").filter((l) => l.startsWith("{"))) {
    expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
  }
  const secrets = [
    ...Object.entries(E2E_SECRETS).map(([label, value]) => ({ label, value })),
    { label: "provider secret", value: providerSecret },
    { label: "password", value: account.password },
    { label: "demo password", value: "demo-password" },
    { label: "card number", value: PAN },
  ];
  expect(findLeaks(log, secrets)).toEqual([]);
});
