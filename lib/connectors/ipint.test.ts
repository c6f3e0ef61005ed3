import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, invoices, paymentLinks, payments, providerNotifications, providerSessions } from "@/db/schema";
import { makeMerchant } from "@/test/factories";
import { useTestDb } from "@/test/db";
import { startIpintSimulator, type IpintSimulator } from "@/test/simulators/ipint";
import { checkoutStatus } from "@/lib/checkout/view";
import { createInvoice } from "@/lib/invoices/create";
import { createInvoiceLink } from "@/lib/payment-links/create";
import { expireLinkNow } from "@/lib/payment-links/lifecycle";
import { createGatewayService } from "@/lib/payment-services/gateways";
import { notifyEndpoint } from "@/lib/payment-services/notify";
import { findServiceById } from "@/lib/payment-services/services";
import { startPayment } from "@/lib/payment-services/sessions";
import { factsFromInvoice, ipintConnector, parseConfirmations } from "./ipint";

const t = useTestDb();
const API_KEY = "ipint-test-key-0001";
const API_SECRET = "ipint-test-secret-0001";
const ORIGIN = "https://settle.example";

/** Settle's notify route, called in-process with the request iPint sends: the exact HTTP answer iPint gets. */
const route = notifyEndpoint(async () => t.db());
async function deliverToSettle(url: string, body: string) {
  const serviceId = new URL(url).pathname.split("/")[3]!;
  const res = await route(new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body }), { params: Promise.resolve({ serviceId }) });
  return { status: res.status, body: await res.text() };
}

let sim: IpintSimulator;
let quiet: IpintSimulator;
beforeAll(async () => {
  sim = await startIpintSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, deliver: deliverToSettle });
  // iPint as documented: callbacks only for COMPLETED and FAILED, and coins confirmed at once.
  quiet = await startIpintSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, deliver: deliverToSettle, alertProcessing: false, confirmationsOnPay: 3 });
});
afterAll(async () => {
  await sim.close();
  await quiet.close();
});

async function setup(opts: { simulator?: IpintSimulator; currency?: "VND" | "USD" | "KWD"; amount?: number; email?: string | null } = {}) {
  const s = opts.simulator ?? sim;
  const m = await makeMerchant(t.db());
  const service = await createGatewayService(t.db(), m.ownerActor, { kind: "ipint", name: "iPint crypto", baseUrl: s.url, apiKey: API_KEY, apiSecret: API_SECRET });
  const invoice = await createInvoice(t.db(), m.ownerActor, {
    currency: opts.currency ?? "VND",
    items: [{ name: "Order", unitPrice: opts.amount ?? 100_000, quantity: 1 }],
    customer: { name: "Nguyen Van A", ...(opts.email === null ? {} : { email: opts.email ?? "buyer@example.test" }) },
  });
  const link = await createInvoiceLink(t.db(), m.ownerActor, { invoiceId: invoice.id, serviceIds: [service.id], successUrl: "https://shop.example/thanks" });
  return { m, service, invoice, link, s };
}

/** The customer chooses iPint on the checkout: Settle opens a session and sends them to iPint's page. */
async function begin(ctx: Awaited<ReturnType<typeof setup>>) {
  const service = (await findServiceById(t.db(), ctx.service.id))!;
  const [link] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, ctx.link.id));
  const instruction = await startPayment(t.db(), { link: link!, service, flow: "redirect", origin: ORIGIN, merchantName: "Test Store", locale: "en" });
  const inv = ctx.s.latest()!;
  return { instruction, inv, id: inv.invoice_id };
}

async function state(linkId: string) {
  const [link] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, linkId));
  const [invoice] = await t.db().select().from(invoices).where(eq(invoices.id, link!.invoiceId));
  const pays = await t.db().select().from(payments).where(eq(payments.paymentLinkId, linkId));
  const evts = (await t.db().select().from(events).where(eq(events.invoiceId, link!.invoiceId)).orderBy(events.seq)).map((e) => e.type);
  return { link: link!, invoice: invoice!, payments: pays, events: evts, checkout: await checkoutStatus(t.db(), link!, "en") };
}
const notificationsOf = (serviceId: string) => t.db().select().from(providerNotifications).where(eq(providerNotifications.serviceId, serviceId)).orderBy(providerNotifications.createdAt);

