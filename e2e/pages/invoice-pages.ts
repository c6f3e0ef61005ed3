import { expect, type Page } from "@playwright/test";

export interface LineInput {
  name: string;
  price: string;
  qty: string;
}

export class InvoicePages {
  constructor(private readonly page: Page) {}

  async create(opts: { customer: string; email?: string; currency?: string; lines: LineInput[]; reference?: string }) {
    const { page } = this;
    await page.goto("/invoices/new");
    await page.getByLabel("Name", { exact: true }).fill(opts.customer);
    if (opts.email) await page.getByLabel("Email (optional)").fill(opts.email);
    if (opts.currency) await page.getByLabel("Currency").selectOption(opts.currency);
    for (const [i, line] of opts.lines.entries()) {
      if (i > 0) await page.getByRole("button", { name: "Add line" }).click();
      await page.getByLabel(`Item ${i + 1}`, { exact: true }).fill(line.name);
      await page.getByLabel("Unit price").nth(i).fill(line.price);
      await page.getByLabel("Qty").nth(i).fill(line.qty);
    }
    if (opts.reference) await page.getByLabel("Your reference (optional)").fill(opts.reference);
    await page.getByRole("button", { name: "Create invoice" }).click();
    await expect(page).toHaveURL(/\/invoices\/inv_[0-9a-z]+$/);
    return page.url().split("/invoices/")[1]!;
  }

  async recordPayment(amount: string, reference: string) {
    const { page } = this;
    const form = page.getByRole("form", { name: "Record a payment" });
    if (!(await form.isVisible())) await page.getByRole("button", { name: "Record payment" }).click();
    await form.getByLabel(/^Amount/).fill(amount);
    await form.getByLabel("Reference (optional)").fill(reference);
    await form.getByRole("button", { name: "Record payment" }).click();
  }
}
