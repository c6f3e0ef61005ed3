import type { Page } from "@playwright/test";

export interface BankAccountInput {
  /** The name customers see at the checkout. */
  name: string;
  /** The bank's BIN, e.g. 970416 for ACB. */
  bank: string;
  accountNumber: string;
  holder: string;
  signingSecret: string;
}

/** Settings: its navigation, payment services and the audit log (API keys and the team have their own). */
export class SettingsPages {
  constructor(private readonly page: Page) {}

  open() {
    return this.page.goto("/settings");
  }

  nav() {
    return this.page.getByRole("navigation", { name: "Settings" });
  }

  openPaymentServices() {
    return this.page.goto("/settings/payment-services");
  }

  addPaymentServiceButton() {
    return this.page.getByRole("button", { name: "Add payment service" });
  }

  /**
   * Links a Vietnamese bank account as a payment service. Opens the page only
   * if not already there, so a test that first submitted the empty form keeps
   * its errors on screen while it fills the fields.
   */
  async addBankAccount(input: BankAccountInput) {
    if (new URL(this.page.url()).pathname !== "/settings/payment-services") await this.openPaymentServices();
    await this.page.getByLabel("Name customers see").fill(input.name);
    await this.page.getByLabel("Bank", { exact: true }).selectOption(input.bank);
    await this.page.getByLabel("Account number").fill(input.accountNumber);
    await this.page.getByLabel("Account holder").fill(input.holder);
    await this.page.getByLabel("Notification signing secret").fill(input.signingSecret);
    await this.addPaymentServiceButton().click();
  }

  paymentServices() {
    return this.page.getByRole("list", { name: "Payment services" });
  }

  /** A linked service's row in the list, by the name customers see. */
  paymentService(name: string) {
    return this.paymentServices().getByRole("listitem").filter({ hasText: name });
  }

  /** From the list, opens a service's edit page. */
  async openPaymentService(name: string) {
    await this.page.getByRole("link", { name: `Edit ${name}` }).click();
    await this.page.getByRole("heading", { name }).waitFor();
  }

  /** On a service's edit page: fills what is given and saves. */
  async editPaymentService(change: { name?: string; accountNumber?: string; newSigningSecret?: string }) {
    if (change.name !== undefined) await this.page.getByLabel("Name customers see").fill(change.name);
    if (change.accountNumber !== undefined) await this.page.getByLabel("Account number").fill(change.accountNumber);
    if (change.newSigningSecret !== undefined) await this.page.getByLabel("New notification signing secret").fill(change.newSigningSecret);
    await this.page.getByRole("button", { name: "Save payment service" }).click();
  }

  openAudit() {
    return this.page.goto("/settings/audit");
  }

  /** The audit log's row for an action, e.g. /member\.invited/. */
  auditRow(action: RegExp) {
    return this.page.getByRole("row", { name: action });
  }
}