describe("iPint: linking and starting a payment", () => {
  it("links with an API URL, key and secret; the secrets are sealed and every missing field is named", async () => {
    const m = await makeMerchant(t.db());
    await expect(createGatewayService(t.db(), m.ownerActor, { kind: "ipint", name: "iPint", baseUrl: "not a url" })).rejects.toMatchObject({
      code: "validation_failed",
      fields: { baseUrl: ["Enter iPint's API URL, like https://api.ipint.io:8002 (testnet)."], apiKey: ["Enter your iPint API key."], apiSecret: ["Enter your iPint API secret."] },
    });
    const svc = await createGatewayService(t.db(), m.ownerActor, { kind: "ipint", name: "iPint", baseUrl: sim.url, apiKey: API_KEY, apiSecret: API_SECRET });
    expect(svc.config).toEqual({ baseUrl: sim.url });
    expect(JSON.stringify(svc)).not.toContain(API_SECRET);
    expect(JSON.stringify(svc)).not.toContain(API_KEY);
  });

  it("is offered in currencies iPint can be asked in (two decimals at most), as a redirect", async () => {
    const ctx = { id: "svc", merchantId: "m", kind: "ipint" as const, name: "iPint", config: { baseUrl: sim.url }, secret: null, credentials: {} };
    expect(ipintConnector.flows(ctx, "VND")).toEqual(["redirect"]);
    expect(ipintConnector.flows(ctx, "USD")).toEqual(["redirect"]);
    expect(ipintConnector.flows(ctx, "KWD")).toEqual([]);
    expect(ipintConnector.flows({ ...ctx, config: {} }, "USD")).toEqual([]);
  });

  it("opens an iPint /checkout session with the amount in major units, the return and callback URLs, and redirects to its page", async () => {
    const ctx = await setup({ currency: "USD", amount: 100_050 });
    const { instruction, inv, id } = await begin(ctx);
    expect(instruction).toEqual({ kind: "redirect", url: `${sim.url}/test-checkout?id=${id}` });
    const [session] = await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, ctx.link.id));
    expect(session).toMatchObject({ providerRef: id, amount: 100_050, flow: "redirect" });
    const returnUrl = `${ORIGIN}/pay/${ctx.link.code}?return=1&method=${ctx.service.id}.redirect&lang=en`;
    expect(inv.request).toEqual({
      client_email_id: "buyer@example.test",
      client_preferred_fiat_currency: "USD",
      amount: "1000.50",
      merchant_website: returnUrl,
      success_url: returnUrl,
      failure_url: returnUrl,
      invoice_callback_url: `${ORIGIN}/api/providers/${ctx.service.id}/notify`,
    });
    // Asked once per session: the page view after it reuses it.
    await begin(ctx);
    expect(await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, ctx.link.id))).toHaveLength(1);
  });

  it("without a customer email, the session id stands in as iPint's unique client reference", async () => {
    const ctx = await setup({ email: null });
    const { inv } = await begin(ctx);
    expect(inv.client_email_id).toMatch(/^pse_[0-9a-z]+@settle\.invalid$/);
  });

  it("iPint down or refusing the key: the customer is told the gateway is unavailable, no session kept", async () => {
    const ctx = await setup();
    sim.down(true);
    try {
      await expect(begin(ctx)).rejects.toMatchObject({ code: "provider_unavailable", message: expect.stringContaining("503") });
    } finally {
      sim.down(false);
    }
    const m = await makeMerchant(t.db());
    const wrong = await createGatewayService(t.db(), m.ownerActor, { kind: "ipint", name: "iPint", baseUrl: sim.url, apiKey: "not-the-right-key", apiSecret: API_SECRET });
    const invoice = await createInvoice(t.db(), m.ownerActor, { currency: "VND", items: [{ name: "Order", unitPrice: 100_000, quantity: 1 }], customer: { name: "A" } });
    const link = await createInvoiceLink(t.db(), m.ownerActor, { invoiceId: invoice.id, serviceIds: [wrong.id] });
    await expect(begin({ ...ctx, service: wrong, link })).rejects.toMatchObject({ code: "provider_unavailable", message: expect.stringContaining("invalid apikey") });
    expect(await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, ctx.link.id))).toHaveLength(0);
  });
});

