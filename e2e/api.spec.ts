import { startReceiver } from "../test/webhook-receiver";
import { apiClient } from "./api-client";
import { expect, newAccount, test } from "./fixtures";
import { SandboxBank } from "./pages/checkout-pages";
import { rememberSecret } from "./run-files";

/** Waits for a verified webhook of this type at the receiver. */
async function webhook(receiver: Awaited<ReturnType<typeof startReceiver>>, type: string, invoiceId: string) {
  await expect
    .poll(() => receiver.received.find((r) => r.verifiedWith.length > 0 && JSON.parse(r.body).type === type && JSON.parse(r.body).data.invoice?.id === invoiceId), {
      timeout: 15_000,
    })
    .toBeTruthy();
  return JSON.parse(receiver.received.find((r) => JSON.parse(r.body).type === type && JSON.parse(r.body).data.invoice?.id === invoiceId)!.body);
}

test("FuratPay flow over HTTP: invoice → services → sandbox QR → transfer → invoice.paid webhook → GET shows paid", async ({ page, auth, apiKeys, request }) => {
  test.setTimeout(90_000);
  await auth.signUp(newAccount());
  const api = apiClient(request, await apiKeys.create());
  const receiver = await startReceiver();

  const endpoint = await api.post("/webhook-endpoints", { url: receiver.url, event_types: ["invoice.paid"] });
  expect(endpoint.status).toBe(201);
  receiver.setSecrets([endpoint.json.secret]);

  const invoice = await api.post("/invoices", {
    currency: "IQD",
    items: [{ name: "Fuel card top-up", unit_price: 25000, quantity: 2 }],
    customer: { name: "Ali Hassan", phone: "+964 770 123 4567" },
    reference_id: "FP-1001",
  });
  expect(invoice.status).toBe(201);
  expect(invoice.json).toMatchObject({ amount: 50000, payment_status: "unpaid" });

  const services = await api.get("/payment-services");
  const sandbox = services.json.data.find((s: { kind: string }) => s.kind === "sandbox");
  expect(sandbox.flows).toEqual(["qr", "redirect"]);

  const requested = await api.post(`/invoices/${invoice.json.id}/payments`, { payment_service_id: sandbox.id, flow: "qr" });
  expect(requested.status).toBe(201);
  expect(requested.json).toMatchObject({ type: "qr", amount: 50000, currency: "IQD", bank_name: "Settle Sandbox Bank" });

  await (await SandboxBank.open(page, requested.json.qr_code)).pay("50.000");
  const event = await webhook(receiver, "invoice.paid", invoice.json.id);
  expect(event.data.invoice).toMatchObject({ payment_status: "paid", paid_amount: 50000, reference_id: "FP-1001" });

  const after = await api.get(`/invoices/${invoice.json.id}`);
  expect(after.json).toMatchObject({ payment_status: "paid", paid_amount: 50000 });
  expect(after.json.payments).toMatchObject([{ amount: 50000, status: "succeeded", method: "bank_transfer" }]);
  await receiver.close();
});

test("Finan flow over HTTP: POST /payments with the invoice shortcut → partial transfer → partial_paid → the rest → paid", async ({ page, auth, apiKeys, request }) => {
  test.setTimeout(90_000);
  await auth.signUp(newAccount());
  const api = apiClient(request, await apiKeys.create());
  const receiver = await startReceiver();
  const endpoint = await api.post("/webhook-endpoints", { url: receiver.url });
  receiver.setSecrets([endpoint.json.secret]);

  const invoice = await api.post("/invoices", {
    currency: "VND",
    items: [{ name: "So Ban Hang Pro 3 Nam", unit_price: 3000000, quantity: 2 }],
    customer: { name: "Nguyen Van A", email: "nguyena@example.com" },
    reference_id: "INV-001",
  });
  const body = { payment_method: "bank_transfer", amount: 6000000, description: "thanh toan don hang", reference_type: "invoice", reference_id: "INV-001" };
  const created = await api.post("/payments", body, { "idempotency-key": "finan-inv-001" });
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({ invoice_id: invoice.json.id, status: "unpaid", amount: 6000000 });
  const detail = created.json.bank_transfer_detail;
  expect(detail.remark).toBe(`SETTLE ${created.json.payment_request_code}`);
  // A retry of the same request (the network dropped the answer) gets the same payment request.
  const retried = await api.post("/payments", body, { "idempotency-key": "finan-inv-001" });
  expect(retried.headers["idempotent-replayed"]).toBe("true");
  expect(retried.json.payment_request_id).toBe(created.json.payment_request_id);

  await (await SandboxBank.open(page, detail.qr_code)).pay("2,000,000");
  await webhook(receiver, "invoice.partially_paid", invoice.json.id);
  const partial = await api.get(`/payments/${created.json.payment_request_id}`);
  expect(partial.json).toMatchObject({ status: "partial_paid", paid_amount: 2000000, amount: 6000000, reference_type: "invoice", reference_id: "INV-001" });
  expect(partial.json.payments).toHaveLength(1);

  await (await SandboxBank.open(page, detail.qr_code)).pay("4,000,000");
  const paid = await webhook(receiver, "invoice.paid", invoice.json.id);
  expect(paid.data.invoice.paid_amount).toBe(6000000);
  const listed = await api.get("/payments?reference_type=invoice&reference_id=INV-001");
  expect(listed.json.data).toHaveLength(1);
  expect(listed.json.data[0]).toMatchObject({ payment_request_id: created.json.payment_request_id, status: "paid", paid_amount: 6000000 });
  expect(listed.json.data[0].payments).toHaveLength(2);
  expect((await api.bearer(`/invoices/${invoice.json.id}`)).json.payment_status).toBe("paid");
  await receiver.close();
});

