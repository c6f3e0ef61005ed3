import { seriousViolations } from "./axe";
import { expect, newAccount, test } from "./fixtures";
import { InvoicePages } from "./pages/invoice-pages";

test("a new merchant is told what to do first; an invoice created and paid moves the figures, the counts and the charts", async ({ page, auth }) => {
  await auth.signUp(newAccount());
  const steps = page.getByTestId("first-steps");
  await expect(steps).toContainText("0 of 3 done");
  for (const step of ["Create your first invoice", "Link a bank account", "Add a webhook endpoint"]) await expect(steps).toContainText(step);
  await expect(page.getByTestId("collected-today")).toContainText("—");
  await expect(page.getByTestId("outstanding")).toContainText("Nothing owed");
  const byStatus = page.getByRole("navigation", { name: "Invoices by status" });
  await expect(byStatus.getByRole("link", { name: "Unpaid 0" })).toBeVisible();
  await expect(page.getByText("No payments yet in this period.")).toBeVisible();
  await expect(page.getByText("No invoices in this period.")).toBeVisible();
  await expect(page.getByTestId("webhook-health")).toContainText("No webhook endpoint yet");
  await expect(page.getByText("Nothing has happened yet.")).toBeVisible();
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page), `empty dashboard, ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });

  await steps.getByRole("link", { name: "New invoice →" }).click();
  await expect(page).toHaveURL(/\/invoices\/new$/);
  const invoices = new InvoicePages(page);
  await invoices.create({ customer: "Minh Nguyen", lines: [{ name: "Espresso machine service", price: "90", qty: "1" }] });

  await page.goto("/dashboard");
  await expect(steps).toContainText("1 of 3 done");
  await expect(byStatus.getByRole("link", { name: "Unpaid 1" })).toBeVisible();
  await expect(page.getByTestId("outstanding")).toContainText("$90.00");
  await expect(page.getByTestId("outstanding")).toContainText("1 invoice still owing");
  await expect(page.getByText("1 created, 0 paid in full in the last 30 days")).toBeVisible();
  const activity = page.getByRole("list", { name: "Recent activity" });
  await expect(activity.getByRole("listitem").first()).toContainText("Invoice created · INV-000001");

  await activity.getByRole("link", { name: "INV-000001" }).first().click();
  await invoices.recordPayment("90.00", "BANK-1");
  await expect(page.getByRole("heading", { name: /INV-000001/ })).toContainText("Paid");

  await page.goto("/dashboard");
  for (const card of ["collected-today", "collected-7d", "collected-30d"]) await expect(page.getByTestId(card)).toContainText("$90.00");
  await expect(page.getByTestId("outstanding")).toContainText("Nothing owed");
  await expect(byStatus.getByRole("link", { name: "Unpaid 0" })).toBeVisible();
  await expect(byStatus.getByRole("link", { name: "Paid 1" })).toBeVisible();
  await expect(page.getByText("$90.00 in the last 30 days")).toBeVisible();
  await expect(page.getByText("1 created, 1 paid in full in the last 30 days")).toBeVisible();
  await expect(activity.getByRole("listitem").first()).toContainText("Paid in full · INV-000001");
  // The chart's figures are there for screen readers too.
  await expect(page.getByRole("table", { name: "Money collected per day in USD" }).getByRole("row").last()).toContainText("$90.00");
});

test("the period switcher lives in the URL, and each status count opens the list on that tab", async ({ page, auth }) => {
  await auth.signUp(newAccount());
  await new InvoicePages(page).create({ customer: "Lan", lines: [{ name: "Tea", price: "30000", qty: "2" }], currency: "VND" });
  await page.goto("/dashboard");

  const period = page.getByRole("navigation", { name: "Period" });
  await expect(period.getByRole("link", { name: "30 days" })).toHaveAttribute("aria-current", "page");
  await period.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/\/dashboard\?period=7$/);
  await expect(period.getByRole("link", { name: "7 days" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("1 created, 0 paid in full in the last 7 days")).toBeVisible();
  await period.getByRole("link", { name: "90 days" }).click();
  await expect(page).toHaveURL(/period=90/);
  await expect(page.getByText("1 created, 0 paid in full in the last 90 days")).toBeVisible();
  // A period that is not offered falls back to 30 days.
  await page.goto("/dashboard?period=12");
  await expect(period.getByRole("link", { name: "30 days" })).toHaveAttribute("aria-current", "page");

  await page.getByRole("navigation", { name: "Invoices by status" }).getByRole("link", { name: "Unpaid 1" }).click();
  await expect(page).toHaveURL(/\/invoices\?status=unpaid$/);
  await expect(page.getByRole("navigation", { name: "Invoice status" }).getByRole("link", { name: "Unpaid 1" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("table", { name: "Invoices" }).getByRole("link", { name: "INV-000001" })).toBeVisible();
});