describe("iPint: the callback is a trigger, /invoice is the truth", () => {
  it("paid: the COMPLETED callback is answered 200 with an empty body, the signed /invoice lookup records the received amount", async () => {
    const ctx = await setup({ simulator: quiet });
    const { id } = await begin(ctx);
    await quiet.pay(id);
    expect(quiet.deliveries.filter((d) => d.invoiceId === id)).toEqual([{ invoiceId: id, body: JSON.stringify({ invoice_id: id, status: "COMPLETED" }), status: 200, responseBody: "" }]);
    const lookup = quiet.calls.filter((c) => c.path === `/invoice?id=${id}`);
    expect(lookup).toEqual([{ path: `/invoice?id=${id}`, status: 200, headers: { apikey: API_KEY, nonce: expect.stringMatching(/^\d{16,}$/), signature: expect.stringMatching(/^[0-9a-f]{96}$/) } }]);
    const s = await state(ctx.link.id);
    expect(s.invoice).toMatchObject({ paidAmount: 100_000, paymentStatus: "paid" });
    expect(s.payments).toEqual([expect.objectContaining({ providerRef: id, amount: 100_000, status: "succeeded", method: "other", confirmations: null })]);
    expect(s.payments[0]!.message).toBe("Paid in crypto (0.00008000 TBTC).");
    const [n] = await notificationsOf(ctx.service.id);
    expect(n).toMatchObject({ outcome: "recorded", verifiedBy: "status", providerRef: id, amount: 100_000, currency: "VND", invoiceId: ctx.invoice.id });
    expect(s.events).toEqual(expect.arrayContaining(["payment.succeeded", "invoice.paid"]));
  });

  it("processing → completed: CHECKING/PROCESSING is a processing payment with its confirmations, not counted; COMPLETED pays", async () => {
    const ctx = await setup();
    const { id } = await begin(ctx);
    await sim.pay(id);
    let s = await state(ctx.link.id);
    expect(s.payments).toEqual([expect.objectContaining({ status: "processing", amount: 100_000, confirmations: 1, confirmationsRequired: 3 })]);
    expect(s.invoice).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });
    expect(s.link).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });
    expect(s.events.filter((e) => e.startsWith("payment."))).toEqual(["payment.processing"]);
    expect(s.checkout).toMatchObject({ paymentStatus: "unpaid", failed: false, processing: { seen: 1, required: 3 } });
    const v1 = s.checkout.version;

    await sim.confirm(id);
    s = await state(ctx.link.id);
    expect(s.payments).toEqual([expect.objectContaining({ status: "processing", confirmations: 2 })]);
    expect(s.invoice.paidAmount).toBe(0);
    // Nothing to announce: no money moved.
    expect(s.events.filter((e) => e.startsWith("payment."))).toEqual(["payment.processing"]);
    expect(s.checkout.processing).toEqual({ seen: 2, required: 3 });
    expect(s.checkout.version).not.toBe(v1);

    await sim.confirm(id);
    s = await state(ctx.link.id);
    expect(s.payments).toEqual([expect.objectContaining({ status: "succeeded", amount: 100_000 })]);
    expect(s.invoice).toMatchObject({ paidAmount: 100_000, paymentStatus: "paid" });
    expect(s.events.filter((e) => e.startsWith("payment.") || e === "invoice.paid")).toEqual(["payment.processing", "payment.succeeded", "invoice.paid"]);
    expect(s.checkout).toMatchObject({ paymentStatus: "paid", processing: null, successUrl: expect.stringContaining("status=paid") });
    expect(sim.deliveries.filter((d) => d.invoiceId === id).map((d) => [JSON.parse(d.body).status, d.status, d.responseBody])).toEqual([
      ["PROCESSING", 200, ""],
      ["PROCESSING", 200, ""],
      ["COMPLETED", 200, ""],
    ]);
    expect((await notificationsOf(ctx.service.id)).map((n) => n.outcome)).toEqual(["recorded", "recorded", "recorded"]);
    // A stale PROCESSING lookup after COMPLETED changes nothing.
    sim.set(id, { transaction_status: "PROCESSING", blockchain_confirmations: "2/3" });
    await sim.callback(id);
    s = await state(ctx.link.id);
    expect(s.payments).toEqual([expect.objectContaining({ status: "succeeded" })]);
    expect((await notificationsOf(ctx.service.id)).at(-1)!.outcome).toBe("duplicate");
  });

  it("partial: a short payment is recorded at what arrived, and the invoice stays part paid", async () => {
    const ctx = await setup({ simulator: quiet });
    const { id } = await begin(ctx);
    await quiet.pay(id, { amount: "40000" });
    const s = await state(ctx.link.id);
    expect(s.payments).toEqual([expect.objectContaining({ status: "succeeded", amount: 40_000 })]);
    expect(s.payments[0]!.message).toContain("Short payment: received 40000 VND of 100000");
    expect(s.invoice).toMatchObject({ paidAmount: 40_000, paymentStatus: "partial" });
    expect(s.checkout).toMatchObject({ paymentStatus: "partial", remaining: 60_000 });
  });

  it("failed and cancelled: the payment fails, nothing is counted, the checkout offers a retry", async () => {
    const ctx = await setup();
    const { id } = await begin(ctx);
    await sim.decline(id);
    let s = await state(ctx.link.id);
    expect(s.payments).toEqual([expect.objectContaining({ status: "failed", providerRef: id })]);
    expect(s.payments[0]!.message).toBe("iPint reports the invoice unpaid (blockchain: NOT_FOUND).");
    expect(s.invoice).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });
    expect(s.checkout).toMatchObject({ failed: true, failureMessage: "iPint reports the invoice unpaid (blockchain: NOT_FOUND)." });
    expect(s.events).toContain("payment.failed");

    const other = await setup();
    const second = await begin(other);
    sim.set(second.id, { transaction_status: "CANCELLED" });
    const answer = await sim.callback(second.id, "CANCELLED");
    expect(answer).toEqual({ status: 200, body: "" });
    s = await state(other.link.id);
    expect(s.payments).toEqual([expect.objectContaining({ status: "failed", message: "The customer closed iPint's page before paying." })]);
  });

  it("processing → failed: coins seen but never confirmed (too low a fee) end as a failed payment, never counted", async () => {
    const ctx = await setup();
    const { id } = await begin(ctx);
    await sim.pay(id);
    expect((await state(ctx.link.id)).payments).toEqual([expect.objectContaining({ status: "processing" })]);
    sim.set(id, { transaction_status: "FAILED", blockchain_transaction_status: "DROPPED" });
    expect(await sim.callback(id)).toEqual({ status: 200, body: "" });
    const s = await state(ctx.link.id);
    expect(s.payments).toEqual([expect.objectContaining({ status: "failed", message: "iPint reports the invoice unpaid (blockchain: DROPPED)." })]);
    expect(s.invoice).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });
    expect(s.events.filter((e) => e.startsWith("payment."))).toEqual(["payment.processing", "payment.failed"]);
    expect(s.checkout).toMatchObject({ failed: true, processing: null });
  });

  it("duplicate: the same callback again (iPint's retry) is answered 200 and recorded once", async () => {
    const ctx = await setup({ simulator: quiet });
    const { id } = await begin(ctx);
    await quiet.pay(id);
    expect(await quiet.callback(id)).toEqual({ status: 200, body: "" });
    expect(await quiet.callback(id)).toEqual({ status: 200, body: "" });
    const s = await state(ctx.link.id);
    expect(s.payments).toHaveLength(1);
    expect(s.invoice.paidAmount).toBe(100_000);
    expect(s.events.filter((e) => e === "payment.succeeded")).toHaveLength(1);
    expect((await notificationsOf(ctx.service.id)).map((n) => n.outcome)).toEqual(["recorded", "duplicate", "duplicate"]);
  });

  it("late: a payment confirmed after the link expired is still recorded, flagged late, after the expiry event", async () => {
    const ctx = await setup({ simulator: quiet });
    const { id } = await begin(ctx);
    await expireLinkNow(t.db(), ctx.link);
    await quiet.pay(id);
    const s = await state(ctx.link.id);
    expect(s.link).toMatchObject({ status: "expired", paymentStatus: "paid" });
    expect(s.payments).toEqual([expect.objectContaining({ status: "succeeded", late: true })]);
    expect(s.events.indexOf("payment_link.expired")).toBeGreaterThan(-1);
    expect(s.events.indexOf("payment_link.expired")).toBeLessThan(s.events.indexOf("payment.succeeded"));
  });

  it("forged: a callback claiming COMPLETED is checked with /invoice; an unknown invoice is never recorded", async () => {
    const ctx = await setup();
    const { id } = await begin(ctx);
    // The customer has not paid: iPint's /invoice says CHECKING, whatever the callback claims.
    expect(await sim.callback(id, "COMPLETED")).toEqual({ status: 200, body: "" });
    let s = await state(ctx.link.id);
    expect(s.invoice).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });
    expect(s.payments).toEqual([expect.objectContaining({ status: "processing", confirmations: 0 })]);

    const forged = await deliverToSettle(`${ORIGIN}/api/providers/${ctx.service.id}/notify`, JSON.stringify({ invoice_id: "NotAnIpintInvoice0000", status: "COMPLETED" }));
    // iPint's /invoice does not know it: not confirmed, never recorded (502, kept as an error for staff).
    expect(forged).toEqual({ status: 502, body: "" });
    s = await state(ctx.link.id);
    expect(s.payments).toHaveLength(1);
    expect((await notificationsOf(ctx.service.id)).at(-1)).toMatchObject({ outcome: "error", providerRef: "NotAnIpintInvoice0000", message: expect.stringContaining("iPint answered 400") });

    const garbage = await deliverToSettle(`${ORIGIN}/api/providers/${ctx.service.id}/notify`, JSON.stringify({ status: "COMPLETED" }));
    expect(garbage).toEqual({ status: 400, body: "" });
    const notJson = await deliverToSettle(`${ORIGIN}/api/providers/${ctx.service.id}/notify`, "invoice_id=x");
    expect(notJson).toEqual({ status: 400, body: "" });
  });

  it("provider down during the status pull: 502 with an empty body, nothing recorded, and iPint's retry records it", async () => {
    const ctx = await setup({ simulator: quiet });
    const { id } = await begin(ctx);
    quiet.down(true);
    try {
      await quiet.pay(id);
    } finally {
      quiet.down(false);
    }
    expect(quiet.deliveries.filter((d) => d.invoiceId === id).map((d) => [d.status, d.responseBody])).toEqual([[502, ""]]);
    let s = await state(ctx.link.id);
    expect(s.payments).toHaveLength(0);
    expect((await notificationsOf(ctx.service.id)).map((n) => [n.outcome, n.providerRef])).toEqual([["error", id]]);

    await quiet.retryFailed();
    expect(quiet.deliveries.filter((d) => d.invoiceId === id).map((d) => d.status)).toEqual([502, 200]);
    s = await state(ctx.link.id);
    expect(s.invoice).toMatchObject({ paidAmount: 100_000, paymentStatus: "paid" });
  });

  it("amount 0: COMPLETED with nothing received is refused (400), kept as rejected with the reason, never a payment of 0", async () => {
    const ctx = await setup();
    const { id } = await begin(ctx);
    sim.set(id, { transaction_status: "COMPLETED", received_amount_in_local_currency: "0", received_amount_in_usd: "0", received_crypto_amount: "0", blockchain_confirmations: "3/3" });
    expect(await sim.callback(id)).toEqual({ status: 400, body: "" });
    const s = await state(ctx.link.id);
    expect(s.payments).toHaveLength(0);
    expect(s.invoice.paidAmount).toBe(0);
    const [n] = await notificationsOf(ctx.service.id);
    expect(n).toMatchObject({ outcome: "rejected", verifiedBy: "status", providerRef: id, amount: 0, message: expect.stringContaining("greater than zero") });
  });

  it("a card number in the callback or in iPint's answer is never stored or shown: only its last four", async () => {
    const ctx = await setup();
    const { id } = await begin(ctx);
    sim.set(id, { transaction_status: "FAILED", blockchain_transaction_status: "card 4111 1111 1111 1111" });
    const body = JSON.stringify({ invoice_id: id, status: "FAILED", note: "paid by 4111111111111111" });
    expect(await deliverToSettle(`${ORIGIN}/api/providers/${ctx.service.id}/notify`, body)).toEqual({ status: 200, body: "" });
    const s = await state(ctx.link.id);
    const [n] = await notificationsOf(ctx.service.id);
    const stored = JSON.stringify([n, s.payments, s.checkout]);
    expect(stored).not.toContain("4111111111111111");
    expect(stored).not.toContain("4111 1111 1111 1111");
    expect(n!.body).toContain("[card …1111]");
    expect(s.payments[0]!.message).toContain("[card …1111]");
  });

  it("a status Settle does not know is not guessed at: 502, so iPint asks again later", async () => {
    const ctx = await setup();
    const { id } = await begin(ctx);
    sim.set(id, { transaction_status: "REFUNDED" as never });
    expect((await sim.callback(id)).status).toBe(502);
    expect((await state(ctx.link.id)).payments).toHaveLength(0);
  });
});

