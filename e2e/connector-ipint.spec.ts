import { startIpintSimulator } from "../test/simulators/ipint";
import { expect, newAccount, test } from "./fixtures";
import { rememberSecret } from "./run-files";

const API_KEY = "ipint-e2e-key-7f3a9c";
const API_SECRET = "ipint-e2e-secret-51d0b8e2";

test("an owner links iPint; a customer pays in crypto: the checkout says it is confirming, then paid", async ({ page, auth, settings, invoices, customers }) => {
  // Sign-up, linking, an invoice, a trip through iPint's page and three confirmations: room for a busy machine.
  test.setTimeout(180_000);
  rememberSecret("iPint API key", API_KEY);
  rememberSecret("iPint API secret", API_SECRET);
  // iPint, played from its public docs on 127.0.0.1: its callbacks go to Settle's notify URL over HTTP.
  const ipint = await startIpintSimulator({ apiKey: API_KEY, apiSecret: API_SECRET });
  try {
    await auth.signUp(newAccount());
    await settings.openPaymentServices();
    const serviceId = await settings.linkGateway({ kind: "ipint", name: "iPint crypto", fields: { baseUrl: ipint.url, apiKey: API_KEY, apiSecret: API_SECRET } });
    expect(serviceId).toMatch(/^svc_[0-9a-z]{26}$/);

    const invoiceId = await invoices.create({ customer: "Nguyen Van A", email: "a@example.test", currency: "VND", lines: [{ name: "Ao dai, size M", price: "100000", qty: "1" }] });
    // The link offers iPint alone.
    const offered = page.getByRole("group", { name: "Payment services offered" });
    for (const box of await offered.getByRole("checkbox").all()) await box.uncheck();
    await offered.getByLabel(/^iPint crypto/).check();
    const code = await invoices.createLink();

    // Its only way to pay is iPint's page: the checkout sends the customer straight there.
    const checkout = await customers.checkout();
    await checkout.open(code);
    await checkout.page.waitForURL(new RegExp(`^${ipint.url}/test-checkout\\?id=`));
    // iPint's own page, asked for exactly what is due.
    await expect(checkout.page.getByTestId("ipint-amount")).toHaveText("100000 VND");
    const invoice = ipint.latest()!;
    expect(invoice.request).toMatchObject({ client_preferred_fiat_currency: "VND", amount: "100000", invoice_callback_url: expect.stringContaining(`/api/providers/${serviceId}/notify`) });
    await checkout.page.getByRole("button", { name: "Pay", exact: true }).click();

    // Back on the checkout: the coins are seen on the chain, one confirmation of three.
    await checkout.page.waitForURL(new RegExp(`/pay/${code}\\?return=1`));
    await expect(checkout.status()).toContainText("Payment detected — confirming (1 of 3)");
    await expect(checkout.status()).toHaveAttribute("data-status", "active:unpaid:processing");
    expect(ipint.deliveries.map((d) => [d.status, d.responseBody])).toEqual([[200, ""]]);

    // The merchant sees it as processing, not paid.
    await invoices.open(invoiceId);
    const payments = page.getByRole("table", { name: "Payments" });
    await expect(payments.getByText("Processing", { exact: true })).toBeVisible();
    await expect(payments.getByText("1 of 3 confirmations")).toBeVisible();
    await expect(invoices.heading()).toContainText("Unpaid");

    // The open checkout, never reloaded, follows the chain.
    await ipint.confirm(invoice.invoice_id);
    await expect(checkout.status()).toContainText("Payment detected — confirming (2 of 3)");
    await ipint.confirm(invoice.invoice_id);
    await expect(checkout.status()).toContainText("Payment received. Thank you!");
    await expect(checkout.status()).toHaveAttribute("data-status", /:paid$/);
    expect(ipint.deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
    await checkout.close();

    await invoices.open(invoiceId);
    await expect(invoices.heading()).toContainText("Paid");
    await expect(payments.getByText("Succeeded", { exact: true })).toBeVisible();
  } finally {
    await ipint.close();
  }
});
