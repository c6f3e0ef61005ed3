import { chromium } from "@playwright/test";
import { expect, newAccount, test } from "./fixtures";

/**
 * Issue #16: a browser that closes while the delivery log refreshes must not
 * crash a request into Node's last-resort handler (`uncaughtException …
 * ECONNRESET`). The browser here is killed outright, mid-poll, so its sockets
 * are reset with no goodbye; the run's teardown then fails on any uncaught
 * error line in the server log.
 */
test("a browser killed while the delivery log refreshes leaves the server answering", async ({ auth, page, browserName }, testInfo) => {
  test.setTimeout(120_000);
  expect(browserName).toBe("chromium");
  const account = newAccount();
  await auth.signUp(account);
  const cookies = await page.context().cookies();
  const { launchOptions } = testInfo.project.use;
  for (let round = 0; round < 3; round++) {
    const server = await chromium.launchServer(launchOptions);
    const browser = await chromium.connect(server.wsEndpoint());
    const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
    await context.addCookies(cookies);
    const log = await context.newPage();
    await log.goto("/webhooks/deliveries");
    // Wait for a refresh to be on its way, then take the browser away under it.
    await log.waitForRequest((r) => r.url().includes("/api/dashboard/webhooks/deliveries"), { timeout: 30_000 });
    server.process().kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 200));
  }
  // The merchant's own browser still gets its log.
  const res = await page.request.get("/api/dashboard/webhooks/deliveries");
  expect(res.status()).toBe(200);
});
