import { AuthPages, confirmDialog, expect, newAccount, test } from "./fixtures";
import { InvoicePages } from "./pages/invoice-pages";

test("an invoice goes unpaid → partial → paid → extra, with its timeline and CSV export", async ({ page, auth }) => {
  await auth.signUp(newAccount());
  const invoices = new InvoicePages(page);

  await page.goto("/invoices/new");
  // The total updates while typing.
  await page.getByLabel("Item 1", { exact: true }).fill("Coffee beans");
  await page.getByLabel("Unit price").fill("12.50");
  await page.getByLabel("Qty").fill("2");
  await expect(page.getByTestId("invoice-total")).toHaveText("$25.00");

  const id = await invoices.create({
    customer: "Minh Nguyen",
    email: "minh@example.test",
    lines: [
      { name: "Coffee beans", price: "12.50", qty: "2" },
      { name: "Grinder", price: "60", qty: "1" },
      { name: "Filters", price: "1.25", qty: "4" },
    ],
  });
  await expect(page.getByRole("heading", { name: /INV-000001/ })).toContainText("Unpaid");
  await expect(page.getByTestId("invoice-amount")).toHaveText("$90.00");

  await page.goto("/invoices?status=unpaid");
  await expect(page.getByRole("link", { name: "Unpaid 1", exact: true })).toBeVisible();
  await expect(page.getByRole("table", { name: "Invoices" }).getByRole("link", { name: "INV-000001" })).toBeVisible();

  await page.goto(`/invoices/${id}`);
  await invoices.recordPayment("40", "BANK-001");
  await expect(page.getByRole("heading", { name: /INV-000001/ })).toContainText("Partial");
  await expect(page.getByTestId("invoice-paid")).toHaveText("$40.00");
  await expect(page.getByTestId("invoice-balance")).toHaveText("$50.00");

  await invoices.recordPayment("50.00", "BANK-002");
  await expect(page.getByRole("heading", { name: /INV-000001/ })).toContainText("Paid");
  await expect(page.getByTestId("invoice-balance")).toHaveText("$0.00");

  // The Paid tab's export holds exactly this invoice.
  const csv = await (await page.request.get("/invoices/export?status=paid")).text();
  const rows = csv.trim().split(/\r?\n/);
  expect(rows).toHaveLength(2);
  expect(rows[1]).toContain("INV-000001");
  expect(rows[1]).toContain("Minh Nguyen");
  expect(rows[1]).toContain("90.00");
  const unpaidCsv = await (await page.request.get("/invoices/export?status=unpaid")).text();
  expect(unpaidCsv.trim().split(/\r?\n/)).toHaveLength(1);

  await invoices.recordPayment("5", "BANK-003");
  await expect(page.getByRole("heading", { name: /INV-000001/ })).toContainText("Extra");
  await expect(page.getByTestId("invoice-balance")).toHaveText("$5.00");

  const timeline = page.getByRole("list", { name: "Timeline" });
  for (const label of ["Invoice created", "Partially paid", "Paid in full", "Overpaid"]) {
    await expect(timeline.getByText(label, { exact: true })).toBeVisible();
  }
  await expect(timeline.getByText("Payment received", { exact: true })).toHaveCount(3);
  await expect(timeline.getByText("$40.00 · Bank transfer · ref BANK-001")).toBeVisible();

  await page.goto("/invoices?status=extra");
  await expect(page.getByRole("link", { name: "Extra 1", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Paid 0", exact: true })).toBeVisible();
});

test("the invoice form shows every field's error at once and creates nothing", async ({ page, auth }) => {
  await auth.signUp(newAccount());
  await page.goto("/invoices/new");
  await page.getByLabel("Email (optional)").fill("not-an-email");
  await page.getByLabel("Unit price").fill("1.234");
  await page.getByRole("button", { name: "Create invoice" }).click();
  await expect(page.getByText("Enter the customer's name.")).toBeVisible();
  await expect(page.getByText(/Enter a valid email address/)).toBeVisible();
  await expect(page.getByText("Enter what this line is for.")).toBeVisible();
  await expect(page.getByText("USD amounts have at most 2 decimal places.")).toBeVisible();
  await expect(page).toHaveURL(/\/invoices\/new$/);
  await page.goto("/invoices");
  await expect(page.getByRole("link", { name: "All 0", exact: true })).toBeVisible();
});

test("void is offered while unpaid and the voided invoice moves to the Void tab", async ({ page, auth }) => {
  await auth.signUp(newAccount());
  const id = await new InvoicePages(page).create({ customer: "Lan", lines: [{ name: "Tea", price: "30000", qty: "1" }], currency: "VND" });
  await expect(page.getByTestId("invoice-amount")).toContainText("30,000");
  await page.getByRole("button", { name: "Void invoice" }).click();
  await confirmDialog(page, "Void invoice");
  await expect(page.getByRole("heading", { name: /INV-000001/ })).toContainText("Void");
  await expect(page.getByRole("button", { name: "Record payment" })).toHaveCount(0);
  await page.goto("/invoices?status=void");
  await expect(page.getByRole("table", { name: "Invoices" }).getByRole("link", { name: "INV-000001" })).toHaveAttribute("href", `/invoices/${id}`);
});

test("another merchant's invoice is not found, through the page and the export", async ({ page, auth, browser }) => {
  await auth.signUp(newAccount("alice"));
  const id = await new InvoicePages(page).create({ customer: "Alice's customer", lines: [{ name: "Secret", price: "10", qty: "1" }] });

  const other = await browser.newContext();
  const bob = await other.newPage();
  await new AuthPages(bob).signUp(newAccount("bob"));
  const res = await bob.goto(`/invoices/${id}`);
  expect(res?.status()).toBe(404);
  await expect(bob.getByText("Alice's customer")).toHaveCount(0);
  const csv = await (await bob.request.get("/invoices/export")).text();
  expect(csv).not.toContain("Alice's customer");
  expect(csv.trim().split(/\r?\n/)).toHaveLength(1);
  await other.close();
});
