import { AuthPages, confirmDialog, expect, newAccount, test } from "./fixtures";
import { InvoicePages } from "./pages/invoice-pages";

test("an invoice goes unpaid → partial → paid → extra, with its timeline and CSV export", async ({ page, auth, invoices }) => {
  await auth.signUp(newAccount());

  await invoices.openNew();
  // The total updates while typing.
  await invoices.fillLine(0, { name: "Coffee beans", price: "12.50", qty: "2" });
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
  await expect(invoices.heading()).toContainText("Unpaid");
  await expect(page.getByTestId("invoice-amount")).toHaveText("$90.00");

  await invoices.openList("unpaid");
  await expect(invoices.tab("Unpaid 1")).toBeVisible();
  await expect(invoices.listed()).toBeVisible();

  await invoices.open(id);
  await invoices.recordPayment("40", "BANK-001");
  await expect(invoices.heading()).toContainText("Partial");
  await expect(page.getByTestId("invoice-paid")).toHaveText("$40.00");
  await expect(page.getByTestId("invoice-balance")).toHaveText("$50.00");

  await invoices.recordPayment("50.00", "BANK-002");
  await expect(invoices.heading()).toContainText("Paid");
  await expect(page.getByTestId("invoice-balance")).toHaveText("$0.00");

  // The Paid tab's export holds exactly this invoice.
  const csv = await invoices.exportCsv("paid");
  const rows = csv.trim().split(/\r?\n/);
  expect(rows).toHaveLength(2);
  expect(rows[1]).toContain("INV-000001");
  expect(rows[1]).toContain("Minh Nguyen");
  expect(rows[1]).toContain("90.00");
  const unpaidCsv = await invoices.exportCsv("unpaid");
  expect(unpaidCsv.trim().split(/\r?\n/)).toHaveLength(1);

  await invoices.recordPayment("5", "BANK-003");
  await expect(invoices.heading()).toContainText("Extra");
  await expect(page.getByTestId("invoice-balance")).toHaveText("$5.00");

  const timeline = invoices.timeline();
  for (const label of ["Invoice created", "Partially paid", "Paid in full", "Overpaid"]) {
    await expect(timeline.getByText(label, { exact: true })).toBeVisible();
  }
  await expect(timeline.getByText("Payment received", { exact: true })).toHaveCount(3);
  await expect(timeline.getByText("$40.00 · Bank transfer · ref BANK-001")).toBeVisible();

  await invoices.openList("extra");
  await expect(invoices.tab("Extra 1")).toBeVisible();
  await expect(invoices.tab("Paid 0")).toBeVisible();
});

test("the invoice form shows every field's error at once and creates nothing", async ({ page, auth, invoices }) => {
  await auth.signUp(newAccount());
  await invoices.openNew();
  await page.getByLabel("Email (optional)").fill("not-an-email");
  await page.getByLabel("Unit price").fill("1.234");
  await invoices.createButton().click();
  await expect(page.getByText("Enter the customer's name.")).toBeVisible();
  await expect(page.getByText(/Enter a valid email address/)).toBeVisible();
  await expect(page.getByText("Enter what this line is for.")).toBeVisible();
  await expect(page.getByText("USD amounts have at most 2 decimal places.")).toBeVisible();
  await expect(page).toHaveURL(/\/invoices\/new$/);
  await invoices.openList();
  await expect(invoices.tab("All 0")).toBeVisible();
});

test("an unusually large total must be confirmed before the invoice is created", async ({ page, auth, invoices }) => {
  await auth.signUp(newAccount());
  await invoices.openNew();
  await page.getByLabel("Name", { exact: true }).fill("Big Spender");
  await invoices.fillLine(0, { name: "Espresso machine", price: "1000000000", qty: "1" });
  const confirm = page.getByLabel("This total is unusually large, and it is right.");
  await expect(confirm).toBeVisible();
  await invoices.createButton().click();
  await expect(page.getByText(/This total is unusually large: an extra zero is easy to type/)).toBeVisible();
  await expect(confirm).toBeFocused();
  await expect(page).toHaveURL(/\/invoices\/new$/);
  await confirm.check();
  await invoices.createButton().click();
  await expect(invoices.heading()).toBeVisible();
  await expect(page.getByText("$1,000,000,000.00").first()).toBeVisible();
});

test("void is offered while unpaid and the voided invoice moves to the Void tab", async ({ page, auth, invoices }) => {
  await auth.signUp(newAccount());
  const id = await invoices.create({ customer: "Lan", lines: [{ name: "Tea", price: "30000", qty: "1" }], currency: "VND" });
  await expect(page.getByTestId("invoice-amount")).toContainText("30,000");
  await invoices.voidButton().click();
  await confirmDialog(page, "Void invoice");
  await expect(invoices.heading()).toContainText("Void");
  await expect(invoices.recordPaymentButton()).toHaveCount(0);
  await invoices.openList("void");
  await expect(invoices.listed()).toHaveAttribute("href", `/invoices/${id}`);
});

