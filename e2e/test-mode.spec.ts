import { seriousViolations } from "./axe";
import { expect, newAccount, test } from "./fixtures";

const banner = (page: import("@playwright/test").Page) => page.getByTestId("test-mode-banner");
const modeSwitch = (page: import("@playwright/test").Page) => page.getByRole("switch", { name: "Test mode" });

test("a new account opens in test mode; the switch shows live data, where there is no sandbox, and back", async ({ page, auth, invoices, settings, paymentLinks, customers }) => {
  // Both modes end to end (an invoice, a bank account, a link, a customer's checkout): about 30 s on a quiet machine.
  test.setTimeout(120_000);
  await auth.signUp(newAccount());
  await expect(banner(page)).toContainText("Test mode — you are looking at test data");
  await expect(modeSwitch(page)).toHaveAttribute("aria-checked", "true");
  await invoices.create({ customer: "Test customer", lines: [{ name: "Tea", price: "10", qty: "1" }] });
  await expect(invoices.heading()).toBeVisible();

  // To live: the banner goes, the test invoice is not there, and the link form offers no sandbox.
  await modeSwitch(page).click();
  await expect(page).toHaveURL(/\/invoices$/);
  await expect(banner(page)).toHaveCount(0);
  await expect(modeSwitch(page)).toHaveAttribute("aria-checked", "false");
  await expect(page.getByText("Test customer")).toHaveCount(0);
  await paymentLinks.open();
  await expect(page.getByLabel("Sandbox")).toHaveCount(0);
  await expect(page.getByText("No payment service of yours can take this payment")).toBeVisible();
  await page.goto("/dashboard");
  await expect(page.getByTestId("first-steps")).toContainText("Live mode offers only what you link");

  // A live link through a bank account the merchant linked: its checkout has no test ribbon and no sandbox bank.
  await settings.openPaymentServices();
  await settings.addPaymentServiceButton().click();
  await settings.addBankAccount({ name: "ACB account", bank: "970416", accountNumber: "257678859", holder: "Tran Tu Thien", signingSecret: "pss_0123456789abcdef" });
  const code = await paymentLinks.create({ services: ["ACB account"] });
  const checkout = await customers.checkout();
  await checkout.open(code);
  await expect(checkout.page.getByTestId("bank-name")).toHaveText("ACB");
  await expect(checkout.page.getByTestId("test-payment-ribbon")).toHaveCount(0);
  await expect(checkout.bankAppLink()).toHaveCount(0);
  // The sandbox's own pages do not exist for a live link.
  const sandbox = await checkout.page.request.get(`/sandbox/${code}?service=svc_anything&flow=qr`);
  expect(sandbox.status()).toBe(404);
  await checkout.close();

  // Back to test: the banner, and the test invoice.
  await page.goto("/dashboard");
  await modeSwitch(page).click();
  await expect(banner(page)).toBeVisible();
  await invoices.openList();
  await expect(page.getByRole("table", { name: "Invoices" }).getByText("Test customer")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("the banner switches to live in one press, and works without JavaScript", async ({ browser, auth, page }) => {
  const account = newAccount();
  await auth.signUp(account);
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const noJs = await context.newPage();
  await noJs.goto("/payment-links");
  await noJs.getByRole("button", { name: "Switch to live data" }).click();
  await expect(noJs).toHaveURL(/\/payment-links$/);
  await expect(noJs.getByTestId("test-mode-banner")).toHaveCount(0);
  await expect(noJs.getByRole("switch", { name: "Test mode" })).toHaveAttribute("aria-checked", "false");
  await context.close();
});

test("a test link's checkout says no money moves, in English, Arabic and Vietnamese", async ({ auth, paymentLinks, customers }) => {
  await auth.signUp(newAccount());
  const code = await paymentLinks.create();
  const checkout = await customers.checkout();
  const ribbon = checkout.page.getByTestId("test-payment-ribbon");
  await checkout.open(code);
  await expect(ribbon).toContainText("Test payment — no money moves");
  await checkout.open(code, "?lang=ar");
  await expect(ribbon).toContainText("دفعة تجريبية — لا تنتقل أي أموال");
  await expect(checkout.page.locator("html")).toHaveAttribute("dir", "rtl");
  await checkout.open(code, "?lang=vi");
  await expect(ribbon).toContainText("Thanh toán thử — không có tiền nào được chuyển");
  expect(await seriousViolations(checkout.page)).toEqual([]);
  await checkout.close();
});
