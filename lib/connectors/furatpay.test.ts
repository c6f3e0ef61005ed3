import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoices, paymentLinks, payments, type PaymentService, providerNotifications, providerSessions } from "@/db/schema";
import { createInvoice } from "@/lib/invoices/create";
import { createInvoiceLink } from "@/lib/payment-links/create";
import { expireLinkNow } from "@/lib/payment-links/lifecycle";
import { createGatewayService } from "@/lib/payment-services/gateways";
import { handleProviderNotification } from "@/lib/payment-services/notify";
import { serviceContext } from "@/lib/payment-services/services";
import { startPayment } from "@/lib/payment-services/sessions";
import { useTestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { FIB_ID, type FuratPaySimulator, startFuratPaySimulator, ZAINCASH_ID } from "@/test/simulators/furatpay";
import { furatpayConnector, furatpayDecimal, furatpayMinor } from "./furatpay";

const t = useTestDb();
const ORIGIN = "http://127.0.0.1:3000";
let sim: FuratPaySimulator;

beforeAll(async () => {
  sim = await startFuratPaySimulator({
    // FuratPay POSTs to the URL set in its dashboard: here, Settle's notify handler in-process.
    deliver: async (hook) => {
      const serviceId = /\/api\/providers\/([^/]+)\/notify$/.exec(hook.url)![1]!;
      const res = await handleProviderNotification(t.db(), serviceId, new Request(hook.url, { method: "POST", headers: hook.headers, body: hook.body }));
      return { status: res.status, body: JSON.stringify(res.body) };
    },
  });
});
afterAll(() => sim.close());

async function setup(opts: { currency?: "IQD" | "USD"; amount?: number; qr?: boolean; redirect?: boolean; expiresInMinutes?: number } = {}) {
  const m = await makeMerchant(t.db(), "Baghdad Books");
  const service: PaymentService = await createGatewayService(t.db(), m.ownerActor, {
    kind: "furatpay",
    name: "FuratPay",
    baseUrl: sim.baseUrl,
    apiKey: sim.apiKey,
    webhookSecret: sim.webhookSecret,
    redirectServiceId: opts.redirect === false ? "" : String(ZAINCASH_ID),
    qrServiceId: opts.qr ? String(FIB_ID) : "",
  });
  sim.setWebhook(`${ORIGIN}/api/providers/${service.id}/notify`);
  const currency = opts.currency ?? "IQD";
  // 1,500,000 IQD: Settle keeps IQD in fils (ISO 4217 exponent 3).
  const invoice = await createInvoice(t.db(), m.ownerActor, {
    currency,
    items: [{ name: "Textbooks", unitPrice: opts.amount ?? 1_500_000_000, quantity: 1 }],
    customer: { name: "Zainab Ali", email: "zainab@example.test" },
  });
  const link = await createInvoiceLink(t.db(), m.ownerActor, { invoiceId: invoice.id, serviceIds: [service.id], expiresInMinutes: opts.expiresInMinutes });
  return { m, service, invoice, link };
}

async function start(s: Awaited<ReturnType<typeof setup>>, flow: "redirect" | "qr" = "redirect") {
  const [link] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, s.link.id));
  const instruction = await startPayment(t.db(), { link: link!, service: s.service, flow, origin: ORIGIN, merchantName: "Baghdad Books" });
  const [session] = await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, s.link.id));
  const fInvoice = sim.invoiceOf(Number(session!.providerRef));
  return { instruction, session: session!, fInvoice };
}

async function seen(linkId: string, serviceId: string) {
  const [link] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, linkId));
  const [invoice] = await t.db().select().from(invoices).where(eq(invoices.id, link!.invoiceId));
  const pays = await t.db().select().from(payments).where(eq(payments.paymentLinkId, linkId));
  const notes = await t.db().select().from(providerNotifications).where(eq(providerNotifications.serviceId, serviceId)).orderBy(providerNotifications.createdAt, providerNotifications.id);
  return { link: link!, invoice: invoice!, payments: pays, notifications: notes };
}