describe("iPint's /invoice answer, read", () => {
  const base = {
    invoice_id: "inv1",
    local_currency_code: "USD",
    invoice_amount_in_local_currency: "100.00",
    invoice_amount_in_usd: "100.00",
    invoice_crypto_amount: "0.00200000",
    received_amount_in_local_currency: "100.00",
    received_amount_in_usd: "100.00",
    received_crypto_amount: "0.00200000",
    transaction_status: "COMPLETED",
    blockchain_confirmations: "3/3",
    transaction_crypto: "BTC",
  };
  it("a short coin payment whose local figure still looks whole is scaled by the coin received", () => {
    const facts = factsFromInvoice({ ...base, received_crypto_amount: "0.00100000" }, "inv1");
    expect(facts).toMatchObject({ status: "succeeded", amount: 5_000, currency: "USD" });
    expect(facts.message).toMatch(/^Short payment/);
  });
  it("more decimals than the currency has are dropped, never rounded up; an overpayment is what arrived", () => {
    expect(factsFromInvoice({ ...base, received_amount_in_local_currency: "100.019", received_amount_in_usd: "100.02", received_crypto_amount: "0.0020004" }, "inv1").amount).toBe(10_001);
  });
  it("confirmations as the README's sample writes them ('0/6') or a bare count of 3", () => {
    expect(parseConfirmations("0/6")).toEqual({ seen: 0, required: 6 });
    expect(parseConfirmations("2")).toEqual({ seen: 2, required: 3 });
    expect(parseConfirmations("")).toBeUndefined();
    expect(factsFromInvoice({ ...base, transaction_status: "PROCESSING", blockchain_confirmations: "1/3" }, "inv1")).toMatchObject({ status: "processing", confirmations: { seen: 1, required: 3 }, amount: 10_000 });
  });
  it("an answer about another invoice, or in a currency Settle does not know, is not a payment", () => {
    expect(() => factsFromInvoice(base, "inv2")).toThrow(/not inv2/);
    expect(() => factsFromInvoice({ ...base, local_currency_code: "XBT" }, "inv1")).toThrow(/does not know/);
  });
});

describe("iPint: the service's payments stay its merchant's", () => {
  it("a callback on one merchant's service never touches another's invoice", async () => {
    const a = await setup({ simulator: quiet });
    const b = await setup({ simulator: quiet });
    const { id } = await begin(a);
    const inv = quiet.invoice(id);
    quiet.set(id, {
      transaction_status: "COMPLETED",
      received_amount_in_local_currency: inv.invoice_amount_in_local_currency,
      received_amount_in_usd: inv.invoice_amount_in_usd,
      received_crypto_amount: inv.invoice_crypto_amount,
    });
    // Sent to B's notify URL: B has no session with this invoice id.
    const res = await deliverToSettle(`${ORIGIN}/api/providers/${b.service.id}/notify`, JSON.stringify({ invoice_id: id, status: "COMPLETED" }));
    expect(res).toEqual({ status: 200, body: "" });
    expect((await notificationsOf(b.service.id)).map((n) => n.outcome)).toEqual(["unmatched"]);
    expect((await state(a.link.id)).payments).toHaveLength(0);
    expect(await t.db().select().from(payments).where(and(eq(payments.serviceId, b.service.id)))).toHaveLength(0);
  });
});
