import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { events, invoices, paymentLinks, payments, providerNotifications, providerSessions, type PaymentService } from "@/db/schema";
import { makeMerchant } from "@/test/factories";
import { useTestDb } from "@/test/db";
import { linkMyFatoorah, MF_API_KEY, MF_ORIGIN, MF_WEBHOOK_SECRET, openHostedPage, pressOnHostedPage, startMyFatoorahForSettle } from "@/test/myfatoorah-settle";
import type { MyFatoorahSimulator } from "@/test/simulators/myfatoorah";
import { expireLinkNow } from "@/lib/payment-links/lifecycle";
import { createGatewayService } from "@/lib/payment-services/gateways";
import { handleProviderNotification } from "@/lib/payment-services/notify";
import { startPayment } from "@/lib/payment-services/sessions";
import { setServiceEnabled } from "@/lib/payment-services/services";
import { fetchRefundStatus, myfatoorahAmount, myfatoorahConnector, parseRefundStatusChanged, signatureString, signWebhookData } from "./myfatoorah";

const t = useTestDb();
const API_KEY = MF_API_KEY;
const WEBHOOK_SECRET = MF_WEBHOOK_SECRET;
const ORIGIN = MF_ORIGIN;

let sim: MyFatoorahSimulator;

beforeAll(async () => {
  sim = await startMyFatoorahForSettle(t.db);
});
afterAll(() => sim.close());
afterEach(() => sim.setDown(false));

/** Linked as a merchant types it: the address with a trailing slash, the currency in lower case. */
const setup = (opts: { amount?: number; currency?: "KWD" | "SAR" } = {}) =>
  linkMyFatoorah(t.db, sim, { ...opts, service: { baseUrl: `${sim.url}/`, currency: (opts.currency ?? "KWD").toLowerCase() } });
const checkout = (service: PaymentService, linkId: string, locale?: string) => openHostedPage(t.db, service, linkId, locale);
const press = (invoiceId: number, button: "pay" | "decline", form: Record<string, string> = {}) => pressOnHostedPage(sim, invoiceId, button, form);

async function state(linkId: string) {
  const [link] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, linkId));
  const [invoice] = await t.db().select().from(invoices).where(eq(invoices.id, link!.invoiceId));
  const pays = await t.db().select().from(payments).where(eq(payments.paymentLinkId, linkId));
  return { link: link!, invoice: invoice!, payments: pays };
}
const contextOf = (service: PaymentService) => ({
  id: service.id,
  merchantId: service.merchantId,
  kind: service.kind,
  name: service.name,
  config: service.config,
  secret: null,
  credentials: { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET },
});
const notificationsOf = (serviceId: string) => t.db().select().from(providerNotifications).where(eq(providerNotifications.serviceId, serviceId)).orderBy(providerNotifications.createdAt);

