import { type Browser, type BrowserContext, expect, type Page } from "@playwright/test";
import { confirmDialog } from "./confirm-dialog";

/**
 * Settings → Your account, as the person signed in on `page`; and other
 * browsers (contexts of their own) for the same person, closed after the test.
 */
export class AccountPages {
  private readonly opened: BrowserContext[] = [];

  constructor(
    private readonly page: Page,
    private readonly browser: Browser,
  ) {}

  open(page: Page = this.page) {
    return page.goto("/settings/account");
  }

  /** Fills and submits the change-password form; where that lands is the caller's to check. */
  async changePassword(current: string, next: string) {
    await this.open();
    await this.page.getByLabel("Current password").fill(current);
    await this.page.getByLabel("New password").fill(next);
    await this.page.getByRole("button", { name: "Change password" }).click();
  }

  /** The error shown under a field of the form, by its label. */
  fieldError(label: "Current password" | "New password") {
    const id = label === "Current password" ? "current-password-error" : "new-password-error";
    return this.page.locator(`#${id}`);
  }

  async signOutEverywhere() {
    await this.open();
    await this.page.getByRole("button", { name: "Sign out everywhere" }).click();
    await confirmDialog(this.page, "Sign out everywhere");
    await expect(this.page).toHaveURL(/\/login/);
  }

  /** The session cookie of the browser on `page`, as someone who copied it would hold it. */
  async sessionCookies() {
    const cookies = await this.page.context().cookies();
    const session = cookies.filter((c) => c.name.includes("next-auth.session-token"));
    expect(session.length, "a session cookie").toBeGreaterThan(0);
    return session;
  }

  /** A browser of its own that holds exactly these cookies: a copy taken from another machine. */
  async browserWith(cookies: Awaited<ReturnType<AccountPages["sessionCookies"]>>): Promise<Page> {
    const context = await this.browser.newContext();
    this.opened.push(context);
    await context.addCookies(cookies);
    return context.newPage();
  }

  /** A browser of its own, signed in as this email through the login form. */
  async browserSignedIn(email: string, password: string): Promise<Page> {
    const context = await this.browser.newContext();
    this.opened.push(context);
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    return page;
  }

  async closeAll() {
    await Promise.all(this.opened.map((c) => c.close()));
  }
}
