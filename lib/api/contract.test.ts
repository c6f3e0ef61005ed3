import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as deliveryRoute from "@/app/api/v1/webhook-deliveries/[id]/route";
import * as retryRoute from "@/app/api/v1/webhook-deliveries/[id]/retry/route";
import * as deliveriesRoute from "@/app/api/v1/webhook-deliveries/route";
import * as endpointRoute from "@/app/api/v1/webhook-endpoints/[id]/route";
import * as rotateRoute from "@/app/api/v1/webhook-endpoints/[id]/rotate-secret/route";
import * as testRoute from "@/app/api/v1/webhook-endpoints/[id]/test/route";
import * as endpointsRoute from "@/app/api/v1/webhook-endpoints/route";
import * as invoicePaymentsRoute from "@/app/api/v1/invoices/[id]/payments/route";
import * as invoiceRoute from "@/app/api/v1/invoices/[id]/route";
import * as voidRoute from "@/app/api/v1/invoices/[id]/void/route";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import * as servicesRoute from "@/app/api/v1/payment-services/route";
import * as paymentRoute from "@/app/api/v1/payments/[id]/route";
import * as paymentsRoute from "@/app/api/v1/payments/route";
import { invoices, paymentLinks, webhookDeliveries } from "@/db/schema";
import { MAX_BODY_BYTES } from "@/lib/api/body";
import type { RouteHandler } from "@/lib/api/operation";
import { listServices, setServiceEnabled } from "@/lib/payment-services/services";
import { recordPayment } from "@/lib/payments/record";
import { call, type Credentials, makeApiKey, useApiTestDb } from "@/test/api";
import { makeInvoice, makeMerchant } from "@/test/factories";
import { startReceiver, type Receiver } from "@/test/webhook-receiver";

const { db } = useApiTestDb();
let creds: Credentials;
let merchantId: string;
let receiver: Receiver;