describe("MyFatoorah connector", () => {
  it("paid: SendPayment with the exact amount and Settle's session, the hosted page, a signed webhook confirmed by getPaymentStatus", async () => {
    const { service, link } = await setup();
    const { url, invoiceId } = await checkout(service, link.id);
    expect(url).toBe(`${sim.url}/invoice/${invoiceId}`);

    const send = sim.requests.filter((r) => r.path === "/v2/SendPayment").at(-1)!;
    expect(send.authorization).toBe(`Bearer ${API_KEY}`);
    expect(send.body).toContain('"InvoiceValue":12.345,');
    const [session] = await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, link.id));
    expect(session).toMatchObject({ providerRef: String(invoiceId), amount: 12_345 });
    expect(JSON.parse(send.body)).toMatchObject({
      DisplayCurrencyIso: "KWD",
      CustomerReference: session!.id,
      UserDefinedField: session!.id,
      CustomerName: "Fatima Al-Sabah",
      CallBackUrl: `${ORIGIN}/pay/${link.code}?return=1&method=${service.id}.redirect`,
    });
    // The same session is reused for the same amount: one SendPayment.
    expect((await checkout(service, link.id)).invoiceId).toBe(invoiceId);

    const { location, paymentId } = await press(invoiceId, "pay");
    expect(location.pathname).toBe(`/pay/${link.code}`);
    expect(location.searchParams.get("return")).toBe("1");

    const s = await state(link.id);
    expect(s.invoice).toMatchObject({ paidAmount: 12_345, paymentStatus: "paid" });
    expect(s.payments).toEqual([expect.objectContaining({ providerRef: paymentId, status: "succeeded", amount: 12_345, method: "card", cardLast4: "1019" })]);
    const [n] = await notificationsOf(service.id);
    expect(n).toMatchObject({ outcome: "recorded", verifiedBy: "status", providerRef: paymentId, amount: 12_345, currency: "KWD", paymentId: s.payments[0]!.id });
    expect(n!.headers["myfatoorah-signature"]).toBeTruthy();
    // Kept as received, except that anything passing as a card number is masked (an 18-digit PaymentId can).
    expect(JSON.parse(n!.body)).toMatchObject({ EventType: 1, Event: "TransactionsStatusChanged", Data: { InvoiceId: invoiceId, TransactionStatus: "SUCCESS" } });
    const status = sim.requests.filter((r) => r.path === "/v2/getPaymentStatus").at(-1)!;
    expect(JSON.parse(status.body)).toEqual({ Key: paymentId, KeyType: "PaymentId" });
  });

  it("partial: paying less on the hosted page records what MyFatoorah charged, exactly", async () => {
    const { service, link } = await setup({ amount: 100_000 });
    const { invoiceId } = await checkout(service, link.id);
    await press(invoiceId, "pay", { amount: "40.005" });
    const s = await state(link.id);
    expect(s.invoice).toMatchObject({ paidAmount: 40_005, paymentStatus: "partial" });
    expect(s.link.paidAmount).toBe(40_005);
    // The next checkout asks MyFatoorah for what is still due.
    const next = await checkout(service, link.id);
    expect(next.invoiceId).not.toBe(invoiceId);
    expect(sim.requests.filter((r) => r.path === "/v2/SendPayment").at(-1)!.body).toContain('"InvoiceValue":59.995,');
  });

  it("failed: a declined card is recorded as failed with MyFatoorah's reason, and the invoice stays unpaid", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    const { location, paymentId } = await press(invoiceId, "decline");
    expect(location.pathname).toBe(`/pay/${link.code}`);
    const s = await state(link.id);
    expect(s.invoice).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });
    expect(s.payments).toEqual([expect.objectContaining({ providerRef: paymentId, status: "failed", message: "Declined by the issuer" })]);
  });

  it("duplicate: MyFatoorah's retry of the same event is recorded once", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    await press(invoiceId, "pay");
    const again = await sim.redeliver(sim.deliveries.length - 1);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ outcome: "duplicate" });
    const s = await state(link.id);
    expect(s.payments).toHaveLength(1);
    expect(s.invoice.paidAmount).toBe(12_345);
    const succeeded = await t.db().select().from(events).where(and(eq(events.invoiceId, link.invoiceId), eq(events.type, "payment.succeeded")));
    expect(succeeded).toHaveLength(1);
  });

  it("two events for one transaction: SUCCESS wins, whichever comes first", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    const { paymentId } = await press(invoiceId, "pay");
    // A FAILED event after the SUCCESS one, and MyFatoorah's status now contradicting itself: nothing changes.
    sim.setTransactionStatus(paymentId, "Failed", "Timed out");
    const late = await sim.sendTransactionEvent(paymentId, { status: "FAILED" });
    expect(JSON.parse(late.body)).toMatchObject({ outcome: "duplicate" });
    let s = await state(link.id);
    expect(s.invoice).toMatchObject({ paidAmount: 12_345, paymentStatus: "paid" });
    expect(s.payments).toEqual([expect.objectContaining({ status: "succeeded" })]);

    // The other order: FAILED recorded first, then SUCCESS upgrades the same payment.
    const other = await setup();
    const second = await checkout(other.service, other.link.id);
    const attempt = await sim.attempt(second.invoiceId, { status: "Failed" });
    expect((await state(other.link.id)).payments).toEqual([expect.objectContaining({ providerRef: attempt.paymentId, status: "failed" })]);
    sim.setTransactionStatus(attempt.paymentId, "Succss", "");
    const win = await sim.sendTransactionEvent(attempt.paymentId, { status: "SUCCESS" });
    expect(JSON.parse(win.body)).toMatchObject({ outcome: "recorded" });
    s = await state(other.link.id);
    expect(s.invoice).toMatchObject({ paidAmount: 12_345, paymentStatus: "paid" });
    expect(s.payments).toEqual([expect.objectContaining({ providerRef: attempt.paymentId, status: "succeeded" })]);
  });

  it("the webhook's own status is never taken: a signed SUCCESS whose transaction getPaymentStatus says failed is recorded as failed", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    const { paymentId } = await sim.attempt(invoiceId, { status: "Failed" });
    await sim.sendTransactionEvent(paymentId, { status: "SUCCESS" });
    const s = await state(link.id);
    expect(s.invoice.paymentStatus).toBe("unpaid");
    expect(s.payments).toEqual([expect.objectContaining({ status: "failed" })]);
  });

  it("InProgress is processing (not counted), and the confirmed success then pays", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    const { paymentId } = await sim.attempt(invoiceId, { status: "InProgress", error: "" });
    let s = await state(link.id);
    expect(s.payments).toEqual([expect.objectContaining({ providerRef: paymentId, status: "processing" })]);
    expect(s.invoice).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });
    sim.setTransactionStatus(paymentId, "Succss");
    await sim.sendTransactionEvent(paymentId);
    s = await state(link.id);
    expect(s.payments).toEqual([expect.objectContaining({ providerRef: paymentId, status: "succeeded" })]);
    expect(s.invoice).toMatchObject({ paidAmount: 12_345, paymentStatus: "paid" });
  });

  it("a MyFatoorah that refuses the token (or is down) when starting: the customer is told the gateway is unavailable", async () => {
    const { service, link } = await setup();
    const [row] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, link.id));
    sim.setDown(true);
    await expect(startPayment(t.db(), { link: row!, service, flow: "redirect", origin: ORIGIN, merchantName: "Test Store" })).rejects.toMatchObject({
      code: "provider_unavailable",
      message: expect.stringContaining("MyFatoorah answered HTTP 503"),
    });
    sim.setDown(false);
    const ctx = { id: service.id, merchantId: service.merchantId, kind: service.kind, name: service.name, config: service.config, secret: null, credentials: { apiKey: "wrong-token-0123456789", webhookSecret: WEBHOOK_SECRET } };
    await expect(
      myfatoorahConnector.startPayment!(ctx, { id: link.id, code: link.code, currency: "KWD", due: 1000, merchantName: "Test Store" }, "redirect", { sessionId: "pse_y", returnUrl: ORIGIN, notifyUrl: ORIGIN }),
    ).rejects.toThrow("MyFatoorah answered HTTP 401: Unauthorized");
    expect(await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, link.id))).toHaveLength(0);
  });

  it("late: a payment after the link expired is still recorded, flagged late", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    await expireLinkNow(t.db(), link);
    await press(invoiceId, "pay");
    const s = await state(link.id);
    expect(s.link).toMatchObject({ status: "expired", paymentStatus: "paid" });
    expect(s.payments[0]).toMatchObject({ late: true, status: "succeeded", amount: 12_345 });
  });

  it("forged: a wrong, missing or replayed-with-changes signature is refused (401) and kept as rejected; nothing is asked of MyFatoorah", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    const { paymentId } = await sim.attempt(invoiceId, { status: "Failed" });
    const before = sim.requests.length;
    const forged = await sim.sendTransactionEvent(paymentId, { status: "SUCCESS", signature: signWebhookData("not-the-secret", "TransactionsStatusChanged", { PaymentId: paymentId }) });
    expect(forged.status).toBe(401);
    const tampered = await sim.sendTransactionEvent(paymentId, {
      tamper: (body) => {
        (body.Data as Record<string, unknown>).InvoiceValueInBaseCurrency = "0.001";
      },
    });
    expect(tampered.status).toBe(401);
    const res = await handleProviderNotification(
      t.db(),
      service.id,
      new Request(`${ORIGIN}/api/providers/${service.id}/notify`, { method: "POST", body: JSON.stringify({ EventType: 1, Event: "TransactionsStatusChanged", Data: { PaymentId: paymentId } }) }),
    );
    expect(res.status).toBe(401);
    expect(sim.requests.length).toBe(before);
    const rejected = (await notificationsOf(service.id)).filter((n) => n.outcome === "rejected");
    expect(rejected.map((n) => n.message)).toEqual(["The signature does not match.", "The signature does not match.", "Missing myfatoorah-signature header."]);
    const s = await state(link.id);
    expect(s.payments).toEqual([expect.objectContaining({ status: "failed" })]);
  });

  it("provider down during the status pull: 502 and an error kept, then MyFatoorah's retry records the payment", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    sim.setDown(true);
    const first = await press(invoiceId, "pay");
    const response = sim.deliveries.at(-1)!.response!;
    expect(response.status).toBe(502);
    expect((await state(link.id)).payments).toHaveLength(0);
    const [error] = await notificationsOf(service.id);
    expect(error).toMatchObject({ outcome: "error", providerRef: first.paymentId });
    expect(error!.message).toContain("503");

    sim.setDown(false);
    const retry = await sim.redeliver(sim.deliveries.length - 1);
    expect(retry.status).toBe(200);
    expect((await state(link.id)).invoice).toMatchObject({ paidAmount: 12_345, paymentStatus: "paid" });
  });

  it("amount 0: a webhook for a zero amount is refused with 400, and MyFatoorah is never asked to charge nothing", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    const { paymentId } = await sim.attempt(invoiceId, { status: "Succss", value: "0.000" });
    const data = { ...(JSON.parse(sim.deliveries.at(-1)!.body) as { Data: Record<string, unknown> }).Data, InvoiceValueInBaseCurrency: "0.000" };
    const res = await sim.sendEvent({ EventType: 1, Event: "TransactionsStatusChanged", Data: data });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toBe("The amount must be more than zero.");
    // The first event (a non-zero invoice value) was confirmed with a zero charge: refused too. Both kept as rejected, no payment.
    const kept = await notificationsOf(service.id);
    expect(sim.deliveries.at(-2)!.response!.status).toBe(400);
    expect(kept.map((n) => [n.outcome, n.message])).toEqual([
      ["rejected", expect.stringContaining("greater than zero")],
      ["rejected", "The amount must be more than zero."],
    ]);
    expect(kept[0]!.providerRef).toBe(paymentId);
    expect((await state(link.id)).payments).toHaveLength(0);

    const ctx = { id: service.id, merchantId: service.merchantId, kind: service.kind, name: service.name, config: { baseUrl: sim.url, currency: "KWD" }, secret: null, credentials: { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET } };
    await expect(
      myfatoorahConnector.startPayment!(ctx, { id: link.id, code: link.code, currency: "KWD", due: 0, merchantName: "Test Store" }, "redirect", { sessionId: "pse_x", returnUrl: ORIGIN, notifyUrl: ORIGIN }),
    ).rejects.toThrow("Nothing is due");
  });

  it("a turned-off service records nothing and asks MyFatoorah nothing; a NUL in a signed event is a 400, still kept", async () => {
    const { m, service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    const { paymentId } = await sim.attempt(invoiceId, { status: "Failed" });
    const data = (JSON.parse(sim.deliveries.at(-1)!.body) as { Data: Record<string, unknown> }).Data;
    const nul = await sim.sendEvent({ EventType: 1, Event: "TransactionsStatusChanged", Data: { ...data, CustomerName: "Fatima\u0000" } });
    expect(nul.status).toBe(400);

    await setServiceEnabled(t.db(), m.ownerActor, { serviceId: service.id, enabled: false });
    const asked = sim.requests.length;
    const off = await sim.sendTransactionEvent(paymentId, { status: "SUCCESS" });
    expect(off.status).toBe(403);
    expect(sim.requests.length).toBe(asked);
    const kept = await notificationsOf(service.id);
    expect(kept.map((n) => n.outcome)).toEqual(["recorded", "rejected", "rejected"]);
    expect(kept[2]).toMatchObject({ providerRef: paymentId });
    expect((await state(link.id)).payments).toEqual([expect.objectContaining({ status: "failed" })]);
  });

  it("a card number in MyFatoorah's message is masked in the payment and everything kept", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    await sim.attempt(invoiceId, { status: "Failed", error: "Card 4111 1111 1111 1111 declined", card: "4111111111111111" });
    const s = await state(link.id);
    expect(s.payments[0]).toMatchObject({ status: "failed", message: "Card [card …1111] declined", cardLast4: "1111" });
    expect(JSON.stringify(s.payments[0])).not.toContain("4111111111111111");
    const [n] = await notificationsOf(service.id);
    expect(JSON.stringify(n)).not.toMatch(/4111 ?1111 ?1111 ?1111/);
  });

  it("RefundStatusChanged is a refund notice: RefundId, the payment's PaymentId, the amount in the account's currency; other events are ignored", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    const { paymentId } = await press(invoiceId, "pay");
    const portal = sim.portalRefund(paymentId, "5.250", "Customer asked");
    const refund = await sim.endRefund(portal.RefundId, "REFUNDED");
    expect(refund.status).toBe(200);
    expect(JSON.parse(refund.body)).toMatchObject({ outcome: "recorded" });
    // What the connector read from the event MyFatoorah sent.
    const sent = sim.deliveries.at(-1)!;
    expect(await myfatoorahConnector.verifyNotification(contextOf(service), { headers: new Headers(sent.headers), body: sent.body })).toEqual({
      ok: true,
      refund: { providerRef: String(portal.RefundId), paymentRef: paymentId, status: "succeeded", amount: 5_250, currency: "KWD", message: "Customer asked" },
    });
    const other = await sim.sendEvent({ EventType: 3, Event: "BalanceTransferred", Data: { Amount: "100.000", TransferDate: "04032021" } });
    expect(JSON.parse(other.body)).toMatchObject({ outcome: "ignored" });
    const kept = await notificationsOf(service.id);
    expect(kept.map((n) => [n.outcome, n.providerRef])).toEqual([
      ["recorded", paymentId],
      ["recorded", String(portal.RefundId)],
      ["ignored", null],
    ]);
    expect(kept[2]!.message).toBe("MyFatoorah event BalanceTransferred is not one Settle acts on.");
    expect((await state(link.id)).invoice).toMatchObject({ paidAmount: 12_345, refundedAmount: 5_250, paymentStatus: "paid" });
  });

  it("a refund notice's reference is an ExternalIdentifier that is a Settle refund id; CANCELED says MyFatoorah canceled it; an amount off the currency is a 400", async () => {
    const { service } = await setup({ currency: "SAR", amount: 5_000 });
    const ctx = contextOf(service);
    const data = {
      RefundId: 2841,
      RefundReference: "2026000020",
      CreatedDate: "04032026210447",
      RefundStatus: "CANCELED",
      Amount: "40",
      Comments: null,
      InvoiceId: "585757",
      InvoiceRefernce: "2026000184",
      GatewayReference: { PaymentId: "100202109798688317", RefundAmount: "40", Currency: "SAR" },
    };
    const read = (d: Record<string, unknown>) => {
      const body = JSON.stringify({ EventType: 2, Event: "RefundStatusChanged", DateTime: "04032026211057", CountryIsoCode: "KWT", Data: d });
      const headers = new Headers({ "MyFatoorah-Signature": signWebhookData(WEBHOOK_SECRET, "RefundStatusChanged", d) });
      return myfatoorahConnector.verifyNotification(ctx, { headers, body });
    };
    const settleId = "re_01jz8k3m4n5p6q7r8s9t0v1w2x";
    expect(await read({ ...data, ExternalIdentifier: settleId })).toEqual({
      ok: true,
      refund: { providerRef: "2841", paymentRef: "100202109798688317", reference: settleId, status: "failed", amount: 4_000, currency: "SAR", message: "MyFatoorah canceled the refund." },
    });
    // Not Settle's (another system's identifier, or none): no reference; no GatewayReference: no payment.
    const { GatewayReference: _gone, ...bare } = data;
    expect(await read({ ...bare, ExternalIdentifier: "ORDER-7", RefundStatus: "REFUNDED", Comments: "Approved" })).toEqual({
      ok: true,
      refund: { providerRef: "2841", status: "succeeded", amount: 4_000, currency: "SAR", message: "Approved" },
    });
    // Read in the account's currency (SAR here): three decimals are not an SAR amount.
    expect(await read({ ...data, Amount: "1.005" })).toEqual({ ok: false, status: 400, message: "Data.Amount: 1.005 has more decimals than SAR allows." });
    expect(await read({ ...data, RefundStatus: "Refunded" })).toMatchObject({ ok: false, status: 400 });
  });

  it("GetRefundStatus: a refund MyFatoorah is reviewing is pending, then refunded, read exactly; an unknown RefundId is an error", async () => {
    const { service, link } = await setup();
    const { invoiceId } = await checkout(service, link.id);
    const { paymentId } = await press(invoiceId, "pay");
    const portal = sim.portalRefund(paymentId, "1.005");
    const ctx = contextOf(service);
    expect(await fetchRefundStatus(ctx, String(portal.RefundId))).toEqual({ providerRef: String(portal.RefundId), status: "pending", amount: 1_005, currency: "KWD" });
    const asked = sim.requests.filter((r) => r.path === "/v2/GetRefundStatus").at(-1)!;
    expect(asked.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(asked.body)).toEqual({ KeyType: "RefundId", Key: String(portal.RefundId) });
    await sim.endRefund(portal.RefundId, "REFUNDED");
    expect(await fetchRefundStatus(ctx, String(portal.RefundId))).toMatchObject({ status: "succeeded", amount: 1_005 });
    await expect(fetchRefundStatus(ctx, "999999")).rejects.toThrow("MyFatoorah answered HTTP 400: Invalid Key (Key: No data match).");
  });

  it("is offered only in the account's currency, with the setup's field messages", async () => {
    const { service } = await setup({ currency: "SAR", amount: 5_000 });
    const m = await makeMerchant(t.db());
    await expect(
      createGatewayService(t.db(), m.ownerActor, { kind: "myfatoorah", name: "MF", baseUrl: "not a url", currency: "USD", apiKey: "short", webhookSecret: "" }),
    ).rejects.toMatchObject({ code: "validation_failed", fields: { baseUrl: [expect.any(String)], currency: [expect.stringContaining("KWD")], apiKey: [expect.any(String)], webhookSecret: [expect.any(String)] } });
    const ctx = { id: service.id, merchantId: service.merchantId, kind: service.kind, name: service.name, config: service.config, secret: null, credentials: { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET } };
    expect(myfatoorahConnector.flows(ctx, "SAR")).toEqual(["redirect"]);
    expect(myfatoorahConnector.flows(ctx, "KWD")).toEqual([]);
  });
});

