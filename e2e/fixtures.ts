import { test as base, expect } from "@playwright/test";
import { AccountPages } from "./pages/account-pages";
import { ApiKeyPages } from "./pages/api-key-pages";
import { AuthPages } from "./pages/auth-pages";
import { Customers } from "./pages/checkout-pages";
import { DashboardPages } from "./pages/dashboard-pages";
import { InvoicePages } from "./pages/invoice-pages";
import { OutboxPages } from "./pages/outbox-pages";
import { PaymentLinkPages } from "./pages/payment-link-pages";
import { SettingsPages } from "./pages/settings-pages";
import { TeamPages } from "./pages/team-pages";
import { WebhookPages } from "./pages/webhook-pages";

/**
 * Every area's page object, on the test's own `page` (the merchant, once
 * signed up), so a spec asks for what it uses:
 * `test("…", async ({ auth, team, invoices }) => …)`. Playwright builds only
 * the fixtures a test names.
 */
export interface Pages {
  auth: AuthPages;
  dashboard: DashboardPages;
  invoices: InvoicePages;
  paymentLinks: PaymentLinkPages;
  /** Customers' own phone browsers on the hosted checkout; closed after the test. */
  customers: Customers;
  webhooks: WebhookPages;
  apiKeys: ApiKeyPages;
  settings: SettingsPages;
  /** Settings → Team, and `joinAs(role)`; invitees' browsers are closed after the test. */
  team: TeamPages;
  /** Settings → Your account, and other browsers of the same person; closed after the test. */
  account: AccountPages;
  /** The mail the server kept in its dev outbox (/dev/outbox). */
  outbox: OutboxPages;
}

export const test = base.extend<Pages>({
  auth: async ({ page }, use) => use(new AuthPages(page)),
  dashboard: async ({ page }, use) => use(new DashboardPages(page)),
  invoices: async ({ page }, use) => use(new InvoicePages(page)),
  paymentLinks: async ({ page }, use) => use(new PaymentLinkPages(page)),
  customers: async ({ browser }, use) => {
    const customers = new Customers(browser);
    await use(customers);
    await customers.closeAll();
  },
  webhooks: async ({ page }, use) => use(new WebhookPages(page)),
  apiKeys: async ({ page }, use) => use(new ApiKeyPages(page)),
  settings: async ({ page }, use) => use(new SettingsPages(page)),
  team: async ({ page, browser }, use) => {
    const team = new TeamPages(page, browser);
    await use(team);
    await team.closeAll();
  },
  account: async ({ page, browser }, use) => {
    const account = new AccountPages(page, browser);
    await use(account);
    await account.closeAll();
  },
  outbox: async ({ browser }, use) => {
    const outbox = new OutboxPages(browser);
    await use(outbox);
    await outbox.close();
  },
});

export { expect };
export { type Account, AuthPages, newAccount } from "./pages/auth-pages";
export { confirmDialog } from "./pages/confirm-dialog";
