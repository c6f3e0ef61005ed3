import { expect, type Page } from "@playwright/test";

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

  /** The add form, whichever kind it shows. */
  addServiceForm() {
    return this.page.locator("form").filter({ has: this.page.locator('select[name="kind"]') });
  }

  /**
   * Picks a gateway kind in the add form and fills its inputs by their `name`
   * (the connector's setup field names), without submitting. Opens the page
   * only if not already there, so a refused form keeps its errors on screen.
   */
  async fillGateway({ kind, name, fields }: { kind: string; name: string; fields: Record<string, string> }) {
    if (new URL(this.page.url()).pathname !== "/settings/payment-services") await this.openPaymentServices();
    const form = this.addServiceForm();
    const first = Object.keys(fields)[0];
    // Choosing a kind renders its fields once the page is hydrated: choose again until they are there.
    await expect(async () => {
      await form.locator('select[name="kind"]').selectOption(kind);
      if (first) await expect(form.locator(`[name="${first}"]`)).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await form.locator('input[name="name"]').fill(name);
    for (const [field, value] of Object.entries(fields)) await form.locator(`[name="${field}"]`).fill(value);
  }

  /**
   * Links a gateway (MyFatoorah, Foloosi, iPint, Finan, FuratPay…) in Settings →
   * Payment services: picks its kind, fills its fields by name, submits, and
   * returns the new service's id (read from its notification URL in the list).
   * Throws with the form's errors if the form refuses it.
   */
  async linkGateway({ kind, name, fields }: { kind: string; name: string; fields: Record<string, string> }): Promise<string> {
    await this.fillGateway({ kind, name, fields });
    const form = this.addServiceForm();
    const before = new Set(await this.serviceIds());
    // The action answers the page's own URL; what it says is drawn once that answer is in.
    const answered = this.page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/settings/payment-services", { timeout: 30_000 });
    await this.addPaymentServiceButton().click();
    await answered;
    const refused = form.locator('[aria-invalid="true"], [data-testid="form-error"]');
    const deadline = Date.now() + 20_000;
    let refusedSince: number | null = null;
    for (;;) {
      const id = (await this.serviceIds(name)).find((s) => !before.has(s));
      if (id) return id;
      // Errors from an earlier refusal may still be on screen for a moment: only errors that stay are this one's.
      if ((await refused.count()) > 0) refusedSince ??= Date.now();
      else refusedSince = null;
      if ((refusedSince !== null && Date.now() - refusedSince > 2_000) || Date.now() > deadline) {
        const errors = await form.locator('[role="alert"]').allInnerTexts();
        throw new Error(`Linking ${kind} as "${name}" was refused or not listed: ${errors.join(" · ") || "(no message)"}`);
      }
      await this.page.waitForTimeout(200);
    }
  }

  /** The ids of the listed services (all, or those whose row has `name`), read from their notification URLs. */
  async serviceIds(name?: string): Promise<string[]> {
    const rows = name ? this.paymentService(name) : this.paymentServices().getByRole("listitem");
    const texts = await rows.allInnerTexts();
    return texts.flatMap((t) => [...t.matchAll(/\/api\/providers\/([^/\s]+)\/notify/g)].map((m) => m[1]!));
  }

  /** A linked service's notification URL, as its row shows it. */
  async notificationUrl(name: string): Promise<string> {
    const text = (await this.paymentService(name).getByText(/\/api\/providers\/[^/\s]+\/notify/).first().textContent()) ?? "";
    const url = /https?:\/\/\S+\/api\/providers\/[^/\s]+\/notify/.exec(text)?.[0];
    if (!url) throw new Error(`No notification URL in the row of ${name}: ${text}`);
    return url;
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