describe("MyFatoorah webhook signature and amounts", () => {
  it("signs the doc's sample Data as documented: caseless alphabetical key=value, nulls empty, commas", () => {
    const data = {
      InvoiceId: 586170,
      InvoiceReference: "2021000184",
      CreatedDate: "04032021211555",
      CustomerReference: "12223444",
      CustomerName: "Test Webhook",
      CustomerMobile: "96512345678",
      CustomerEmail: null,
      TransactionStatus: "SUCCESS",
      PaymentMethod: "KNET",
      UserDefinedField: null,
      ReferenceId: "106310001097",
      TrackId: "04-03-2021_477336",
      PaymentId: "100202106359084366",
      AuthorizationId: "B68413",
      InvoiceValueInBaseCurrency: "456.75",
      BaseCurrency: "KWD",
      InvoiceValueInDisplayCurreny: "456.75",
      DisplayCurrency: "KWD",
      InvoiceValueInPayCurrency: "456.75",
      PayCurrency: "KWD",
    };
    expect(signatureString("TransactionsStatusChanged", data)).toBe(
      "AuthorizationId=B68413,BaseCurrency=KWD,CreatedDate=04032021211555,CustomerEmail=,CustomerMobile=96512345678,CustomerName=Test Webhook," +
        "CustomerReference=12223444,DisplayCurrency=KWD,InvoiceId=586170,InvoiceReference=2021000184,InvoiceValueInBaseCurrency=456.75," +
        "InvoiceValueInDisplayCurreny=456.75,InvoiceValueInPayCurrency=456.75,PayCurrency=KWD,PaymentId=100202106359084366,PaymentMethod=KNET," +
        "ReferenceId=106310001097,TrackId=04-03-2021_477336,TransactionStatus=SUCCESS,UserDefinedField=",
    );
    // Case is ignored in the order ("a" before "B"), and the refund's GatewayReference is left out.
    expect(signatureString("RefundStatusChanged", { b: "2", GatewayReference: { PaymentId: "1" }, a: "1", Comments: null })).toBe("a=1,b=2,Comments=");
  });

  it("parses RefundStatusChanged, converting its amount exactly", () => {
    const parsed = parseRefundStatusChanged({
      RefundId: 2840,
      RefundReference: "2021000019",
      CreatedDate: "04032021210447",
      RefundStatus: "REFUNDED",
      Amount: "1.005",
      Comments: null,
      InvoiceId: "586170",
      InvoiceRefernce: "2021000184",
      GatewayReference: { PaymentId: "100202106359084366", RefundAmount: "1.005", Currency: "KWD" },
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.refund).toMatchObject({ refundId: "2840", status: "refunded", invoiceId: "586170", paymentId: "100202106359084366", currency: "KWD", amountText: "1.005" });
    expect(parsed.refund.createdAt.toISOString()).toBe("2021-03-04T21:04:47.000Z");
    expect(parsed.refund.amountIn("KWD")).toBe(1005);
    expect(() => parsed.refund.amountIn("SAR")).toThrow("more decimals");
    expect(parseRefundStatusChanged({ RefundId: 1, CreatedDate: "31022021000000", RefundStatus: "REFUNDED", Amount: "1", InvoiceId: 2 })).toEqual({ ok: false, message: "Data.CreatedDate is not a real date." });
    expect(parseRefundStatusChanged({ RefundId: 1, CreatedDate: "04032021210447", RefundStatus: "PENDING", Amount: "1", InvoiceId: 2 }).ok).toBe(false);
  });

  it("converts decimals in major units exactly, never through a float", () => {
    expect(myfatoorahAmount("0.1", "KWD")).toBe(100);
    expect(myfatoorahAmount("456.75", "KWD")).toBe(456_750);
    expect(myfatoorahAmount("10.000", "SAR")).toBe(1000);
    expect(myfatoorahAmount(19.99, "SAR")).toBe(1999);
    expect(myfatoorahAmount("90071992547409.91", "SAR")).toBe(9_007_199_254_740_991);
    expect(() => myfatoorahAmount("10.005", "SAR")).toThrow();
    expect(() => myfatoorahAmount("-1", "KWD")).toThrow();
    expect(() => myfatoorahAmount("1e3", "KWD")).toThrow();
  });
});
