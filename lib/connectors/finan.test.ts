import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoices, paymentLinks, payments, type PaymentService, providerNotifications, providerSessions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createInvoice } from "@/lib/invoices/create";
import { remarkFor } from "@/lib/payment-links/code";
import { createInvoiceLink } from "@/lib/payment-links/create";
import { expireLinkNow } from "@/lib/payment-links/lifecycle";
import { createGatewayService } from "@/lib/payment-services/gateways";
import { handleProviderNotification } from "@/lib/payment-services/notify";
import { startPayment } from "@/lib/payment-services/sessions";
import { useTestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { type FinanSimulator, finanSign, startFinanSimulator } from "@/test/simulators/finan";
import { compactJson, finanAmount, finanSignature } from "./finan";
import type { PaymentInstruction } from "./types";
import { parseEmvco } from "./vietqr";

const t = useTestDb();
const CLIENT_ID = "finan-client-7c1e";
const SECRET = "finan-secret-4f0b9d2a8e";
const ORIGIN = "http://127.0.0.1:3000";
const notifyUrl = (serviceId: string) => `http://127.0.0.1/api/providers/${serviceId}/notify`;

/** Finan's webhook reaches Settle's notify handler in-process (what the route calls), answered as the route would. */
async function deliver(request: Request): Promise<Response> {
  const serviceId = /\/api\/providers\/([^/]+)\/notify$/.exec(new URL(request.url).pathname)![1]!;
  const { status, body, ack } = await handleProviderNotification(t.db(), serviceId, request);
  return ack ? new Response(ack.body, { status: ack.status }) : Response.json(body, { status });
}

let sim: FinanSimulator;
let bare: FinanSimulator;
beforeAll(async () => {
  sim = await startFinanSimulator({ clientId: CLIENT_ID, secretKey: SECRET, deliver });
  bare = await startFinanSimulator({ clientId: CLIENT_ID, secretKey: SECRET, deliver, omitQrCode: true });
});
afterAll(async () => {
  await sim.close();
  await bare.close();
});

async function setup(opts: { amount?: number; simulator?: FinanSimulator; expiresInMinutes?: number } = {}) {
  const s = opts.simulator ?? sim;
  const m = await makeMerchant(t.db());
  const service = await createGatewayService(t.db(), m.ownerActor, {
    kind: "finan",
    name: "Finan MB account",
    baseUrl: s.url,
    clientId: CLIENT_ID,
    secretKey: SECRET,
    bankBin: "970422",
    accountNumber: "0933450210",
    accountName: "TRAN TU THIEN",
  });
  const invoice = await createInvoice(t.db(), m.ownerActor, { currency: "VND", items: [{ name: "Order", unitPrice: opts.amount ?? 100_000, quantity: 1 }], customer: { name: "Nguyen Van A" } });
  const link = await createInvoiceLink(t.db(), m.ownerActor, { invoiceId: invoice.id, serviceIds: [service.id], expiresInMinutes: opts.expiresInMinutes });
  s.setWebhookUrl(notifyUrl(service.id));
  return { m, service, invoice, link };
}

async function currentLink(linkId: string) {
  const [link] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, linkId));
  return link!;
}

async function checkout(service: PaymentService, linkId: string, s: FinanSimulator = sim): Promise<{ instruction: PaymentInstruction; prid: string }> {
  const instruction = await startPayment(t.db(), { link: await currentLink(linkId), service, flow: "qr", origin: ORIGIN, merchantName: "Test Store" });
  return { instruction, prid: s.latestRequest()!.payment_request_id };
}

async function merchantSees(linkId: string, serviceId: string) {
  const link = await currentLink(linkId);
  const [invoice] = await t.db().select().from(invoices).where(eq(invoices.id, link.invoiceId));
  const pays = await t.db().select().from(payments).where(eq(payments.paymentLinkId, linkId));
  const notes = await t.db().select().from(providerNotifications).where(eq(providerNotifications.serviceId, serviceId)).orderBy(providerNotifications.createdAt);
  return { link, invoice: invoice!, payments: pays, notifications: notes };
}

