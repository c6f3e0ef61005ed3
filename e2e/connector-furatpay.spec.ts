import { startFuratPaySimulator, ZAINCASH_ID } from "../test/simulators/furatpay";
import { expect, newAccount, test } from "./fixtures";
import { rememberSecret } from "./run-files";

test("a merchant links FuratPay; a customer pays an IQD invoice through its ZainCash page and the invoice shows paid", async ({ auth, settings, invoices, customers, baseURL, page }) => {
  // Sign-up, linking a gateway, an invoice, a checkout and a round trip through FuratPay: room for a busy machine.
  test.setTimeout(150_000);
  // FuratPay, from its public doc, on 127.0.0.1 in this test process: its webhook goes to Settle over HTTP.
  const furatpay = await startFuratPaySimulator();
  rememberSecret("FuratPay API key", furatpay.apiKey);
  rememberSecret("FuratPay webhook secret", furatpay.webhookSecret);
  try {
    await auth.signUp(newAccount());
    const serviceId = await settings.linkGateway({
      kind: "furatpay",
      name: "FuratPay",
      fields: {
        baseUrl: furatpay.baseUrl,
        apiKey: furatpay.apiKey,
        webhookSecret: furatpay.webhookSecret,
        redirectServiceId: String(ZAINCASH_ID),
        qrServiceId: "",
      },
    });
    // FuratPay's dashboard: its webhook points at this service's notify URL.
    furatpay.setWebhook(`${baseURL}/api/providers/${serviceId}/notify`);

    const invoiceId = await invoices.create({ customer: "Zainab Ali", email: "zainab@example.test", currency: "IQD", lines: [{ name: "Textbooks", price: "25000", qty: "1" }] });
    // The invoice's link offers FuratPay (the first service, the sandbox, is ticked by default).
    await page.getByRole("checkbox", { name: /FuratPay/ }).check();
    const code = await invoices.createLink();

    const checkout = await customers.checkout();
    await checkout.open(code);
    const tab = checkout.page.getByRole("link", { name: /Card or e-wallet\s*FuratPay/ });
    if (await tab.isVisible()) await tab.click();
    await checkout.page.getByRole("link", { name: "Pay with FuratPay" }).click();

    // On FuratPay's ZainCash page: the invoice FuratPay was asked to create, for what the link asks.
    await expect(checkout.page.getByRole("heading", { name: "ZainCash" })).toBeVisible();
    await expect(checkout.page.getByTestId("amount")).toHaveText("25000 IQD");
    expect(furatpay.lastInvoice()).toMatchObject({ currency_id: 3, total: "25000", status: "pending" });
    await checkout.page.getByRole("button", { name: "Pay" }).click();

    // FuratPay's signed webhook reached Settle, which pulled the invoice's status; the customer is back on the checkout.
    expect(furatpay.sent.at(-1)?.answer.status).toBe(200);
    await expect(checkout.page).toHaveURL(new RegExp(`/pay/${code}\\?return=1`));
    await expect(checkout.status()).toContainText("Payment received. Thank you!");
    await checkout.close();

    await invoices.open(invoiceId);
    await expect(invoices.heading()).toContainText("Paid");
  } finally {
    await furatpay.close();
  }
});
