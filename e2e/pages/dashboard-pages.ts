import type { Page } from "@playwright/test";

/** The dashboard's overview, and the app shell around every dashboard page. */
export class DashboardPages {
  constructor(private readonly page: Page) {}

  /** `query` as in the URL, e.g. "?period=12". */
  open(query = "") {
    return this.page.goto(`/dashboard${query}`);
  }

  /** The shell's name of the merchant signed in to. */
  merchantName() {
    return this.page.getByTestId("merchant-name");
  }

  mainNav() {
    return this.page.getByRole("navigation", { name: "Main" });
  }

  firstSteps() {
    return this.page.getByTestId("first-steps");
  }

  /** A figure card, by its test id: collected-today, collected-7d, collected-30d, outstanding, webhook-health. */
  card(testId: string) {
    return this.page.getByTestId(testId);
  }

  invoicesByStatus() {
    return this.page.getByRole("navigation", { name: "Invoices by status" });
  }

  period() {
    return this.page.getByRole("navigation", { name: "Period" });
  }

  activity() {
    return this.page.getByRole("list", { name: "Recent activity" });
  }
}