describe("Finan connector", () => {
  it("signs as Finan's \"Generating signature\" page: hex SHA-256 of secret_METHOD_path_payload_timestamp, not an HMAC", () => {
    // The doc's own two examples, hashed with sha256sum outside this code base.
    expect(finanSignature("mySecretKey", "GET", "/api/v1/payments", "", "1699999999")).toBe("73c2f95458328a80e1aa7d4f7446d4a7cb7e541e543ac66797a79964f04e31bd");
    expect(finanSignature("mySecretKey", "POST", "/api/v1/payments", '{"amount":6000000,"payment_method":"bank_transfer"}', "1699999999")).toBe(
      "5cdb7759beeb3276b62b7eb12368b7e7e0cf20d55ef215ab0fce73298dac5f14",
    );
  });

  it("signs its calls to Finan over the path after /open, and Finan's simulator accepts them", async () => {
    const { service, link } = await setup();
    await checkout(service, link.id);
    const call = sim.received.at(-1)!;
    expect(call).toMatchObject({ method: "POST", path: "/open/api/v1/payments", headers: { "x-client-id": CLIENT_ID } });
    expect(JSON.parse(call.body)).toMatchObject({ amount: 100_000, payment_method: "bank_transfer", success_redirect_url: expect.stringContaining(`/pay/${link.code}?return=1`) });
  });

  it("a paid VietQR: Finan's payment request is asked with the session as reference, its webhook pays the invoice and gets Finan's 200", async () => {
    const { service, link } = await setup();
    const { instruction, prid } = await checkout(service, link.id);

    const created = sim.requests.get(prid)!;
    const [session] = await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, link.id));
    expect(created).toMatchObject({ amount: 100_000, reference_id: session!.id, payment_method: "bank_transfer", description: remarkFor(link.code) });
    expect(session!.providerRef).toBe(prid);
    expect(instruction.kind).toBe("qr");
    if (instruction.kind !== "qr") return;
    const qr = parseEmvco(instruction.payload);
    expect(qr.get("54")).toBe("100000");
    expect(qr.get("38")).toContain("0933450210");
    expect(instruction.bank).toEqual({ bankName: "MB", accountNumber: "0933450210", accountName: "TRAN TU THIEN", remark: created.payment_request_code });

    // The same session is reused while it asks the same amount: one payment request, not one per page view.
    await checkout(service, link.id);
    expect([...sim.requests.values()].filter((r) => r.reference_id === session!.id)).toHaveLength(1);

    const res = await sim.pay(prid);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: "success" });
    const seen = await merchantSees(link.id, service.id);
    expect(seen.invoice).toMatchObject({ paidAmount: 100_000, paymentStatus: "paid" });
    expect(seen.payments).toEqual([expect.objectContaining({ providerRef: res.payment.id, amount: 100_000, status: "succeeded", method: "bank_transfer", late: false })]);
    expect(seen.notifications).toEqual([expect.objectContaining({ outcome: "recorded", verifiedBy: "status", providerRef: res.payment.id, amount: 100_000, paymentId: seen.payments[0]!.id })]);
    expect(seen.notifications[0]!.headers["x-client-id"]).toBe(CLIENT_ID);
  });

  it("a partial transfer is counted as partial; the rest, on a new payment request for what is still due, pays the invoice", async () => {
    const { service, link } = await setup({ amount: 250_000 });
    const first = await checkout(service, link.id);
    expect((await sim.pay(first.prid, 100_000)).status).toBe(200);
    let seen = await merchantSees(link.id, service.id);
    expect(seen.invoice).toMatchObject({ paidAmount: 100_000, paymentStatus: "partial" });

    const second = await checkout(service, link.id);
    expect(second.prid).not.toBe(first.prid);
    expect(sim.requests.get(second.prid)!.amount).toBe(150_000);
    await sim.pay(second.prid);
    seen = await merchantSees(link.id, service.id);
    expect(seen.invoice).toMatchObject({ paidAmount: 250_000, paymentStatus: "paid" });
    expect(seen.payments.map((p) => p.amount).sort()).toEqual([100_000, 150_000]);
  });

  it("failed: a signed webhook for a payment Finan's request does not list is recorded as failed, never counted", async () => {
    const { service, link } = await setup();
    const { prid } = await checkout(service, link.id);
    const res = await sim.sendWebhook({ id: "PAY-GHOST", reference_id: sim.requests.get(prid)!.reference_id, payment_method: "bank_transfer", payment_request_id: prid, amount: 100_000, created_at: new Date().toISOString() });
    expect(res.status).toBe(200);
    const seen = await merchantSees(link.id, service.id);
    expect(seen.invoice).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });
    expect(seen.payments).toEqual([expect.objectContaining({ providerRef: "PAY-GHOST", status: "failed" })]);
    expect(seen.payments[0]!.message).toContain("lists no payment PAY-GHOST");
  });

  it("a declined transfer in the bank app sends no webhook and sends the customer back; nothing is recorded", async () => {
    const { service, link } = await setup();
    const { prid } = await checkout(service, link.id);
    const before = sim.deliveries.length;
    const res = await fetch(`${sim.bankUrl}/${prid}/decline`, { method: "POST", redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${ORIGIN}/pay/${link.code}?return=1&method=${service.id}.qr`);
    expect(sim.deliveries.length).toBe(before);
    expect((await merchantSees(link.id, service.id)).invoice.paymentStatus).toBe("unpaid");
  });

  it("a duplicate (Finan's retry of the same payment) is recorded once", async () => {
    const { service, link } = await setup();
    const { prid } = await checkout(service, link.id);
    const first = await sim.pay(prid);
    const again = await sim.sendWebhook(first.payload);
    expect(again.status).toBe(200);
    const seen = await merchantSees(link.id, service.id);
    expect(seen.payments).toHaveLength(1);
    expect(seen.invoice.paidAmount).toBe(100_000);
    expect(seen.notifications.map((n) => n.outcome)).toEqual(["recorded", "duplicate"]);
  });

  it("late: a transfer after the link expired is still recorded, flagged late", async () => {
    const { service, link } = await setup();
    const { prid } = await checkout(service, link.id);
    await expireLinkNow(t.db(), link);
    expect((await sim.pay(prid)).status).toBe(200);
    const seen = await merchantSees(link.id, service.id);
    expect(seen.link).toMatchObject({ status: "expired", paymentStatus: "paid" });
    expect(seen.payments).toEqual([expect.objectContaining({ late: true, status: "succeeded", amount: 100_000 })]);
  });

  it("forged: another secret, another client id, a changed body or a replay outside the window is refused 401 and kept as rejected", async () => {
    const { service, link } = await setup();
    const { prid } = await checkout(service, link.id);
    const body = { id: "PAY-FORGED", reference_id: sim.requests.get(prid)!.reference_id, payment_method: "bank_transfer", payment_request_id: prid, amount: 100_000, created_at: new Date().toISOString() };
    expect((await sim.sendWebhook(body, { secret: "not-the-secret" })).status).toBe(401);
    expect((await sim.sendWebhook(body, { clientId: "someone-else" })).status).toBe(401);
    expect((await sim.sendWebhook(body, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);

    // Signed over one body, another one sent.
    const ts = String(Math.floor(Date.now() / 1000));
    const signedFor = JSON.stringify({ ...body, amount: 1_000 });
    const tampered = new Request(notifyUrl(service.id), {
      method: "POST",
      headers: { "x-client-id": CLIENT_ID, "x-timestamp": ts, "x-signature": finanSign(SECRET, "POST", `/api/providers/${service.id}/notify`, signedFor, ts) },
      body: JSON.stringify(body),
    });
    expect((await handleProviderNotification(t.db(), service.id, tampered)).status).toBe(401);

    // Settle's own HMAC scheme is not Finan's: a Settle-style signature is refused too.
    const settleStyle = new Request(notifyUrl(service.id), { method: "POST", headers: { "x-settle-signature": "v1=abc" }, body: JSON.stringify(body) });
    expect((await handleProviderNotification(t.db(), service.id, settleStyle)).status).toBe(401);

    const seen = await merchantSees(link.id, service.id);
    expect(seen.payments).toHaveLength(0);
    expect(seen.notifications.map((n) => n.outcome)).toEqual(["rejected", "rejected", "rejected", "rejected", "rejected"]);
    expect(seen.notifications.map((n) => n.message)).toEqual(
      expect.arrayContaining([expect.stringContaining("x-signature does not match"), expect.stringContaining("x-client-id"), expect.stringContaining("outside the accepted window")]),
    );
  });

  it("a pretty-printed body is checked on its compact form, as Finan's sample compacts the JSON before hashing", async () => {
    const { service, link } = await setup();
    const { prid } = await checkout(service, link.id);
    const r = sim.requests.get(prid)!;
    const pretty = JSON.stringify({ id: "PAY-PRETTY", reference_id: r.reference_id, payment_request_id: prid, payment_method: "bank_transfer", amount: 100_000, created_at: "2026-12-07T10:00:00Z" }, null, 2);
    r.payments.push({ id: "PAY-PRETTY", amount: 100_000, method: "bank_transfer", created_at: "2026-12-07T10:00:00Z" });
    const ts = String(Math.floor(Date.now() / 1000));
    const request = new Request(notifyUrl(service.id), {
      method: "POST",
      headers: { "x-client-id": CLIENT_ID, "x-timestamp": ts, "x-signature": finanSign(SECRET, "POST", `/api/providers/${service.id}/notify`, compactJson(pretty), ts) },
      body: pretty,
    });
    expect((await handleProviderNotification(t.db(), service.id, request)).body).toMatchObject({ outcome: "recorded" });
    expect(compactJson('{ "a" : "x y\\" z" ,\n "b": [1, 2] }')).toBe('{"a":"x y\\" z","b":[1,2]}');
  });

  it("Finan down during the status pull: 502 so Finan retries, kept as an error, nothing recorded; the retry records it", async () => {
    const { service, link } = await setup();
    const { prid } = await checkout(service, link.id);
    sim.setDown(true);
    let res;
    try {
      res = await sim.pay(prid);
    } finally {
      sim.setDown(false);
    }
    expect(res.status).toBe(502);
    let seen = await merchantSees(link.id, service.id);
    expect(seen.payments).toHaveLength(0);
    expect(seen.notifications).toEqual([expect.objectContaining({ outcome: "error", providerRef: `${prid}|${res.payment.id}` })]);
    expect(seen.notifications[0]!.message).toContain("503");

    expect((await sim.sendWebhook(res.payload)).status).toBe(200);
    seen = await merchantSees(link.id, service.id);
    expect(seen.invoice).toMatchObject({ paymentStatus: "paid", paidAmount: 100_000 });
  });

  it("Finan down when the checkout asks for a payment request: the customer gets provider_unavailable, no session is kept", async () => {
    const { service, link } = await setup();
    sim.setDown(true);
    try {
      await expect(checkout(service, link.id)).rejects.toMatchObject({ code: "provider_unavailable" });
    } finally {
      sim.setDown(false);
    }
    expect(await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, link.id))).toHaveLength(0);
  });

  it("credentials Finan does not accept: the checkout says Finan refused, with Finan's reason, and keeps no session", async () => {
    const m = await makeMerchant(t.db());
    const service = await createGatewayService(t.db(), m.ownerActor, { kind: "finan", name: "Finan", baseUrl: sim.url, clientId: CLIENT_ID, secretKey: "a-stale-secret-key", bankBin: "970422", accountNumber: "0933450210", accountName: "A" });
    const invoice = await createInvoice(t.db(), m.ownerActor, { currency: "VND", items: [{ name: "Order", unitPrice: 50_000, quantity: 1 }], customer: { name: "B" } });
    const link = await createInvoiceLink(t.db(), m.ownerActor, { invoiceId: invoice.id, serviceIds: [service.id] });
    const err = await checkout(service, link.id).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "provider_unavailable" });
    expect((err as Error).message).toContain("Finan answered 401: invalid signature");
    expect(await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, link.id))).toHaveLength(0);
  });

  it("an amount of 0, a negative or a fractional amount is refused with 400, and nothing is recorded", async () => {
    const { service, link } = await setup();
    const { prid } = await checkout(service, link.id);
    const reference_id = sim.requests.get(prid)!.reference_id;
    for (const amount of [0, -100_000, 100.5, "12.5", "abc"]) {
      const res = await sim.sendWebhook({ id: `PAY-${String(amount)}`, reference_id, payment_method: "bank_transfer", payment_request_id: prid, amount, created_at: new Date().toISOString() });
      expect(res.status).toBe(400);
    }
    expect(JSON.parse((await sim.sendWebhook({ id: "PAY-0", reference_id, payment_request_id: prid, amount: 0 })).body).error.message).toContain("more than 0");
    const seen = await merchantSees(link.id, service.id);
    expect(seen.payments).toHaveLength(0);
    expect(seen.invoice.paidAmount).toBe(0);
    // Each refusal is kept for staff as rejected, with its reason.
    expect(seen.notifications).toHaveLength(6);
    expect(seen.notifications.every((n) => n.outcome === "rejected")).toBe(true);
    expect(seen.notifications.map((n) => n.message)).toEqual(expect.arrayContaining([expect.stringContaining("more than 0"), expect.stringContaining("whole number of đồng")]));
    expect(finanAmount("6000000")).toBe(6_000_000);
  });

  it("a card number in Finan's data never reaches what is stored: the notification, the payment's raw body and its message are masked", async () => {
    const { service, link } = await setup();
    const { prid } = await checkout(service, link.id);
    const pan = "4111 1111 1111 1111";
    sim.requests.get(prid)!.description = `card ${pan}`;
    const r = sim.requests.get(prid)!;
    r.payments.push({ id: "PAY-PAN", amount: 100_000, method: "card", created_at: new Date().toISOString() });
    const res = await sim.sendWebhook({ id: "PAY-PAN", reference_id: r.reference_id, payment_method: "card", payment_request_id: prid, amount: 100_000, note: `paid with ${pan}` });
    expect(res.status).toBe(200);
    const seen = await merchantSees(link.id, service.id);
    const stored = JSON.stringify([seen.notifications, seen.payments]);
    expect(stored).not.toContain("4111111111111111");
    expect(stored).not.toContain(pan);
    expect(seen.payments[0]).toMatchObject({ method: "card", status: "succeeded" });
    expect(seen.payments[0]!.message).toContain("[card …1111]");
    expect(seen.notifications[0]!.body).toContain("[card …1111]");
  });

  it("a transfer to the account's static QR (no payment request) finds the link by the remark in reference_id", async () => {
    const { service, link } = await setup();
    const res = await sim.sendWebhook({ id: "PAY-STATIC", reference_id: `MBVCB.${remarkFor(link.code)}.CT`, payment_method: "bank_transfer", amount: 60_000, created_at: new Date().toISOString() });
    expect(res.status).toBe(200);
    const seen = await merchantSees(link.id, service.id);
    expect(seen.invoice).toMatchObject({ paidAmount: 60_000, paymentStatus: "partial" });
    expect(seen.notifications[0]).toMatchObject({ outcome: "recorded", verifiedBy: "signature" });
  });

  it("a webhook naming no known session or link is kept as unmatched", async () => {
    const { service } = await setup();
    const res = await sim.sendWebhook({ id: "PAY-NOBODY", reference_id: "DH970422", payment_method: "bank_transfer", amount: 60_000 });
    expect(res.status).toBe(200);
    const [n] = (await merchantSees((await t.db().select().from(paymentLinks).where(eq(paymentLinks.merchantId, service.merchantId)))[0]!.id, service.id)).notifications;
    expect(n).toMatchObject({ outcome: "unmatched", providerRef: "PAY-NOBODY" });
  });

  it("when Finan's answer has no qr_code, the VietQR is built from the linked account with Finan's remark", async () => {
    const { service, link } = await setup({ simulator: bare });
    const { instruction, prid } = await checkout(service, link.id, bare);
    if (instruction.kind !== "qr") throw new Error("expected a QR");
    const code = bare.requests.get(prid)!.payment_request_code;
    const qr = parseEmvco(instruction.payload);
    expect(qr.get("38")).toContain("970422");
    expect(qr.get("38")).toContain("0933450210");
    expect(qr.get("54")).toBe("100000");
    expect(qr.get("62")).toContain(code);
    expect(instruction.bank?.remark).toBe(code);
  });

  it("linking checks each field: the BIN, the account number, the credentials, the API URL", async () => {
    const m = await makeMerchant(t.db());
    const err = await createGatewayService(t.db(), m.ownerActor, { kind: "finan", name: "Finan", baseUrl: "not a url", clientId: "", secretKey: "", accountId: "42", bankBin: "123", accountNumber: "12-34", accountName: "" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(Object.keys((err as AppError).fields ?? {}).sort()).toEqual(["accountId", "accountName", "accountNumber", "bankBin", "baseUrl", "clientId", "secretKey"]);
    // Without a URL, Finan's production API is used; the secret key is sealed, not in config.
    const ok = await createGatewayService(t.db(), m.ownerActor, { kind: "finan", name: "Finan", clientId: CLIENT_ID, secretKey: SECRET, bankBin: "970422", accountNumber: "0933450210", accountName: "A" });
    expect(ok.config).toMatchObject({ baseUrl: "https://api.finan.one/open", clientId: CLIENT_ID });
    expect(JSON.stringify(ok.config)).not.toContain(SECRET);
    expect(ok.credentialsSealed).toBeTruthy();
  });

  it("is offered only for VND links", async () => {
    const { m, service } = await setup();
    const usd = await createInvoice(t.db(), m.ownerActor, { currency: "USD", items: [{ name: "Order", unitPrice: 1_000, quantity: 1 }], customer: { name: "A" } });
    await expect(createInvoiceLink(t.db(), m.ownerActor, { invoiceId: usd.id, serviceIds: [service.id] })).rejects.toMatchObject({ code: "validation_failed" });
  });
});
