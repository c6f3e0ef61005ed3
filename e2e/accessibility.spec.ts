import { startReceiver } from "../test/webhook-receiver";
import { seriousViolations } from "./axe";
import { createLink } from "./checkout-pages";
import { confirmDialog, expect, newAccount, test } from "./fixtures";
import { InvoicePages } from "./pages/invoice-pages";

test("every dashboard page has no serious or critical axe finding, in light and in dark mode", async ({ page, auth }) => {
  test.setTimeout(180_000);
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
  const invoices = new InvoicePages(page);
  const invoiceId = await invoices.create({ customer: "Minh Nguyen", email: "minh@example.test", lines: [{ name: "Beans", price: "40", qty: "2" }] });
  await invoices.recordPayment("30", "BANK-7");
  await expect(page.getByTestId("invoice-paid")).toHaveText("$30.00");
  await createLink(page);
  await page.goto("/webhooks");
  await page.getByLabel("Endpoint URL").fill(receiver.url);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page).toHaveURL(/\/webhooks\/we_\w+$/);
  const endpoint = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("attempt-result")).toContainText("Delivered");
  await checkBothSchemes("test event result");
  await page.goto("/webhooks/deliveries");
  const delivery = await page.getByRole("row", { name: /webhook\.test/ }).getByRole("link").first().getAttribute("href");
  await page.goto("/settings/api-keys");
  await page.getByLabel("Key name").fill("Order system");
  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(page.getByTestId("new-api-key")).toBeVisible();
  // The once-only secret panel, before the sweep reloads the page into its table.
  await checkBothSchemes("new API key panel");

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
    "/settings/api-keys",
  ];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      for (const v of await seriousViolations(page)) problems.push(`${colorScheme} ${path}: ${v}`);
    }
  }
  await receiver.close();
  expect(problems).toEqual([]);
});

test("keyboard: a skip link, a visible focus ring, and a confirm dialog that Escape cancels", async ({ page, auth }) => {
  await auth.signUp(newAccount());
  await new InvoicePages(page).create({ customer: "Lan", lines: [{ name: "Tea", price: "10", qty: "1" }] });
  await page.goto(page.url());

  // The first Tab lands on "Skip to content", visible; Enter moves focus to the page itself.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();

  // Focused controls draw an outline.
  const voidButton = page.getByRole("button", { name: "Void invoice" });
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
  await expect(page.getByRole("heading", { name: /INV-000001/ })).toContainText("Unpaid");

  // Tab to the confirm button and press it: the invoice is voided and a toast says so.
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Void invoice" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: /INV-000001/ })).toContainText("Void");
  await expect(page.getByText("INV-000001 voided")).toBeVisible();
});

test("destructive actions ask first: cancelling a link needs a confirmation", async ({ page, auth }) => {
  await auth.signUp(newAccount());
  const code = await createLink(page, { description: "Cold brew kit" });
  const row = page.getByTestId("payment-links").locator(`tr[data-code="${code}"]`);
  await row.getByRole("button", { name: `Cancel link ${code}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(row).not.toContainText("Canceled");
  await row.getByRole("button", { name: `Cancel link ${code}` }).click();
  await confirmDialog(page, "Cancel link");
  await expect(page.getByText(`Link ${code} canceled`)).toBeVisible();
});
