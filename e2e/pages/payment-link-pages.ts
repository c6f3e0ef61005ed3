import { expect, type Page } from "@playwright/test";
import { confirmDialog } from "./confirm-dialog";

export interface LinkInput {
  amount?: string;
  description?: string;
  successUrl?: string;
  failureUrl?: string;
  /** The payment services offered, by the name customers see; the others are turned off. */
  services?: string[];
}

/** Payment links, the merchant's side: making standalone links and cancelling them. */
export class PaymentLinkPages {
  constructor(private readonly page: Page) {}

  open(query = "") {
    return this.page.goto(`/payment-links${query}`);
  }

  /** Makes a standalone link from /payment-links and returns its code. */
  async create(opts: LinkInput = {}) {
    const { page } = this;
    await this.open();
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
    // Without a code every later step would act on "/pay/undefined": fail here, showing the URL.
    expect(code, url).toBeTruthy();
    return code!;
  }

  /** The link's row in the list on /payment-links. */
  row(code: string) {
    return this.page.getByTestId("payment-links").locator(`tr[data-code="${code}"]`);
  }

  cancelButton(code: string) {
    return this.row(code).getByRole("button", { name: `Cancel link ${code}` });
  }

  /** Cancels the link from its row, confirming the dialog. */
  async cancel(code: string) {
    await this.cancelButton(code).click();
    await confirmDialog(this.page, "Cancel link");
  }
}