test("another merchant's invoice is not found, through the page and the export", async ({ auth, invoices, browser }) => {
  await auth.signUp(newAccount("alice"));
  const id = await invoices.create({ customer: "Alice's customer", lines: [{ name: "Secret", price: "10", qty: "1" }] });

  // Bob signs up in a browser of his own: a separate merchant, not a teammate.
  const other = await browser.newContext();
  const bob = await other.newPage();
  await new AuthPages(bob).signUp(newAccount("bob"));
  const res = await bob.goto(`/invoices/${id}`);
  expect(res?.status()).toBe(404);
  await expect(bob.getByText("Alice's customer")).toHaveCount(0);
  const csv = await new InvoicePages(bob).exportCsv();
  expect(csv).not.toContain("Alice's customer");
  expect(csv.trim().split(/\r?\n/)).toHaveLength(1);
  await other.close();
});

test("a past due date must be confirmed; the invoice is then marked overdue, and only services taking its currency are offered", async ({ page, auth, invoices, settings }) => {
  await auth.signUp(newAccount());
  // A bank transfer takes VND only: it must not be offered for a USD invoice.
  await settings.addBankAccount({ name: "ACB account", bank: "970416", accountNumber: "257678859", holder: "Tran Tu Thien", signingSecret: "pss_e2e_overdue_secret_0001" });
  await expect(settings.paymentService("ACB account")).toBeVisible();

  await invoices.openNew();
  await page.getByLabel("Name", { exact: true }).fill("Late Customer");
  await invoices.fillLine(0, { name: "Consulting", price: "120", qty: "1" });
  await page.getByLabel("Due date (optional)").fill("2020-01-31");
  const confirm = page.getByLabel("This due date is in the past: create the invoice as already overdue.");
  await expect(confirm).toBeVisible();
  await invoices.createButton().click();
  await expect(page.getByText(/This due date is in the past, so the invoice would be overdue at once/)).toBeVisible();
  await expect(confirm).toBeFocused();
  await expect(page).toHaveURL(/\/invoices\/new$/);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Late Customer");

  await confirm.check();
  await invoices.createButton().click();
  await expect(page).toHaveURL(/\/invoices\/inv_[0-9a-z]+$/);
  await expect(page.getByRole("heading", { level: 1 }).getByText("Overdue")).toBeVisible();
  const services = page.getByRole("group", { name: "Payment services offered" });
  await expect(services.getByLabel("Sandbox")).toBeVisible();
  await expect(services.getByLabel("ACB account")).toHaveCount(0);

  await invoices.openList();
  await expect(page.getByRole("table", { name: "Invoices" }).getByText("Overdue")).toBeVisible();
  await invoices.create({ customer: "On Time", lines: [{ name: "Tea", price: "5", qty: "1" }] });
  await expect(page.getByText("Overdue")).toHaveCount(0);
});

test("support typing /invoices/new is told their role cannot create invoices", async ({ auth, team }) => {
  await auth.signUp(newAccount("owner"));
  const member = await team.joinAs("support");
  await member.page.goto("/invoices/new");
  await expect(member.page.getByText("Your role cannot create invoices.")).toBeVisible();
  await expect(member.page.getByRole("button", { name: "Create invoice" })).toHaveCount(0);
});

test("an invoice's open checkout link: copy it, scan its QR, select it without JavaScript; search ignores accents", async ({ page, auth, invoices, browser, baseURL }) => {
  await auth.signUp(newAccount());
  const id = await invoices.create({ customer: "Nguyễn Văn A", email: "van.a@example.test", lines: [{ name: "Phở", price: "4.50", qty: "2" }] });
  const card = page.getByTestId("checkout-link");
  await expect(card).toHaveCount(0);

  const code = await invoices.createLink();
  const url = `${baseURL}/pay/${code}`;
  await expect(card.getByRole("textbox", { name: "Checkout link" })).toHaveValue(url);
  await expect(card.getByRole("img", { name: /QR code of the checkout link/ })).toBeVisible();

  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await card.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByText("Link copied")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  // The site icon every page links to is there.
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect((await page.request.get(icon!)).headers()["content-type"]).toContain("image/svg+xml");

  // Without JavaScript: the link is there to select, and no button that could not work.
  const noJs = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await noJs.newPage();
  await plain.goto(`/invoices/${id}`);
  const plainCard = plain.getByTestId("checkout-link");
  await expect(plainCard.getByRole("textbox", { name: "Checkout link" })).toHaveValue(url);
  await expect(plainCard.getByRole("button", { name: "Copy" })).toHaveCount(0);
  await expect(plainCard.getByRole("img", { name: /QR code/ })).toBeVisible();
  await noJs.close();

  // Typed without its accents, or in capitals, the name still finds the invoice.
  for (const q of ["nguyen van", "NGUYEN", "nguyễn"]) {
    await page.goto(`/invoices?q=${encodeURIComponent(q)}`);
    await expect(invoices.listed(), q).toBeVisible();
    await expect(page.getByRole("table", { name: "Invoices" }).getByText("Nguyễn Văn A")).toBeVisible();
  }
});