describe("FuratPay connector (through the FuratPay simulator)", () => {
  it("pays in full through a ZainCash page: invoice created with Settle's session id, webhook verified, status pulled", async () => {
    const s = await setup();
    const before = sim.requests.length;
    const { instruction, session, fInvoice } = await start(s);
    expect(instruction).toEqual({ kind: "redirect", url: `${sim.url}/pay/${fInvoice.id}` });
    expect(session).toMatchObject({ providerRef: String(fInvoice.id), flow: "redirect", amount: 1_500_000_000 });
    expect(fInvoice).toMatchObject({ code: session.id, order_number: session.id, currency_id: 3, total: "1500000", payment_service_id: ZAINCASH_ID });
    expect(fInvoice.meta_data.return_url).toContain(`/pay/${s.link.code}?return=1`);
    const calls = sim.requests.slice(before);
    expect(calls.map((c) => `${c.method} ${c.path.split("?")[0]}`)).toEqual(["GET /v1/payment_service/linked/list", "POST /v1/invoice", "POST /v1/public/invoice/pay"]);
    expect(calls.every((c) => c.apiKey === sim.apiKey)).toBe(true);
    expect(JSON.parse(calls[2]!.body)).toEqual({ payment_service_id: ZAINCASH_ID, invoice_id: fInvoice.id });

    const answer = await sim.pay(fInvoice.id);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ outcome: "recorded" });
    const v = await seen(s.link.id, s.service.id);
    expect(v.invoice).toMatchObject({ paidAmount: 1_500_000_000, paymentStatus: "paid" });
    expect(v.payments).toHaveLength(1);
    expect(v.payments[0]).toMatchObject({ amount: 1_500_000_000, status: "succeeded", method: "ewallet", providerRef: String(fInvoice.id), late: false });
    expect(v.notifications[0]).toMatchObject({ outcome: "recorded", verifiedBy: "signature", providerRef: String(fInvoice.id), currency: "IQD" });
    expect(v.notifications[0]!.headers["x-signature"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("offers an FIB QR whose payload is the app link, and records the payment as a QR payment", async () => {
    const s = await setup({ qr: true, redirect: false });
    expect(furatpayConnector.flows(serviceContext(s.service), "IQD")).toEqual(["qr"]);
    const { instruction, fInvoice } = await start(s, "qr");
    expect(instruction).toEqual({ kind: "qr", payload: `${sim.url}/pay/${fInvoice.id}` });
    expect(fInvoice.payment_service_id).toBe(FIB_ID);
    await sim.pay(fInvoice.id);
    const v = await seen(s.link.id, s.service.id);
    expect(v.payments[0]).toMatchObject({ method: "qr", status: "succeeded", amount: 1_500_000_000 });
    expect(v.invoice.paymentStatus).toBe("paid");
  });

  it("a FuratPay invoice lowered before it was paid is a partial payment of what it finally asked", async () => {
    const s = await setup();
    const { fInvoice } = await start(s);
    sim.editInvoice(fInvoice.id, { total: "500000.0000" });
    await sim.pay(fInvoice.id);
    const v = await seen(s.link.id, s.service.id);
    expect(v.payments[0]).toMatchObject({ amount: 500_000_000, status: "succeeded" });
    expect(v.invoice).toMatchObject({ paidAmount: 500_000_000, paymentStatus: "partial" });
    expect(v.link).toMatchObject({ paidAmount: 500_000_000, paymentStatus: "partial" });
  });

  it("a declined payment is recorded as failed and pays nothing", async () => {
    const s = await setup();
    const { fInvoice } = await start(s);
    const answer = await sim.decline(fInvoice.id);
    expect(JSON.parse(answer.body)).toMatchObject({ outcome: "recorded" });
    const v = await seen(s.link.id, s.service.id);
    expect(v.payments).toHaveLength(1);
    expect(v.payments[0]).toMatchObject({ status: "failed", message: "FuratPay invoice failed." });
    expect(v.invoice).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });
  });

  it("the same webhook twice, and INVOICE_UPDATED after INVOICE_PAID, record the payment once", async () => {
    const s = await setup();
    const { fInvoice } = await start(s);
    await sim.pay(fInvoice.id);
    const again = await sim.notify(fInvoice.id);
    const updated = await sim.notify(fInvoice.id, { type: "INVOICE_UPDATED" });
    expect(JSON.parse(again.body)).toMatchObject({ outcome: "duplicate" });
    expect(JSON.parse(updated.body)).toMatchObject({ outcome: "duplicate" });
    const v = await seen(s.link.id, s.service.id);
    expect(v.payments).toHaveLength(1);
    expect(v.invoice.paidAmount).toBe(1_500_000_000);
    expect(v.notifications.map((n) => n.outcome)).toEqual(["recorded", "duplicate", "duplicate"]);
  });

  it("a payment after the link expired is still recorded, flagged late", async () => {
    const s = await setup();
    const { fInvoice } = await start(s);
    const [link] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, s.link.id));
    await expireLinkNow(t.db(), link!);
    await sim.pay(fInvoice.id);
    const v = await seen(s.link.id, s.service.id);
    expect(v.payments[0]).toMatchObject({ late: true, status: "succeeded", amount: 1_500_000_000 });
    expect(v.invoice.paidAmount).toBe(1_500_000_000);
  });

  it("refuses a forged signature, another secret, a stale timestamp and a tampered id; nothing is paid", async () => {
    const s = await setup();
    const { fInvoice } = await start(s);
    sim.editInvoice(fInvoice.id, { status: "paid" });
    const forged = await sim.notify(fInvoice.id, { secret: "not-the-webhook-secret" });
    const stale = await sim.notify(fInvoice.id, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const hook = sim.webhookFor(fInvoice);
    const tampered = JSON.parse(hook.body) as { data: { order_number: string } };
    tampered.data.order_number = "pse_someone_else";
    const swapped = await handleProviderNotification(t.db(), s.service.id, new Request(hook.url, { method: "POST", headers: hook.headers, body: JSON.stringify(tampered) }));
    const unsigned = await handleProviderNotification(t.db(), s.service.id, new Request(hook.url, { method: "POST", headers: { "content-type": "application/json" }, body: hook.body }));
    expect([forged.status, stale.status, swapped.status, unsigned.status]).toEqual([401, 401, 401, 401]);
    const v = await seen(s.link.id, s.service.id);
    expect(v.payments).toHaveLength(0);
    expect(v.invoice.paidAmount).toBe(0);
    expect(v.notifications.map((n) => n.outcome)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    expect(v.notifications[0]!.message).toBe("The X-Signature does not match.");
  });

  it("an invoice FuratPay reports in another currency is kept as a mismatch; a body that is not its webhook is a 400", async () => {
    const s = await setup();
    const { fInvoice } = await start(s);
    sim.editInvoice(fInvoice.id, { currency_id: 1 });
    const answer = await sim.pay(fInvoice.id);
    expect(JSON.parse(answer.body)).toMatchObject({ outcome: "currency_mismatch" });
    const hook = sim.webhookFor(fInvoice);
    const broken = await handleProviderNotification(t.db(), s.service.id, new Request(hook.url, { method: "POST", headers: hook.headers, body: "{not json" }));
    const shapeless = await handleProviderNotification(t.db(), s.service.id, new Request(hook.url, { method: "POST", headers: hook.headers, body: JSON.stringify({ type: "INVOICE_PAID" }) }));
    expect([broken.status, shapeless.status]).toEqual([400, 400]);
    const v = await seen(s.link.id, s.service.id);
    expect(v.payments).toHaveLength(0);
    expect(v.notifications.map((n) => n.outcome)).toEqual(["currency_mismatch", "rejected", "rejected"]);
    expect(v.notifications[0]!.message).toBe("Paid in USD; the link is in IQD.");
    expect(v.notifications[1]!.message).toBe("The body is not valid JSON.");
    expect(v.notifications[2]!.message).toMatch(/^data: /);
  });

  it("FuratPay down during the status pull: 502 and an error kept; its retry records the payment", async () => {
    const s = await setup();
    const { fInvoice } = await start(s);
    sim.editInvoice(fInvoice.id, { status: "paid" });
    sim.setDown(true);
    let answer;
    try {
      answer = await sim.notify(fInvoice.id);
    } finally {
      sim.setDown(false);
    }
    expect(answer.status).toBe(502);
    let v = await seen(s.link.id, s.service.id);
    expect(v.payments).toHaveLength(0);
    expect(v.notifications[0]).toMatchObject({ outcome: "error", verifiedBy: null, providerRef: String(fInvoice.id) });
    expect(v.notifications[0]!.message).toContain("503");
    const retry = await sim.notify(fInvoice.id);
    expect(JSON.parse(retry.body)).toMatchObject({ outcome: "recorded" });
    v = await seen(s.link.id, s.service.id);
    expect(v.invoice.paymentStatus).toBe("paid");
  });

  it("refuses an amount of 0 (in the webhook, or in the invoice FuratPay reports paid): never a payment of 0", async () => {
    const s = await setup();
    const { fInvoice } = await start(s);
    sim.editInvoice(fInvoice.id, { status: "paid" });
    const inBody = await sim.notify(fInvoice.id, { data: { total: "0" } });
    expect(inBody.status).toBe(400);
    expect(JSON.parse(inBody.body).error.message).toContain("0 or less");
    // The webhook's own total is unsigned: the invoice FuratPay reports is what counts.
    sim.editInvoice(fInvoice.id, { total: "0.000" });
    const pulled = await sim.notify(fInvoice.id, { data: { total: "1500000" } });
    expect(pulled.status).toBe(400);
    await expect(furatpayConnector.fetchStatus!(serviceContext(s.service), String(fInvoice.id))).rejects.toThrow(/0 or less/);
    const v = await seen(s.link.id, s.service.id);
    expect(v.payments).toHaveLength(0);
    // Both kept for staff as rejected, with the reason.
    expect(v.notifications.map((n) => n.outcome)).toEqual(["rejected", "rejected"]);
    expect(v.notifications[1]!.message).toBe(`FuratPay reports invoice ${fInvoice.id} paid with an amount of 0.000; an amount of 0 or less is never recorded.`);
    expect(v.invoice.paidAmount).toBe(0);
  });

  it("masks a card number in the invoice's remarks (the payment's message) and in the kept body", async () => {
    const s = await setup();
    const { fInvoice } = await start(s);
    sim.editInvoice(fInvoice.id, { remarks: "Paid by card 4111 1111 1111 1111 at the counter" });
    await sim.pay(fInvoice.id);
    const v = await seen(s.link.id, s.service.id);
    expect(v.payments[0]!.message).toBe("Paid by card [card …1111] at the counter");
    expect(v.notifications[0]!.body).not.toContain("4111 1111 1111 1111");
    expect(JSON.stringify(v.payments[0]!.raw)).not.toContain("4111 1111 1111 1111");
  });

  it("ignores a pending invoice's update and events that are not payments; a premature INVOICE_PAID is retried", async () => {
    const s = await setup();
    const { fInvoice } = await start(s);
    const updated = await sim.notify(fInvoice.id, { type: "INVOICE_UPDATED" });
    const created = await sim.notify(fInvoice.id, { type: "INVOICE_CREATED" });
    expect(JSON.parse(updated.body)).toMatchObject({ outcome: "ignored" });
    expect(JSON.parse(created.body)).toMatchObject({ outcome: "ignored" });
    // INVOICE_PAID while FuratPay's invoice still reads pending: not confirmed, so 502 and FuratPay retries.
    const early = await sim.notify(fInvoice.id, { type: "INVOICE_PAID" });
    expect(early.status).toBe(502);
    const v = await seen(s.link.id, s.service.id);
    expect(v.payments).toHaveLength(0);
    expect(v.notifications[2]).toMatchObject({ outcome: "error", message: `FuratPay invoice ${fInvoice.id} is still pending.` });
    expect(v.notifications.slice(0, 2).map((n) => n.message)).toEqual([`FuratPay invoice ${fInvoice.id} is pending: nothing paid yet.`, "FuratPay INVOICE_CREATED is not a payment event."]);
  });

  it("a USD link sends an exact decimal and reads back cents; a service not linked in FuratPay cannot start", async () => {
    const s = await setup({ currency: "USD", amount: 1250 });
    const { fInvoice } = await start(s);
    expect(fInvoice).toMatchObject({ currency_id: 1, total: "12.5" });
    await sim.pay(fInvoice.id);
    expect((await seen(s.link.id, s.service.id)).payments[0]).toMatchObject({ amount: 1250, status: "succeeded" });

    const other = await setup();
    const ctx = serviceContext(other.service);
    await expect(
      furatpayConnector.startPayment!({ ...ctx, config: { ...ctx.config, redirectServiceId: "4" } }, { id: "x", code: "x", currency: "IQD", due: 1000, merchantName: "B" }, "redirect", {
        sessionId: "pse_x",
        returnUrl: `${ORIGIN}/pay/x`,
        notifyUrl: `${ORIGIN}/n`,
      }),
    ).rejects.toThrow("Payment service 4 is inactive in FuratPay.");
    await expect(
      furatpayConnector.startPayment!({ ...ctx, config: { ...ctx.config, redirectServiceId: "99" } }, { id: "x", code: "x", currency: "IQD", due: 1000, merchantName: "B" }, "redirect", {
        sessionId: "pse_y",
        returnUrl: `${ORIGIN}/pay/x`,
        notifyUrl: `${ORIGIN}/n`,
      }),
    ).rejects.toThrow("Payment service 99 is not linked to this FuratPay account.");
  });

  it("FuratPay refusing to start (down) is the checkout's provider_unavailable, and no session is kept", async () => {
    const s = await setup();
    const [link] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, s.link.id));
    sim.setDown(true);
    try {
      await expect(startPayment(t.db(), { link: link!, service: s.service, flow: "redirect", origin: ORIGIN, merchantName: "B" })).rejects.toMatchObject({ code: "provider_unavailable" });
    } finally {
      sim.setDown(false);
    }
    expect(await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, s.link.id))).toHaveLength(0);
  });
});

