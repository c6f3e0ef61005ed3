import { seriousViolations } from "./axe";
import { expect, newAccount, test } from "./fixtures";

test("a new merchant is told what to do first; an invoice created and paid moves the figures, the counts and the charts", async ({ page, auth, dashboard, invoices }) => {
  await auth.signUp(newAccount());
  const steps = dashboard.firstSteps();
  await expect(steps).toContainText("0 of 3 done");
  for (const step of ["Create your first invoice", "Link a bank account", "Add a webhook endpoint"]) await expect(steps).toContainText(step);
  await expect(dashboard.card("collected-today")).toContainText("—");
  await expect(dashboard.card("outstanding")).toContainText("Nothing owed");
  const byStatus = dashboard.invoicesByStatus();
  await expect(byStatus.getByRole("link", { name: "Unpaid 0" })).toBeVisible();
  await expect(page.getByText("No payments yet in this period.")).toBeVisible();
  await expect(page.getByText("No invoices in this period.")).toBeVisible();
  await expect(dashboard.card("webhook-health")).toContainText("No webhook endpoint yet");
  await expect(page.getByText("Nothing has happened yet.")).toBeVisible();
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page), `empty dashboard, ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });

  await steps.getByRole("link", { name: "New invoice →" }).click();
  await expect(page).toHaveURL(/\/invoices\/new$/);
  await invoices.create({ customer: "Minh Nguyen", lines: [{ name: "Espresso machine service", price: "90", qty: "1" }] });

  await dashboard.open();
  await expect(steps).toContainText("1 of 3 done");
  await expect(byStatus.getByRole("link", { name: "Unpaid 1" })).toBeVisible();
  await expect(dashboard.card("outstanding")).toContainText("$90.00");
  await expect(dashboard.card("outstanding")).toContainText("1 invoice still owing");
  await expect(page.getByText("1 created, 0 paid in full in the last 30 days")).toBeVisible();
  const activity = dashboard.activity();
  await expect(activity.getByRole("listitem").first()).toContainText("Invoice created · INV-000001");

  await activity.getByRole("link", { name: "INV-000001" }).first().click();
  await invoices.recordPayment("90.00", "BANK-1");
  await expect(invoices.heading()).toContainText("Paid");

  await dashboard.open();
  for (const card of ["collected-today", "collected-7d", "collected-30d"]) await expect(dashboard.card(card)).toContainText("$90.00");
  await expect(dashboard.card("outstanding")).toContainText("Nothing owed");
  await expect(byStatus.getByRole("link", { name: "Unpaid 0" })).toBeVisible();
  await expect(byStatus.getByRole("link", { name: "Paid 1" })).toBeVisible();
  await expect(page.getByText("$90.00 in the last 30 days")).toBeVisible();
  await expect(page.getByText("1 created, 1 paid in full in the last 30 days")).toBeVisible();
  await expect(activity.getByRole("listitem").first()).toContainText("Paid in full · INV-000001");
  // The chart's figures are there for screen readers too.
  await expect(page.getByRole("table", { name: "Money collected per day in USD" }).getByRole("row").last()).toContainText("$90.00");
});

test("the period switcher lives in the URL, and each status count opens the list on that tab", async ({ page, auth, dashboard, invoices }) => {
  await auth.signUp(newAccount());
  await invoices.create({ customer: "Lan", lines: [{ name: "Tea", price: "30000", qty: "2" }], currency: "VND" });
  await dashboard.open();

  const period = dashboard.period();
  await expect(period.getByRole("link", { name: "30 days" })).toHaveAttribute("aria-current", "page");
  await period.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/\/dashboard\?period=7$/);
  await expect(period.getByRole("link", { name: "7 days" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("1 created, 0 paid in full in the last 7 days")).toBeVisible();
  await period.getByRole("link", { name: "90 days" }).click();
  await expect(page).toHaveURL(/period=90/);
  await expect(page.getByText("1 created, 0 paid in full in the last 90 days")).toBeVisible();
  // A period that is not offered falls back to 30 days.
  await dashboard.open("?period=12");
  await expect(period.getByRole("link", { name: "30 days" })).toHaveAttribute("aria-current", "page");

  await dashboard.invoicesByStatus().getByRole("link", { name: "Unpaid 1" }).click();
  await expect(page).toHaveURL(/\/invoices\?status=unpaid$/);
  await expect(invoices.statusTabs().getByRole("link", { name: "Unpaid 1" })).toHaveAttribute("aria-current", "page");
  await expect(invoices.listed()).toBeVisible();
});
