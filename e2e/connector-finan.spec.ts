import { parseEmvco } from "../lib/connectors/vietqr";
import { readQrPng } from "../test/read-qr";
import { type FinanSimulator, startFinanSimulator } from "../test/simulators/finan";
import { expect, newAccount, test } from "./fixtures";
import { rememberSecret } from "./run-files";

const CLIENT_ID = "finan-e2e-client";
const SECRET = "finan-e2e-secret-6b1d0c";

let sim: FinanSimulator;
test.beforeAll(async () => {
  sim = await startFinanSimulator({ clientId: CLIENT_ID, secretKey: SECRET });
});
test.afterAll(async () => {
  await sim.close();
});

test("a merchant links Finan; a customer pays an invoice by Finan's VietQR and the invoice shows paid", async ({ page, baseURL, auth, settings, invoices, customers }) => {
  // Sign-up, a gateway, an invoice, the checkout and the bank app: room for a busy machine.
  test.setTimeout(120_000);
  await auth.signUp(newAccount());
  // The teardown checks that Finan's secret key never reaches the server's log.
  rememberSecret("Finan secret key", SECRET);
  const serviceId = await settings.linkGateway({
    kind: "finan",
    name: "Finan MB",
    fields: { baseUrl: sim.url, clientId: CLIENT_ID, secretKey: SECRET, bankBin: "970422", accountNumber: "0933450210", accountName: "TRAN TU THIEN" },
  });
  // The merchant registers Settle's notify URL as the webhook in Finan's settings.
  sim.setWebhookUrl(`${baseURL}/api/providers/${serviceId}/notify`);

  const invoiceId = await invoices.create({ customer: "Lan", currency: "VND", lines: [{ name: "Ao dai", price: "100000", qty: "1" }] });
  // The invoice's link offers Finan (the form checks only the first service by default).
  await page.getByRole("group", { name: "Payment services offered" }).getByRole("checkbox", { name: /Finan MB/ }).check();
  const code = await invoices.createLink();

  const checkout = await customers.checkout();
  await checkout.open(code, `?method=${serviceId}.qr`);
  // Finan is asked for a payment request only when the customer chooses it.
  await checkout.page.getByTestId("pay-redirect").click();
  const request = sim.latestRequest()!;
  expect(request).toMatchObject({ amount: 100_000, payment_method: "bank_transfer", description: `SETTLE ${code}` });
  await expect(checkout.page.getByTestId("bank-name")).toHaveText("MB");
  await expect(checkout.page.getByTestId("bank-account-name")).toHaveText("TRAN TU THIEN");
  await expect(checkout.page.getByTestId("bank-remark")).toHaveText(request.payment_request_code);
  await expect(checkout.qr().locator("svg")).toBeVisible();
  const emv = parseEmvco(readQrPng((await checkout.saveQrImage()).png)!);
  expect(emv.get("38")).toContain("0933450210");
  expect(emv.get("54")).toBe("100000");

  // The customer's banking app (Finan's simulator) pays; Finan's signed webhook reaches Settle.
  const bank = await checkout.page.context().newPage();
  await bank.goto(sim.bankUrl);
  await bank.locator(`section[data-request="${request.payment_request_id}"]`).getByRole("button", { name: "Pay", exact: true }).click();
  await expect(bank).toHaveURL(new RegExp(`/pay/${code}\\?return=1`));
  expect(sim.deliveries.at(-1)).toMatchObject({ status: 200 });
  await expect(checkout.status()).toContainText("Payment received. Thank you!", { timeout: 15_000 });
  await checkout.close();

  await invoices.open(invoiceId);
  await expect(invoices.heading()).toContainText("Paid");
  await expect(page.getByText("Paid in full")).toBeVisible();
});