beforeAll(async () => {
  const m = await makeMerchant(db(), "Contract Store");
  merchantId = m.merchant.id;
  creds = await makeApiKey(db(), m.ownerActor);
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

/** Calls the route and checks the answer against the operation's documented shape. */
async function ok(handler: RouteHandler, path: string, opts: Parameters<typeof call>[3] = {}) {
  const res = await call(handler, path, creds, opts);
  expect(res.status, res.text).toBe(handler.operation.status ?? 200);
  expect(res.headers.get("content-type")).toBe("application/json");
  const parsed = handler.operation.response.safeParse(res.json);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return res.json;
}

const newInvoice = (over: Record<string, unknown> = {}) => ({
  currency: "USD",
  items: [
    { name: "Espresso machine service", unit_price: 12000, quantity: 1 },
    { name: "Descaler", unit_price: 950, quantity: 2 },
  ],
  customer: { name: "Minh Nguyen", email: "minh@example.com" },
  ...over,
});

describe("invoices", () => {
  it("creates, lists with filters and pages, reads with payments, and voids", async () => {
    const created = await ok(invoicesRoute.POST, "/invoices", { body: newInvoice({ reference_id: "ORD-C1", metadata: { channel: "web" } }) });
    expect(created).toMatchObject({ amount: 13900, paid_amount: 0, payment_status: "unpaid", status: "open", reference_id: "ORD-C1", metadata: { channel: "web" } });
    expect(created.number).toMatch(/^INV-\d{6}$/);

    for (let i = 0; i < 3; i++) await ok(invoicesRoute.POST, "/invoices", { body: newInvoice({ reference_id: `ORD-P${i}` }) });
    const first = await ok(invoicesRoute.GET, "/invoices?limit=2");
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const second = await ok(invoicesRoute.GET, `/invoices?limit=2&starting_after=${first.data[1].id}`);
    const rest = await ok(invoicesRoute.GET, `/invoices?limit=100`);
    expect([...first.data, ...second.data].map((i: { id: string }) => i.id)).toEqual(rest.data.slice(0, 4).map((i: { id: string }) => i.id));

    const byRef = await ok(invoicesRoute.GET, "/invoices?reference_id=ORD-C1");
    expect(byRef.data.map((i: { id: string }) => i.id)).toEqual([created.id]);
    const searched = await ok(invoicesRoute.GET, "/invoices?q=ORD-P");
    expect(searched.data).toHaveLength(3);
    const today = new Date().toISOString().slice(0, 10);
    expect((await ok(invoicesRoute.GET, `/invoices?created_from=${today}&created_to=${today}`)).data.length).toBeGreaterThanOrEqual(4);
    expect((await ok(invoicesRoute.GET, "/invoices?created_to=2000-01-01")).data).toHaveLength(0);

    const paidOne = await ok(invoicesRoute.POST, "/invoices", { body: newInvoice() });
    await recordPayment(db(), {
      merchantId,
      invoiceId: paidOne.id,
      serviceId: "manual",
      providerRef: "cash-1",
      amount: 5000,
      currency: "USD",
      method: "cash",
      status: "succeeded",
    });
    const detail = await ok(invoiceRoute.GET, `/invoices/${paidOne.id}`);
    expect(detail).toMatchObject({ paid_amount: 5000, payment_status: "partial" });
    expect(detail.items).toEqual([
      { name: "Espresso machine service", unit_price: 12000, quantity: 1, amount: 12000 },
      { name: "Descaler", unit_price: 950, quantity: 2, amount: 1900 },
    ]);
    expect(detail.payments).toHaveLength(1);
    expect((await ok(invoicesRoute.GET, "/invoices?status=partial")).data.map((i: { id: string }) => i.id)).toEqual([paidOne.id]);

    const voided = await ok(voidRoute.POST, `/invoices/${created.id}/void`);
    expect(voided.status).toBe("void");
    const again = await call(voidRoute.POST, `/invoices/${created.id}/void`, creds);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("conflict");
    const hasPayments = await call(voidRoute.POST, `/invoices/${paidOne.id}/void`, creds);
    expect(hasPayments.status).toBe(409);
  });

  it("says which fields are wrong, in the API's names, and writes nothing", async () => {
    const res = await call(invoicesRoute.POST, "/invoices", creds, {
      body: { currency: "XYZ", items: [{ name: "", unit_price: -1, quantity: 1.5 }], customer: { name: "A", email: "nope" }, color: "red" },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("validation_failed");
    expect(Object.keys(res.json.error.fields).sort()).toEqual(
      ["color", "currency", "customer.email", "items.0.name", "items.0.quantity", "items.0.unit_price"].sort(),
    );
    expect(res.json.error.fields.color).toEqual(["Unknown field: leave it out."]);

    await ok(invoicesRoute.POST, "/invoices", { body: newInvoice({ reference_id: "DUP-1" }) });
    const dup = await call(invoicesRoute.POST, "/invoices", creds, { body: newInvoice({ reference_id: "DUP-1" }) });
    expect(dup.status).toBe(422);
    expect(dup.json.error.fields).toEqual({ reference_id: ["Another invoice already uses this reference ID."] });
  });

  it("refuses bodies that are too large, not JSON, or malformed; unknown query parameters too", async () => {
    const big = await call(invoicesRoute.POST, "/invoices", creds, { raw: JSON.stringify({ description: "x".repeat(MAX_BODY_BYTES) }) });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe("payload_too_large");
    const form = await call(invoicesRoute.POST, "/invoices", creds, { raw: "currency=USD", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
    expect(form.json.error.code).toBe("unsupported_media_type");
    const broken = await call(invoicesRoute.POST, "/invoices", creds, { raw: '{"currency": "USD",' });
    expect(broken.status).toBe(400);
    expect(broken.json).toEqual({ error: { code: "bad_request", message: "The body is not valid JSON." } });
    const query = await call(invoicesRoute.GET, "/invoices?limit=1000&colour=red", creds);
    expect(query.status).toBe(422);
    expect(Object.keys(query.json.error.fields).sort()).toEqual(["colour", "limit"]);
    const missing = await call(invoiceRoute.GET, "/invoices/inv_nothing", creds);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("not_found");
  });
});

describe("payment services and the FuratPay flow", () => {
  it("lists the sandbox and returns its QR or redirect for an invoice", async () => {
    const services = await ok(servicesRoute.GET, "/payment-services");
    const sandbox = services.data.find((s: { kind: string }) => s.kind === "sandbox");
    expect(sandbox).toMatchObject({ enabled: true, flows: ["qr", "redirect"], bank: null });
    expect(sandbox.currencies).toContain("IQD");

    const invoice = await ok(invoicesRoute.POST, "/invoices", { body: newInvoice({ currency: "IQD", items: [{ name: "Fuel", unit_price: 25000, quantity: 2 }] }) });
    const qr = await ok(invoicePaymentsRoute.POST, `/invoices/${invoice.id}/payments`, { body: { payment_service_id: sandbox.id } });
    expect(qr).toMatchObject({ type: "qr", amount: 50000, currency: "IQD", bank_name: "Settle Sandbox Bank", account_name: "Contract Store" });
    expect(qr.remark).toMatch(/^SETTLE [A-Z0-9]{8}$/);
    expect(qr.qr_code).toContain("/sandbox/");
    const redirect = await ok(invoicePaymentsRoute.POST, `/invoices/${invoice.id}/payments`, { body: { payment_service_id: sandbox.id, flow: "redirect" } });
    expect(redirect.type).toBe("redirect");
    expect(redirect.url).toMatch(/\/sandbox\/[A-Z0-9]{8}\?service=svc_\w+&flow=redirect$/);

    const unknown = await call(invoicePaymentsRoute.POST, `/invoices/${invoice.id}/payments`, creds, { body: { payment_service_id: "svc_nope" } });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.fields).toHaveProperty("payment_service_id");
  });
});

describe("payment requests (Finan's shape)", () => {
  it("makes a request with items, then lists and reads it with Finan's statuses", async () => {
    const created = await ok(paymentsRoute.POST, "/payments", {
      body: {
        merchant: { name: "Finan pte", email: "merchant@example.com" },
        items: [{ name: "So Ban Hang Pro 3 Nam", price: 3000000, quantity: 2, amount: 6000000 }],
        customer: { name: "Nguyen Van A", phone: "0933450210" },
        payment_method: "bank_transfer",
        amount: 6000000,
        description: "thanh toan don hang",
        reference_id: "FIN-1",
        success_redirect_url: "https://shop.example/success",
      },
    });
    expect(created).toMatchObject({ amount: 6000000, currency: "VND", status: "unpaid", redirect_url: null });
    expect(created.payment_request_code).toMatch(/^[A-Z0-9]{8}$/);
    expect(created.bank_transfer_detail).toMatchObject({ bank_name: "Settle Sandbox Bank", remark: `SETTLE ${created.payment_request_code}` });
    expect(created.payment_url).toMatch(new RegExp(`/pay/${created.payment_request_code}$`));

    const read = await ok(paymentRoute.GET, `/payments/${created.payment_request_id}`);
    expect(read).toMatchObject({
      status: "unpaid",
      state: "active",
      paid_amount: 0,
      payment_method: "bank_transfer",
      reference_type: null,
      reference_id: "FIN-1",
      description: "thanh toan don hang",
      customer: { name: "Nguyen Van A" },
      merchant: { name: "Contract Store" },
      payments: [],
    });
    const listed = await ok(paymentsRoute.GET, "/payments?reference_id=FIN-1");
    expect(listed.data.map((p: { payment_request_id: string }) => p.payment_request_id)).toEqual([created.payment_request_id]);
    expect((await ok(paymentsRoute.GET, "/payments?reference_type=invoice&reference_id=FIN-1")).data).toEqual([]);

    const card = await ok(paymentsRoute.POST, "/payments", { body: { payment_method: "card", amount: 150000, reference_id: "FIN-2" } });
    expect(card.bank_transfer_detail).toBeNull();
    expect(card.redirect_url).toMatch(/flow=redirect$/);
  });

  it("attaches to an invoice with the shortcut, and checks the amounts", async () => {
    const invoice = await ok(invoicesRoute.POST, "/invoices", { body: newInvoice({ currency: "VND", items: [{ name: "Tra sen", unit_price: 250000, quantity: 4 }], reference_id: "INV-FIN" }) });
    const wrong = await call(paymentsRoute.POST, "/payments", creds, {
      body: { payment_method: "bank_transfer", amount: 1, reference_type: "invoice", reference_id: invoice.id },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.fields.amount[0]).toMatch(/1000000/);
    const withItems = await call(paymentsRoute.POST, "/payments", creds, {
      body: { payment_method: "bank_transfer", amount: 1000000, reference_type: "invoice", reference_id: invoice.id, items: [{ name: "x", price: 1, quantity: 1, amount: 1 }] },
    });
    expect(withItems.status).toBe(422);
    expect(withItems.json.error.fields).toHaveProperty("items");

    const shortcut = await ok(paymentsRoute.POST, "/payments", {
      body: { payment_method: "bank_transfer", amount: 1000000, reference_type: "invoice", reference_id: "INV-FIN" },
    });
    expect(shortcut.invoice_id).toBe(invoice.id);
    const byInvoice = await ok(paymentsRoute.GET, `/payments?reference_type=invoice&reference_id=${invoice.id}`);
    expect(byInvoice.data.map((p: { payment_request_id: string }) => p.payment_request_id)).toEqual([shortcut.payment_request_id]);
    expect(byInvoice.data[0]).toMatchObject({ reference_type: "invoice", reference_id: "INV-FIN" });

    const badItems = await call(paymentsRoute.POST, "/payments", creds, {
      body: { payment_method: "bank_transfer", amount: 5, reference_id: "FIN-BAD", items: [{ name: "x", price: 2, quantity: 2, amount: 5 }] },
    });
    expect(badItems.status).toBe(422);
    expect(badItems.json.error.fields).toEqual({ "items.0.amount": ["Must be price × quantity = 4."] });
  });

  it("refuses, as a 422 that writes nothing, a redirect that is not http(s) and a method no enabled service takes", async () => {
    const count = async () => (await ok(invoicesRoute.GET, "/invoices?limit=100")).data.length;
    const before = await count();
    const ftp = await call(paymentsRoute.POST, "/payments", creds, {
      body: { payment_method: "card", amount: 5000, reference_id: "FIN-FTP", success_redirect_url: "ftp://shop.example/ok" },
    });
    expect(ftp.status).toBe(422);
    expect(ftp.json.error.fields).toEqual({ success_redirect_url: ["Enter an http(s) URL."] });

    // A merchant whose only service, the sandbox, is turned off.
    const other = await makeMerchant(db(), "Closed Store");
    const otherCreds = await makeApiKey(db(), other.ownerActor);
    const [sandbox] = await listServices(db(), other.merchant.id);
    await setServiceEnabled(db(), other.ownerActor, { serviceId: sandbox!.id, enabled: false });
    const closed = await call(paymentsRoute.POST, "/payments", otherCreds, { body: { payment_method: "card", amount: 5000, reference_id: "CLOSED-1" } });
    expect(closed.status).toBe(422);
    expect(closed.json.error.fields).toEqual({
      payment_method: ["No enabled payment service of yours takes card payments in VND. Link a card or e-wallet provider that takes VND in Settings → Payment services."],
    });
    expect((await call(invoicesRoute.GET, "/invoices", otherCreds)).json.data).toEqual([]);
    expect(await count()).toBe(before);

    // Live mode has no sandbox to fall back on: a live key with no fitting service is told what to link, and nothing is stored.
    const live = await makeApiKey(db(), other.inMode(other.ownerActor, true));
    const liveBefore = await db().$count(invoices, eq(invoices.merchantId, other.account.id));
    const refused = await call(paymentsRoute.POST, "/payments", live, { body: { payment_method: "bank_transfer", amount: 5000, currency: "USD", reference_id: "LIVE-1" } });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.error.fields.payment_method[0]).toMatch(/^No enabled payment service of yours takes bank_transfer payments in USD\. Link a bank account that takes USD in live mode/);
    expect(refused.text).not.toContain("Sandbox");
    expect(await db().$count(invoices, eq(invoices.merchantId, other.account.id))).toBe(liveBefore);
    expect(await db().$count(paymentLinks, eq(paymentLinks.merchantId, other.account.id))).toBe(0);
  });

  it("pages the list with starting_after", async () => {
    const all = await ok(paymentsRoute.GET, "/payments?limit=100");
    expect(all.data.length).toBeGreaterThanOrEqual(3);
    const one = await ok(paymentsRoute.GET, "/payments?limit=1");
    expect(one.has_more).toBe(true);
    const next = await ok(paymentsRoute.GET, `/payments?limit=1&starting_after=${one.data[0].payment_request_id}`);
    expect(next.data[0].payment_request_id).toBe(all.data[1].payment_request_id);
  });
});

describe("webhooks", () => {
  it("adds, reads, changes, tests, rotates and deletes an endpoint; lists, reads and retries deliveries", async () => {
    const created = await ok(endpointsRoute.POST, "/webhook-endpoints", { body: { url: receiver.url, description: "Orders", event_types: ["invoice.paid"] } });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({ url: receiver.url, event_types: ["invoice.paid"], enabled: true });
    receiver.setSecrets([created.secret]);
    expect((await ok(endpointsRoute.GET, "/webhook-endpoints")).data.map((e: { id: string }) => e.id)).toContain(created.id);
    expect((await ok(endpointRoute.GET, `/webhook-endpoints/${created.id}`)).description).toBe("Orders");
    const changed = await ok(endpointRoute.PATCH, `/webhook-endpoints/${created.id}`, { body: { event_types: null, description: null } });
    expect(changed).toMatchObject({ event_types: null, description: null, url: receiver.url });

    const attempt = await ok(testRoute.POST, `/webhook-endpoints/${created.id}/test`);
    expect(attempt).toMatchObject({ outcome: "succeeded", response_status: 200 });
    expect(receiver.received.at(-1)!.verifiedWith).toEqual([0]);

    const page = await ok(deliveriesRoute.GET, `/webhook-deliveries?status=succeeded&event_type=webhook.test`);
    expect(page.data.map((d: { id: string }) => d.id)).toEqual([attempt.delivery_id]);
    const detail = await ok(deliveryRoute.GET, `/webhook-deliveries/${attempt.delivery_id}`);
    expect(detail.attempt_list).toHaveLength(1);
    expect(detail.message_id).toMatch(/^msg_/);
    const retried = await ok(retryRoute.POST, `/webhook-deliveries/${attempt.delivery_id}/retry`);
    expect(retried.outcome).toBe("succeeded");
    const [row] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, attempt.delivery_id));
    expect(row!.attempts).toBe(2);

    const rotated = await ok(rotateRoute.POST, `/webhook-endpoints/${created.id}/rotate-secret`);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);

    const bad = await call(endpointRoute.PATCH, `/webhook-endpoints/${created.id}`, creds, { body: { url: "ftp://x", event_types: ["nope"] } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(["event_types.0"]);
    const badUrl = await call(endpointRoute.PATCH, `/webhook-endpoints/${created.id}`, creds, { body: { url: "ftp://x" } });
    expect(badUrl.json.error.fields).toHaveProperty("url");

    expect(await ok(endpointRoute.DELETE, `/webhook-endpoints/${created.id}`)).toEqual({ livemode: false, id: created.id, deleted: true });
    expect((await call(endpointRoute.GET, `/webhook-endpoints/${created.id}`, creds)).status).toBe(404);
  });
});

it("every operation answers with its documented content type even on error", async () => {
  const res = await call(paymentsRoute.GET, "/payments?limit=0", creds);
  expect(res.status).toBe(422);
  expect(res.headers.get("content-type")).toBe("application/json");
  expect(res.json.error.fields).toHaveProperty("limit");
});
