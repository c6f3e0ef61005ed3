import { expect, type Page } from "@playwright/test";

export interface LineInput {
  name: string;
  price: string;
  qty: string;
}

/** Invoices: the list with its status tabs, the new-invoice form, an invoice's page and the CSV export. */
export class InvoicePages {
  constructor(private readonly page: Page) {}

  /** `status` is a tab's key, e.g. "unpaid"; none opens All. */
  openList(status?: string) {
    return this.page.goto(status ? `/invoices?status=${status}` : "/invoices");
  }

  openNew() {
    return this.page.goto("/invoices/new");
  }

  open(id: string) {
    return this.page.goto(`/invoices/${id}`);
  }

  /** On the new-invoice form: fills line `i` (0-based); a line past the first needs "Add line" first. */
  async fillLine(i: number, line: LineInput) {
    await this.page.getByLabel(`Item ${i + 1}`, { exact: true }).fill(line.name);
    await this.page.getByLabel("Unit price").nth(i).fill(line.price);
    await this.page.getByLabel("Qty").nth(i).fill(line.qty);
  }

  async create(opts: { customer: string; email?: string; currency?: string; lines: LineInput[]; reference?: string }) {
    const { page } = this;
    await this.openNew();
    await page.getByLabel("Name", { exact: true }).fill(opts.customer);
    if (opts.email) await page.getByLabel("Email (optional)").fill(opts.email);
    if (opts.currency) await page.getByLabel("Currency").selectOption(opts.currency);
    for (const [i, line] of opts.lines.entries()) {
      if (i > 0) await page.getByRole("button", { name: "Add line" }).click();
      await this.fillLine(i, line);
    }
    if (opts.reference) await page.getByLabel("Your reference (optional)").fill(opts.reference);
    await this.createButton().click();
    await expect(page).toHaveURL(/\/invoices\/inv_[0-9a-z]+$/);
    return page.url().split("/invoices/")[1]!;
  }

  createButton() {
    return this.page.getByRole("button", { name: "Create invoice" });
  }

  async recordPayment(amount: string, reference: string) {
    const { page } = this;
    const form = page.getByRole("form", { name: "Record a payment" });
    if (!(await form.isVisible())) await this.recordPaymentButton().click();
    await form.getByLabel(/^Amount/).fill(amount);
    await form.getByLabel("Reference (optional)").fill(reference);
    await form.getByRole("button", { name: "Record payment" }).click();
  }

  /** On an invoice's page: makes a payment link for what it still owes and returns its code (a new one each call). */
  async createLink() {
    const { page } = this;
    const created = page.getByTestId("created-link");
    const before = (await created.count()) ? await created.inputValue() : null;
    await page.getByRole("button", { name: "Create payment link" }).click();
    if (before) await expect(created).not.toHaveValue(before);
    const url = await created.inputValue();
    const code = /\/pay\/([A-Z0-9]{8})$/.exec(url)?.[1];
    expect(code, url).toBeTruthy();
    return code!;
  }

  /** On an invoice's page: its payment links, each with its amounts and badges. */
  paymentLinks() {
    return this.page.getByRole("list", { name: "Payment links for this invoice" });
  }

  recordPaymentButton() {
    return this.page.getByRole("button", { name: "Record payment" });
  }

  voidButton() {
    return this.page.getByRole("button", { name: "Void invoice" });
  }

  /** An invoice page's heading, which carries its number and status. */
  heading(number = "INV-000001") {
    return this.page.getByRole("heading", { name: new RegExp(number) });
  }

  /** A status tab of the list by its whole label, count included, e.g. "Unpaid 1". */
  tab(label: string) {
    return this.page.getByRole("link", { name: label, exact: true });
  }

  statusTabs() {
    return this.page.getByRole("navigation", { name: "Invoice status" });
  }

  /** The invoice's link in the list's table. */
  listed(number = "INV-000001") {
    return this.page.getByRole("table", { name: "Invoices" }).getByRole("link", { name: number });
  }

  timeline() {
    return this.page.getByRole("list", { name: "Timeline" });
  }

  /** On an invoice's page: a payment's Refund link (the first payment's when `nth` is left out); owners and admins only. */
  refundLink(nth = 0) {
    return this.page.getByRole("table", { name: "Payments" }).getByRole("link", { name: /^Refund/ }).nth(nth);
  }

  refundForm() {
    return this.page.getByRole("form", { name: "Refund a payment" });
  }

  /**
   * Opens the refund form from a payment's Refund link (if it is not open)
   * and submits it. `outcome` is the sandbox's choice; `reference` the
   * transfer's, for money that came outside Settle. Waits for nothing: after
   * a refund that went through, wait for the form to close before the next.
   */
  async refund(opts: { amount?: string; reason: string; outcome?: "Refund succeeds" | "Refund fails"; reference?: string }) {
    const form = this.refundForm();
    if (!(await form.isVisible())) await this.refundLink().click();
    if (opts.amount !== undefined) await form.getByLabel(/^Amount/).fill(opts.amount);
    await form.getByLabel("Reason").fill(opts.reason);
    if (opts.outcome) await form.getByLabel(opts.outcome).check();
    if (opts.reference !== undefined) await form.getByLabel("Transfer reference").fill(opts.reference);
    await form.getByRole("button", { name: "Refund payment" }).click();
  }

  /** The invoice's refunds, oldest first. */
  refunds() {
    return this.page.getByRole("list", { name: "Refunds" }).getByRole("listitem");
  }

  /** The CSV export as this page's session downloads it; `status` as for openList. */
  async exportCsv(status?: string) {
    return (await this.page.request.get(status ? `/invoices/export?status=${status}` : "/invoices/export")).text();
  }
}
