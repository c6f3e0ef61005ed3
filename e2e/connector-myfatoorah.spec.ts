import { type MyFatoorahSimulator, startMyFatoorahSimulator } from "../test/simulators/myfatoorah";
import { expect, newAccount, test } from "./fixtures";

const API_KEY = "mf-e2e-token-0123456789abcdef";
const WEBHOOK_SECRET = "mf-e2e-webhook-secret";

let sim: MyFatoorahSimulator;
test.beforeAll(async () => {
  // MyFatoorah, played on 127.0.0.1 in the test process: its API, its hosted page, its signed Webhook V1.
  sim = await startMyFatoorahSimulator({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET });
});
test.afterAll(() => sim.close());

test("an owner links MyFatoorah; a customer pays a KWD invoice on its hosted page and the invoice shows paid", async ({ page, auth, settings, invoices, customers, baseURL }) => {
  test.setTimeout(180_000);
  await auth.signUp(newAccount());
  const serviceId = await settings.linkGateway({
    kind: "myfatoorah",
    name: "MyFatoorah",
    fields: { baseUrl: sim.url, currency: "KWD", apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET },
  });
  // The portal's Webhook Settings: the endpoint is this service's notify URL.
  sim.setWebhookUrl(`${baseURL}/api/providers/${serviceId}/notify`);

  const invoiceId = await invoices.create({ customer: "Fatima Al-Sabah", currency: "KWD", lines: [{ name: "Abaya", price: "12.345", qty: "1" }] });
  // Offer MyFatoorah only: the first service (the sandbox) is ticked by default.
  const offered = page.getByRole("group", { name: "Payment services offered" });
  for (const box of await offered.getByRole("checkbox").all()) await box.uncheck();
  await offered.getByRole("checkbox", { name: /^MyFatoorah/ }).check();
  const code = await invoices.createLink();

  const checkout = await customers.checkout();
  // MyFatoorah is the link's only method: the checkout sends the customer straight to its hosted page.
  await checkout.open(code);

  // MyFatoorah's hosted invoice page, asked for exactly 12.345 KWD.
  await expect(checkout.page).toHaveURL(new RegExp(`^${sim.url}/invoice/\\d+$`));
  await expect(checkout.page.getByTestId("amount")).toHaveText("12.345 KWD");
  await checkout.page.getByRole("button", { name: "Pay" }).click();

  // Back on Settle's checkout, paid: the webhook was checked and confirmed with getPaymentStatus.
  await expect(checkout.page).toHaveURL(new RegExp(`/pay/${code}\\?`));
  await expect(checkout.status()).toContainText("Payment received", { timeout: 15_000 });
  await checkout.close();

  await invoices.open(invoiceId);
  await expect(invoices.heading()).toContainText("Paid");
  expect(sim.requests.map((r) => r.path)).toEqual(expect.arrayContaining(["/v2/SendPayment", "/v2/getPaymentStatus"]));

  // Part of it back through MyFatoorah: pending under its refund id until MyFatoorah says.
  await invoices.refund({ amount: "2.345", reason: "One size too small" });
  const refund = invoices.refunds().first();
  await expect(refund).toContainText("Pending");
  await expect(refund).toContainText("Waiting for MyFatoorah");
  expect(sim.requests.at(-1)!.path).toBe("/v2/MakeRefund");
  // MyFatoorah refunds it, and its webhook is lost: Check status asks MyFatoorah instead.
  [...sim.refunds.values()].at(-1)!.status = "Refunded";
  await refund.getByRole("button", { name: "Ask MyFatoorah where this refund stands" }).click();
  await expect(page.getByText("MyFatoorah made the refund.")).toBeVisible();
  await expect(refund).toContainText("Succeeded");
  await expect(refund.getByRole("button")).toHaveCount(0);
  await expect(page.getByTestId("invoice-refunded")).toContainText("2.345");
  await expect(page.getByTestId("invoice-net")).toContainText("10.000");
  expect(sim.requests.at(-1)!.path).toBe("/v2/GetRefundStatus");
});
