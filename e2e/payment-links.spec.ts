import { randomBytes } from "node:crypto";
import { expect, newAccount, test } from "./fixtures";

test("the payment service and payment link forms keep what was typed on an error, with focus on the bad field", async ({ page, auth, settings, paymentLinks }) => {
  await auth.signUp(newAccount());
  const bank = `Bank ${randomBytes(3).toString("hex")}`;
  await settings.addBankAccount({ name: bank, bank: "970416", accountNumber: "12 34", holder: "Tran Tu Thien", signingSecret: `pss_${randomBytes(12).toString("hex")}` });
  await expect(page.getByText("An account number is 4 to 19 letters or digits, without spaces.")).toBeVisible();
  await expect(page.getByLabel("Account number")).toBeFocused();
  await expect(page.getByLabel("Account number")).toHaveValue("12 34");
  await expect(page.getByLabel("Name customers see")).toHaveValue(bank);
  await expect(page.getByLabel("Bank", { exact: true })).toHaveValue("970416");
  await expect(page.getByLabel("Account holder")).toHaveValue("Tran Tu Thien");
  await page.getByLabel("Account number").fill("257678859");
  await settings.addPaymentServiceButton().click();
  await expect(settings.paymentService(bank)).toBeVisible();

  await paymentLinks.open();
  const services = page.getByRole("group", { name: "Payment services offered" });
  await services.getByLabel("Sandbox").uncheck();
  await services.getByLabel(bank).check();
  await page.getByLabel("What is it for?").fill("Ao dai, size M");
  await page.getByLabel("Amount").fill("250000");
  await page.getByLabel("Success redirect URL (optional)").fill("not a url");
  await page.getByRole("button", { name: "Create payment link" }).click();
  await expect(page.locator("#standalone-link-success-error")).toBeVisible();
  await expect(page.getByLabel("Success redirect URL (optional)")).toBeFocused();
  await expect(page.getByLabel("Success redirect URL (optional)")).toHaveValue("not a url");
  await expect(services.getByLabel(bank)).toBeChecked();
  await expect(services.getByLabel("Sandbox")).not.toBeChecked();
  await expect(page.getByLabel("What is it for?")).toHaveValue("Ao dai, size M");
  await expect(page.getByLabel("Amount")).toHaveValue("250000");
});

test("on a 390 px phone /payment-links fits the screen, and each link says which invoice it is for", async ({ page, auth, invoices, paymentLinks }) => {
  await auth.signUp(newAccount());
  await invoices.create({ customer: "Linh Nguyen", currency: "VND", lines: [{ name: "Ao dai", price: "250000", qty: "1" }] });
  const number = (await page.getByRole("heading", { level: 1 }).textContent())!.match(/INV-\d+/)![0];
  const code = await invoices.createLink();
  await page.setViewportSize({ width: 390, height: 844 });
  await paymentLinks.open();
  await expect(paymentLinks.row(code)).toContainText(number);
  await expect(paymentLinks.row(code).getByRole("link", { name: number })).toHaveAttribute("href", /\/invoices\/inv_/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});

test("the standalone link form offers only the services that take the chosen currency", async ({ page, auth, settings, paymentLinks }) => {
  await auth.signUp(newAccount());
  await settings.openPaymentServices();
  await settings.addPaymentServiceButton().click();
  await settings.addBankAccount({ name: "ACB account", bank: "970416", accountNumber: "257678859", holder: "Tran Tu Thien", signingSecret: "pss_0123456789abcdef" });
  await paymentLinks.open();
  const offered = page.getByRole("group", { name: "Payment services offered" });
  await expect(offered.getByRole("checkbox")).toHaveCount(2);
  await expect(offered.getByLabel("ACB account")).toBeVisible();
  // A VietQR bank account takes VND only: asked in US dollars, only the sandbox is left.
  await page.getByLabel("Currency").selectOption("USD");
  await expect(offered.getByLabel("ACB account")).toHaveCount(0);
  await expect(offered.getByRole("checkbox")).toHaveCount(1);
  await expect(offered.getByRole("checkbox")).toBeChecked();
  await page.getByLabel("Currency").selectOption("VND");
  await expect(offered.getByLabel("ACB account")).toBeVisible();
});
