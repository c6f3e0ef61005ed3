import { startReceiver } from "../test/webhook-receiver";
import { seriousViolations } from "./axe";
import { expect, newAccount, test } from "./fixtures";

test("every dashboard page has no serious or critical axe finding, in light and in dark mode", async ({ page, auth, invoices, paymentLinks, webhooks, apiKeys, settings }) => {
  // Two to eight minutes of axe scans on a 2-core machine (40 pages and panels, each scanned twice;
  // slowest on the embedded database);
  // the limit leaves room for a busy one.
  test.setTimeout(900_000);
  const receiver = await startReceiver();
  await auth.signUp(newAccount());
  const problems: string[] = [];
  // What only shows after an action: checked where it appears, in both schemes.
  const checkBothSchemes = async (what: string) => {
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      for (const v of await seriousViolations(page)) problems.push(`${colorScheme} ${what}: ${v}`);
    }
    await page.emulateMedia({ colorScheme: "light" });
  };

  // Something on every page: a part-paid invoice, a payment link, an endpoint with a delivery.
  const invoiceId = await invoices.create({ customer: "Minh Nguyen", email: "minh@example.test", lines: [{ name: "Beans", price: "40", qty: "2" }] });
  await invoices.recordPayment("30", "BANK-7");
  await expect(page.getByTestId("invoice-paid")).toHaveText("$30.00");
  await paymentLinks.create();
  await webhooks.open();
  const endpoint = await webhooks.addEndpoint(receiver.url);
  await expect(page).toHaveURL(/\/webhooks\/we_\w+$/);
  await webhooks.sendTestEvent();
  await expect(webhooks.attemptResult()).toContainText("Delivered");
  await checkBothSchemes("test event result");
  await webhooks.openDeliveries();
  const delivery = await webhooks.deliveryRow(/webhook\.test/).getByRole("link").first().getAttribute("href");
  await apiKeys.open();
  await apiKeys.submit("Order system");
  await expect(apiKeys.newKeyPanel()).toBeVisible();
  // The once-only secret panel, before the sweep reloads the page into its table.
  await checkBothSchemes("new API key panel");
  await settings.addBankAccount({ name: "ACB account", bank: "970416", accountNumber: "257678859", holder: "Tran Tu Thien", signingSecret: "pss_0123456789abcdef" });
  await settings.openPaymentService("ACB account");
  const service = new URL(page.url()).pathname;

  const pages = [
    "/dashboard",
    "/dashboard?period=7",
    "/invoices",
    "/invoices/new",
    `/invoices/${invoiceId}`,
    "/payment-links",
    "/payment-links/notifications",
    "/webhooks",
    endpoint,
    "/webhooks/deliveries",
    delivery!,
    "/webhooks/settings",
    "/settings",
    "/settings/team",
    "/settings/audit",
    "/settings/payment-services",
    service,
    "/settings/api-keys",
    "/settings/account",
    "/docs/api",
  ];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      // Scalar renders the reference in the browser, after the document has loaded.
      if (path === "/docs/api") await expect(page.getByRole("heading", { name: "Settle API" }).first()).toBeVisible({ timeout: 20_000 });
      for (const v of await seriousViolations(page)) problems.push(`${colorScheme} ${path}: ${v}`);
    }
  }
  await receiver.close();
  expect(problems).toEqual([]);
});

test("keyboard: a skip link, a visible focus ring, and a confirm dialog that Escape cancels", async ({ page, auth, invoices }) => {
  await auth.signUp(newAccount());
  await invoices.create({ customer: "Lan", lines: [{ name: "Tea", price: "10", qty: "1" }] });
  await page.goto(page.url());

  // The first Tab lands on "Skip to content", visible; Enter moves focus to the page itself.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();

  // Focused controls draw an outline.
  const voidButton = invoices.voidButton();
  await voidButton.focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await expect(voidButton).toBeFocused();
  expect(await voidButton.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");

  // Enter opens the dialog with focus on Cancel; Escape closes it, nothing changes, focus returns.
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Void INV-000001?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(voidButton).toBeFocused();
  await expect(invoices.heading()).toContainText("Unpaid");

  // Tab to the confirm button and press it: the invoice is voided and a toast says so.
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Void invoice" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(invoices.heading()).toContainText("Void");
  await expect(page.getByText("INV-000001 voided")).toBeVisible();
});

test("destructive actions ask first: cancelling a link needs a confirmation", async ({ page, auth, paymentLinks }) => {
  await auth.signUp(newAccount());
  const code = await paymentLinks.create({ description: "Cold brew kit" });
  const row = paymentLinks.row(code);
  await paymentLinks.cancelButton(code).click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(row).not.toContainText("Canceled");
  await paymentLinks.cancel(code);
  await expect(page.getByText(`Link ${code} canceled`)).toBeVisible();
});

test("the forgot and reset password pages, and the dev outbox, have no serious or critical axe finding", async ({ page }) => {
  const problems: string[] = [];
  const check = async (what: string) => {
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      for (const v of await seriousViolations(page)) problems.push(`${colorScheme} ${what}: ${v}`);
    }
    await page.emulateMedia({ colorScheme: "light" });
  };
  for (const path of ["/login?reset=1", "/forgot-password", "/reset-password/no-such-link", "/dev/outbox"]) {
    await page.goto(path);
    await check(path);
  }
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill("someone@example.test");
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  await expect(page.getByText(/^If an account exists/)).toBeVisible();
  await check("forgot password answer");
  expect(problems).toEqual([]);
});
