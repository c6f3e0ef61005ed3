import { type Browser, type BrowserContextOptions, expect, type Page } from "@playwright/test";

/** A phone, in Chromium: what most customers open a payment link on. */
export const phone: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

export const SHOP = "https://shop.example";

/** The merchant's side: makes a standalone link from /payment-links and returns its code. */
export async function createLink(
  page: Page,
  opts: { amount?: string; description?: string; successUrl?: string; failureUrl?: string; services?: string[] } = {},
) {
  await page.goto("/payment-links");
  if (opts.services) {
    for (const box of await page.getByRole("group", { name: "Payment services offered" }).getByRole("checkbox").all()) await box.uncheck();
    for (const name of opts.services) await page.getByLabel(name).check();
  }
  await page.getByLabel("What is it for?").fill(opts.description ?? "Ao dai, size M");
  await page.getByLabel("Amount").fill(opts.amount ?? "100000");
  if (opts.successUrl) await page.getByLabel("Success redirect URL (optional)").fill(opts.successUrl);
  if (opts.failureUrl) await page.getByLabel("Failure redirect URL (optional)").fill(opts.failureUrl);
  await page.getByRole("button", { name: "Create payment link" }).click();
  const url = await page.getByTestId("created-link").inputValue();
  const code = /\/pay\/([A-Z0-9]{8})$/.exec(url)?.[1];
  expect(code, url).toBeTruthy();
  return code!;
}

/** A customer's own browser, with the merchant's site stubbed so redirects to it land somewhere. */
export async function customer(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ ...phone, ...options });
  await context.route(`${SHOP}/**`, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Shop</title><h1>Back at the shop</h1>" }));
  return context;
}

export class Checkout {
  constructor(readonly page: Page) {}

  open(code: string, query = "") {
    return this.page.goto(`/pay/${code}${query}`);
  }

  status() {
    return this.page.getByTestId("checkout-status");
  }

  /** Follows the sandbox bank link from the QR panel into a second tab, like scanning with a phone. */
  async openSandboxBank(): Promise<Page> {
    const href = await this.page.getByRole("link", { name: "Open the sandbox bank app" }).getAttribute("href");
    const bank = await this.page.context().newPage();
    await bank.goto(href!);
    await expect(bank.getByRole("heading", { name: "Sandbox bank app" })).toBeVisible();
    return bank;
  }
}

export async function sandboxPay(bank: Page, amount: string) {
  await bank.getByLabel(/^Amount in/).fill(amount);
  await bank.getByRole("button", { name: "Pay", exact: true }).click();
  await bank.waitForURL(/\/pay\/[A-Z0-9]{8}\?return=1/);
}