test("settings over HTTP: a bank account linked and webhook retries set through the API show in the dashboard, and its edits in the API", async ({ page, auth, apiKeys, settings, webhooks, request }) => {
  await auth.signUp(newAccount());
  const api = apiClient(request, await apiKeys.create());
  const providerSecret = "pss_e2e_api_settings_Wq7Zr2";
  const rotated = "pss_e2e_api_settings_rotated_Kx4";
  rememberSecret("payment service signing secret", providerSecret);
  rememberSecret("payment service signing secret, rotated", rotated);

  const linked = await api.post("/payment-services", {
    kind: "bank_transfer",
    name: "ACB account",
    bank: { bank_bin: "970416", account_number: "257678859", account_name: "Tran Tu Thien" },
    signing_secret: providerSecret,
  });
  expect(linked.status).toBe(201);
  expect(linked.json).toMatchObject({ kind: "bank_transfer", enabled: true, signing_secret_set: true, bank: { bank_name: "ACB", account_name: "TRAN TU THIEN" } });
  expect(JSON.stringify(linked.json)).not.toContain(providerSecret);

  await settings.openPaymentServices();
  await expect(settings.paymentService("ACB account")).toContainText("ACB · 257678859 · TRAN TU THIEN");
  await expect(page.getByRole("button", { name: "Turn off ACB account" })).toBeVisible();

  const hooks = await api.patch("/webhook-settings", { auto_retry: false, retry_schedule_minutes: [1, 30, 240], timeout_seconds: 20 });
  expect(hooks.status).toBe(200);
  await webhooks.openSettings();
  await expect(page.getByLabel("Retry failed deliveries automatically")).not.toBeChecked();
  await expect(page.getByLabel(/Retry schedule/)).toHaveValue("1, 30, 240");
  await expect(page.getByLabel("Request timeout (seconds)")).toHaveValue("20");
  // What the dashboard's form refuses, the API refuses in the same words.
  const refused = await api.patch("/webhook-settings", { timeout_seconds: 45 });
  expect([refused.status, refused.json.error.fields]).toEqual([422, { timeout_seconds: ["The timeout can be at most 30 seconds."] }]);

  // Edited in the dashboard, read through the API; the secret replaced, never shown.
  await settings.openPaymentServices();
  await settings.openPaymentService("ACB account");
  await settings.editPaymentService({ name: "ACB main account", accountNumber: "1234567890", newSigningSecret: rotated });
  await expect(page.getByRole("heading", { name: "ACB main account" })).toBeVisible();
  const read = await api.get(`/payment-services/${linked.json.id}`);
  expect(read.json).toMatchObject({ name: "ACB main account", signing_secret_set: true, bank: { account_number: "1234567890" } });
  expect(JSON.stringify(read.json)).not.toContain(rotated);

  // Turned off through the API, off in the dashboard.
  expect((await api.patch(`/payment-services/${linked.json.id}`, { enabled: false })).json.enabled).toBe(false);
  await settings.openPaymentServices();
  await expect(page.getByRole("button", { name: "Turn on ACB main account" })).toBeVisible();
});