describe("FuratPay setup and amounts", () => {
  const schema = furatpayConnector.setup!.schema;
  const valid = { baseUrl: "https://api.furatpay.com/v1", apiKey: "fp_live_123456789", webhookSecret: "whs_123456789", redirectServiceId: "1", qrServiceId: undefined };

  it("needs the API URL, both secrets and at least one numeric service id, with field messages", () => {
    expect(schema.safeParse(valid).success).toBe(true);
    const bad = schema.safeParse({ baseUrl: "ftp://x", apiKey: "", webhookSecret: undefined, redirectServiceId: "zaincash" });
    expect(bad.success).toBe(false);
    const fields = Object.fromEntries(bad.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(Object.keys(fields).sort()).toEqual(["apiKey", "baseUrl", "redirectServiceId", "webhookSecret"]);
    const none = schema.safeParse({ ...valid, redirectServiceId: undefined });
    expect(none.error!.issues[0]).toMatchObject({ path: ["redirectServiceId"], message: expect.stringContaining("at least one") });
  });

  it("offers only IQD and USD, and only the flows with a service id", () => {
    const ctx = { id: "svc", merchantId: "m", kind: "furatpay" as const, name: "F", secret: null, config: { baseUrl: "https://x", redirectServiceId: "1", qrServiceId: "2" }, credentials: { apiKey: "k" } };
    expect(furatpayConnector.flows(ctx, "IQD")).toEqual(["redirect", "qr"]);
    expect(furatpayConnector.flows(ctx, "USD")).toEqual(["redirect", "qr"]);
    expect(furatpayConnector.flows(ctx, "VND")).toEqual([]);
    expect(furatpayConnector.flows({ ...ctx, config: { baseUrl: "https://x", qrServiceId: "2" } }, "IQD")).toEqual(["qr"]);
  });

  it("converts decimals exactly, trailing zeros allowed, extra digits refused", () => {
    expect(furatpayMinor("1500000", "IQD")).toBe(1_500_000_000);
    expect(furatpayMinor("25000.0000", "IQD")).toBe(25_000_000);
    expect(furatpayMinor(12.5, "USD")).toBe(1250);
    expect(furatpayMinor("0.1", "USD")).toBe(10);
    expect(furatpayMinor("12.345", "USD")).toBeNull();
    expect(furatpayMinor("1e5", "USD")).toBeNull();
    expect(furatpayDecimal(1_500_000_000, "IQD")).toBe("1500000");
    expect(furatpayDecimal(1_500_500, "IQD")).toBe("1500.5");
    expect(furatpayDecimal(1205, "USD")).toBe("12.05");
  });
});
