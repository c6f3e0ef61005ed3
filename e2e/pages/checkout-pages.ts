import { readFile } from "node:fs/promises";
import { type Browser, type BrowserContext, type BrowserContextOptions, expect, type Page } from "@playwright/test";

/** A phone, in Chromium: what most customers open a payment link on. */
export const phone: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

export const SHOP = "https://shop.example";

/** The sandbox bank app a checkout's QR opens: a customer's banking app, stood in for. */
export class SandboxBank {
  constructor(readonly page: Page) {}

  /** Opens the app at a QR payload on `page`, as scanning it would, and waits for it to show. */
  static async open(page: Page, qrUrl: string) {
    await page.goto(qrUrl);
    await expect(page.getByRole("heading", { name: "Sandbox bank app" })).toBeVisible();
    return new SandboxBank(page);
  }

  /** Transfers this amount (typed as a customer would, in the currency's own format); waits to be sent back to the checkout. */
  async pay(amount: string) {
    await this.page.getByLabel(/^Amount in/).fill(amount);
    await this.page.getByRole("button", { name: "Pay", exact: true }).click();
    await this.page.waitForURL(/\/pay\/[A-Z0-9]{8}\?return=1/);
  }

  /** What the bank app says is still due. */
  due() {
    return this.page.getByTestId("sandbox-due");
  }

  approve() {
    return this.page.getByRole("button", { name: /^Approve/ }).click();
  }

  expireLink() {
    return this.page.getByRole("button", { name: "Expire the link now" }).click();
  }
}

/** The hosted checkout at /pay/<code>, on a customer's page. */
export class Checkout {
  constructor(readonly page: Page) {}

  open(code: string, query = "") {
    return this.page.goto(`/pay/${code}${query}`);
  }

  status() {
    return this.page.getByTestId("checkout-status");
  }

  qr() {
    return this.page.getByTestId("checkout-qr");
  }

  bankAppLink() {
    return this.page.getByRole("link", { name: "Open the sandbox bank app" });
  }

  /** "Save QR image": a plain link with `download`. */
  saveQrLink() {
    return this.page.getByTestId("save-qr");
  }

  /** Saves the QR image as a customer would (a download); resolves to its file name and bytes. */
  async saveQrImage(): Promise<{ name: string; png: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent("download"), this.saveQrLink().click()]);
    const path = await download.path();
    return { name: download.suggestedFilename(), png: await readFile(path) };
  }

  shareQrButton() {
    return this.page.getByTestId("share-qr");
  }

  /** Follows the sandbox bank link from the QR panel into a second tab, like scanning with a phone. */
  async openSandboxBank(): Promise<SandboxBank> {
    const href = await this.bankAppLink().getAttribute("href");
    return SandboxBank.open(await this.page.context().newPage(), href!);
  }

  /** The redirect flow: the card tab, then the sandbox provider's button, which leaves for its card page. */
  async startCardPayment() {
    await this.page.getByRole("link", { name: /Card or e-wallet/ }).click();
    await this.page.getByRole("link", { name: "Pay with Sandbox" }).click();
  }

  /** After a failed card payment: "Try again", then the sandbox provider again. */
  async retryCardPayment() {
    await this.page.getByRole("link", { name: "Try again" }).click();
    await this.page.getByRole("link", { name: "Pay with Sandbox" }).click();
  }

  /** On the sandbox card page. */
  approveCard() {
    return this.page.getByRole("button", { name: /^Approve/ }).click();
  }

  /** On the sandbox card page. */
  declineCard() {
    return this.page.getByRole("button", { name: "Decline" }).click();
  }

  /** Closes the customer's whole browser, every tab of it. */
  close() {
    return this.page.context().close();
  }
}

/** Customers' browsers (the `customers` fixture): each its own, so nothing of the merchant's session leaks in. */
export class Customers {
  private readonly opened: BrowserContext[] = [];

  constructor(private readonly browser: Browser) {}

  /** A new customer on a phone, with the merchant's site stubbed so redirects to it land somewhere. */
  async checkout(options: BrowserContextOptions = {}) {
    const context = await this.browser.newContext({ ...phone, ...options });
    this.opened.push(context);
    await context.route(`${SHOP}/**`, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Shop</title><h1>Back at the shop</h1>" }));
    return new Checkout(await context.newPage());
  }

  /** Fixture teardown: closing a context twice is harmless, so this also covers the ones a test closed itself. */
  async closeAll() {
    await Promise.all(this.opened.map((context) => context.close()));
  }
}
