import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { invoices, paymentLinks, payments, providerNotifications, providerSessions } from "@/db/schema";
import { makeMerchant, makeInvoice } from "@/test/factories";
import { useTestDb } from "@/test/db";
import { startFoloosiSimulator, type FoloosiSimulator } from "@/test/simulators/foloosi";
import { createGatewayService } from "@/lib/payment-services/gateways";
import { handleProviderNotification } from "@/lib/payment-services/notify";
import { startPayment } from "@/lib/payment-services/sessions";
import { createInvoiceLink } from "@/lib/payment-links/create";
import { expireLinkNow } from "@/lib/payment-links/lifecycle";
import type { PaymentService } from "@/db/schema";
import { foloosiConnector, majorToMinor } from "./foloosi";

const t = useTestDb();
const ORIGIN = "https://settle.example";
let sim: FoloosiSimulator;
/** The service whose notify endpoint the simulated panel's webhook goes to (set per test). */
let target: PaymentService | undefined;

beforeAll(async () => {
  sim = await startFoloosiSimulator({
    webhook: async (body) => {
      const request = new Request(`${ORIGIN}/api/providers/${target!.id}/notify`, { method: "POST", headers: { "content-type": "application/json" }, body });
      const res = await handleProviderNotification(t.db(), target!.id, request);
      return { status: res.ack?.status ?? res.status, body: res.ack?.body ?? JSON.stringify(res.body) };
    },
  });
});
afterAll(() => sim.close());
afterEach(() => sim.setDown(false));

async function linkFoloosi(amount = 10_000) {
  const m = await makeMerchant(t.db());
  const service = await createGatewayService(t.db(), m.ownerActor, {
    kind: "foloosi",
    name: "Foloosi cards",
    merchantKey: sim.merchantKey,
    secretKey: sim.secretKey,
    apiBaseUrl: sim.url,
    widgetUrl: sim.url,
  });
  target = service;
  const invoice = await makeInvoice(t.db(), m.ownerActor, { amount, currency: "AED" });
  const link = await createInvoiceLink(t.db(), m.ownerActor, { invoiceId: invoice.id, serviceIds: [service.id] });
  return { m, service, invoice, link };
}

/** The customer picks Foloosi on the checkout: Settle asks Foloosi for a payment page. */
async function startCheckout(ctx: Awaited<ReturnType<typeof linkFoloosi>>) {
  const [link] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, ctx.link.id));
  const instruction = await startPayment(t.db(), { link: link!, service: ctx.service, flow: "redirect", origin: ORIGIN, merchantName: "Test Store" });
  expect(instruction.kind).toBe("redirect");
  const url = new URL((instruction as { url: string }).url);
  const options = JSON.parse(decodeURIComponent(url.search.slice(1))) as { reference_token: string; secret_key: string };
  return { url, token: options.reference_token, options };
}

async function state(ctx: { invoice: { id: string }; service: { id: string } }) {
  const [invoice] = await t.db().select().from(invoices).where(eq(invoices.id, ctx.invoice.id));
  const pays = await t.db().select().from(payments).where(eq(payments.invoiceId, ctx.invoice.id));
  const notes = await t.db().select().from(providerNotifications).where(eq(providerNotifications.serviceId, ctx.service.id)).orderBy(providerNotifications.createdAt);
  return { invoice: invoice!, payments: pays, notifications: notes };
}

describe("Foloosi connector", () => {
  it("starts a hosted payment: the session is kept and Foloosi is given the amount in major units and Settle's session id", async () => {
    const ctx = await linkFoloosi(12_345);
    const { url, token, options } = await startCheckout(ctx);
    expect(url.origin + "/").toBe(sim.url);
    expect(options.secret_key).toBe(sim.merchantKey);
    const order = sim.orders.get(token)!;
    expect(order).toMatchObject({ amount: "123.45", currency: "AED", optional2: "INV-000001" });
    const [session] = await t.db().select().from(providerSessions).where(eq(providerSessions.paymentLinkId, ctx.link.id));
    expect(session).toMatchObject({ id: order.optional1, providerRef: token, amount: 12_345 });
    expect(order.returnUrl).toBe(`${ORIGIN}/pay/${ctx.link.code}?return=1&method=${ctx.service.id}.redirect`);
  });

  it("paid: the webhook triggers a lookup with the secret key, and the invoice is paid with the card's last four", async () => {
    const ctx = await linkFoloosi(10_000);
    const { token } = await startCheckout(ctx);
    const { transaction, status, answer } = await sim.pay(token);
    expect(status).toBe(200);
    expect(JSON.parse(answer)).toMatchObject({ received: true, outcome: "recorded" });
    expect(sim.detailRequests).toContain(transaction.transactionNo);
    const s = await state(ctx);
    expect(s.invoice).toMatchObject({ paidAmount: 10_000, paymentStatus: "paid" });
    expect(s.payments).toHaveLength(1);
    expect(s.payments[0]).toMatchObject({ providerRef: transaction.transactionNo, amount: 10_000, status: "succeeded", method: "card", cardLast4: "1111", currency: "AED" });
    expect(s.notifications.at(-1)).toMatchObject({ outcome: "recorded", verifiedBy: "status", providerRef: transaction.transactionNo, amount: 10_000, currency: "AED" });
  });

  it("the hosted page over HTTP: the customer pays, Foloosi's webhook is confirmed, and the browser posts back to the checkout", async () => {
    const ctx = await linkFoloosi(25_050);
    const { url, token } = await startCheckout(ctx);
    const pageHtml = await (await fetch(url)).text();
    expect(pageHtml).toContain("AED 250.50");
    const res = await fetch(new URL("/widget/pay", sim.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ reference_token: token, outcome: "success", amount: "250.50", card_number: "4111 1111 1111 1111" }),
    });
    const back = await res.text();
    expect(back).toContain(`action="${ORIGIN}/pay/${ctx.link.code}?return=1&amp;method=${ctx.service.id}.redirect"`);
    expect(back).toContain('name="status" value="success"');
    expect((await state(ctx)).invoice).toMatchObject({ paidAmount: 25_050, paymentStatus: "paid" });
    // A wrong merchant key in the page URL is Foloosi's "invalid token".
    const forged = new URL(url);
    forged.search = encodeURIComponent(JSON.stringify({ reference_token: token, secret_key: "test_wrong" }));
    expect((await fetch(forged)).status).toBe(404);
  });

  it("partial: the customer pays less on Foloosi's page; the decimal string becomes exact minor units", async () => {
    const ctx = await linkFoloosi(10_000);
    const { token } = await startCheckout(ctx);
    await sim.pay(token, { amount: "40.10" });
    const s = await state(ctx);
    expect(s.invoice).toMatchObject({ paidAmount: 4_010, paymentStatus: "partial" });
    // The rest: a new session asks Foloosi for what is still due.
    const again = await startCheckout(ctx);
    expect(again.token).not.toBe(token);
    expect(sim.orders.get(again.token)!.amount).toBe("59.90");
    await sim.pay(again.token);
    expect((await state(ctx)).invoice).toMatchObject({ paidAmount: 10_000, paymentStatus: "paid" });
  });

  it("failed: a decline Foloosi confirms is a failed payment the merchant sees; nothing is paid", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    const { transaction } = await sim.pay(token, { outcome: "failed" });
    const s = await state(ctx);
    expect(s.invoice).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });
    expect(s.payments).toEqual([expect.objectContaining({ providerRef: transaction.transactionNo, status: "failed", message: "Insufficient funds/declined" })]);
  });

  it("a failed transfer whose transaction_no is null is still stored and shown, once, under its payment_reference", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    const first = await sim.pay(token, { outcome: "failed", nullTransactionNo: true });
    expect(first.status).toBe(200);
    // Foloosi's retry of the same webhook.
    await sim.sendWebhook({ data: { transfer: first.transfer } });
    const s = await state(ctx);
    expect(s.payments).toHaveLength(1);
    expect(s.payments[0]).toMatchObject({ providerRef: `payment_reference:${first.transaction.paymentReference}`, status: "failed", amount: 10_000, cardLast4: "1111" });
    expect(s.notifications.map((n) => n.outcome)).toEqual(["recorded", "duplicate"]);
    expect(sim.detailRequests).not.toContain(first.transaction.transactionNo);
  });

  it("with neither transaction_no nor payment_reference, a failure gets a stable hashed reference", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    const first = await sim.pay(token, { outcome: "failed", nullTransactionNo: true, nullPaymentReference: true });
    await sim.sendWebhook({ data: { transfer: first.transfer } });
    const s = await state(ctx);
    expect(s.payments).toHaveLength(1);
    expect(s.payments[0]!.providerRef).toMatch(/^failed:[0-9a-f]{24}$/);
  });

  it("a success without transaction_no is refused: nothing to confirm it with", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    const order = sim.orders.get(token)!;
    const res = await sim.sendWebhook({
      data: { transfer: { transaction_status: "success", transaction_no: null, payment_reference: "abc", transaction_amount: "100", transaction_currency: "AED", transaction_message: "approved", api: { optional1: order.optional1 } } },
    });
    expect(res.status).toBe(400);
    expect((await state(ctx)).payments).toHaveLength(0);
  });

  it("duplicate: Foloosi's retry of a success is recorded once", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    const { transfer } = await sim.pay(token);
    const again = await sim.sendWebhook({ data: { transfer } });
    expect(JSON.parse(again.answer)).toMatchObject({ outcome: "duplicate" });
    const s = await state(ctx);
    expect(s.payments).toHaveLength(1);
    expect(s.invoice.paidAmount).toBe(10_000);
  });

  it("late: a payment after the link expired is still recorded and flagged late", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    await expireLinkNow(t.db(), ctx.link);
    await sim.pay(token);
    const s = await state(ctx);
    expect(s.payments[0]).toMatchObject({ late: true, status: "succeeded" });
    expect(s.invoice.paidAmount).toBe(10_000);
  });

  it("forged: a webhook naming a transaction Foloosi does not know records nothing, and its claimed amount is never used", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    const order = sim.orders.get(token)!;
    const res = await sim.sendWebhook({
      data: { transfer: { transaction_status: "success", transaction_no: "FLSAPIforged0001", payment_reference: "x", transaction_amount: "100", transaction_currency: "AED", transaction_message: "approved", api: { optional1: order.optional1, card_last_four: "1111" } } },
    });
    expect(res.status).toBe(502);
    const s = await state(ctx);
    expect(s.payments).toHaveLength(0);
    expect(s.notifications.at(-1)).toMatchObject({ outcome: "error", providerRef: "FLSAPIforged0001" });
    expect(s.notifications.at(-1)!.message).toContain("404");
  });

  it("forged: a real transaction replayed with a bigger amount and another session is recorded as Foloosi says", async () => {
    const ctx = await linkFoloosi(10_000);
    const { token } = await startCheckout(ctx);
    const { transaction } = await sim.pay(token, { amount: "30" });
    const other = await linkFoloosi(10_000);
    await startCheckout(other);
    target = other.service;
    // Replayed to another service with a bigger amount and a made-up session.
    const res = await sim.sendWebhook({
      data: { transfer: { ...sim.webhookBody(transaction).data.transfer, transaction_amount: "100", api: { optional1: "pse_forged" } } },
    });
    expect(res.status).toBe(200);
    expect(sim.detailRequests.at(-1)).toBe(transaction.transactionNo);
    // Same simulator (same keys): Foloosi answers with its own amount and optional1, so nothing lands on the other invoice.
    expect((await state(other)).payments).toHaveLength(0);
    expect((await state(other)).notifications.at(-1)).toMatchObject({ outcome: "unmatched", amount: 3_000 });
    expect((await state(ctx)).invoice.paidAmount).toBe(3_000);
  });

  it("Foloosi down during the status pull: 502 and an error row; its retry records the payment", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    sim.setDown(true);
    const first = await sim.pay(token);
    expect(first.status).toBe(502);
    expect((await state(ctx)).payments).toHaveLength(0);
    expect((await state(ctx)).notifications.at(-1)).toMatchObject({ outcome: "error", providerRef: first.transaction.transactionNo });
    sim.setDown(false);
    const retry = await sim.sendWebhook({ data: { transfer: first.transfer } });
    expect(retry.status).toBe(200);
    expect((await state(ctx)).invoice).toMatchObject({ paidAmount: 10_000, paymentStatus: "paid" });
  });

  it("Foloosi down when starting: the checkout is told the gateway is unavailable", async () => {
    const ctx = await linkFoloosi();
    sim.setDown(true);
    await expect(startCheckout(ctx)).rejects.toMatchObject({ code: "provider_unavailable" });
  });

  it("amount 0 is refused (400), never a payment of 0", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    const order = sim.orders.get(token)!;
    for (const amount of ["0", "0.00"]) {
      const res = await sim.sendWebhook({
        data: { transfer: { transaction_status: "success", transaction_no: "FLSAPIzero", payment_reference: "z", transaction_amount: amount, transaction_currency: "AED", transaction_message: "approved", api: { optional1: order.optional1 } } },
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.answer).error.message).toMatch(/more than zero/);
    }
    const s = await state(ctx);
    expect(s.payments).toHaveLength(0);
    // Kept for staff as rejected, with the reason.
    expect(s.notifications.map((n) => [n.outcome, n.message])).toEqual([
      ["rejected", "transaction_amount must be more than zero."],
      ["rejected", "transaction_amount must be more than zero."],
    ]);
    expect(sim.detailRequests).not.toContain("FLSAPIzero");
  });

  it("a card number in Foloosi's message is masked in the payment and the stored notification", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    await sim.pay(token, { outcome: "failed", nullTransactionNo: true, message: "Declined for card 4111 1111 1111 1111", cardNumber: "4111111111111111" });
    const s = await state(ctx);
    expect(s.payments[0]!.message).toBe("Declined for card [card …1111]");
    expect(s.payments[0]!.cardLast4).toBe("1111");
    expect(JSON.stringify(s.payments[0]!.raw)).not.toContain("4111 1111 1111 1111");
    expect(s.notifications.at(-1)!.body).not.toContain("4111 1111 1111 1111");
  });

  it("a confirmed decline whose reason carries a card number is masked too", async () => {
    const ctx = await linkFoloosi();
    const { token } = await startCheckout(ctx);
    await sim.pay(token, { outcome: "failed", message: "Card 5555555555554444 declined", cardNumber: "5555555555554444" });
    const [p] = (await state(ctx)).payments;
    expect(p).toMatchObject({ status: "failed", message: "Card [card …4444] declined", cardLast4: "4444" });
  });

  it("bodies that are not Foloosi's webhook are refused with the field that is wrong", async () => {
    const ctx = await linkFoloosi();
    await startCheckout(ctx);
    const cases: Array<[unknown, RegExp]> = [
      ["not json", /not valid JSON/],
      [{ id: "x" }, /data/],
      [{ data: { transfer: { transaction_status: "pending", transaction_no: "1", transaction_amount: "1", transaction_currency: "AED" } } }, /transaction_status/],
      [{ data: { transfer: { transaction_status: "success", transaction_no: "1", transaction_amount: "1.005", transaction_currency: "AED" } } }, /not an amount in AED/],
      [{ data: { transfer: { transaction_status: "success", transaction_no: "1", transaction_amount: "-5", transaction_currency: "AED" } } }, /not an amount/],
      [{ data: { transfer: { transaction_status: "success", transaction_no: "1", transaction_amount: "5", transaction_currency: "XYZ" } } }, /XYZ/],
      [{ event: "order.cancel", data: { transfer: { transaction_status: "success", transaction_no: "1", transaction_amount: "5", transaction_currency: "AED" } } }, /contradicts/],
    ];
    for (const [body, message] of cases) {
      const res = await sim.sendWebhook(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(res.answer).error.message).toMatch(message);
    }
    expect((await state(ctx)).payments).toHaveLength(0);
  });

  it("the settings schema names each field's problem, and the merchant key stays public while the secret is sealed", async () => {
    const m = await makeMerchant(t.db());
    await expect(createGatewayService(t.db(), m.ownerActor, { kind: "foloosi", name: "Foloosi", merchantKey: "", apiBaseUrl: "ftp://x" })).rejects.toMatchObject({
      code: "validation_failed",
      fields: { merchantKey: [expect.stringMatching(/merchant key/)], secretKey: [expect.stringMatching(/secret key/)], apiBaseUrl: [expect.any(String)] },
    });
    const service = await createGatewayService(t.db(), m.ownerActor, { kind: "foloosi", name: "Foloosi", merchantKey: sim.merchantKey, secretKey: sim.secretKey });
    expect(service.config).toEqual({ merchantKey: sim.merchantKey });
    expect(service.credentialsSealed).not.toContain(sim.secretKey);
    expect(foloosiConnector.setup!.fields.find((f) => f.name === "secretKey")!.secret).toBe(true);
  });

  it("converts decimal major units exactly", () => {
    expect(majorToMinor("100", "AED")).toBe(10_000);
    expect(majorToMinor("0.1", "AED")).toBe(10);
    expect(majorToMinor("1.005", "KWD")).toBe(1_005);
    expect(majorToMinor("100.000", "AED")).toBe(10_000);
    expect(majorToMinor("100.001", "AED")).toBeNull();
    expect(majorToMinor(19.99, "AED")).toBe(1_999);
    expect(majorToMinor("90071992547409.92", "AED")).toBeNull();
    expect(majorToMinor("1e3", "AED")).toBeNull();
    expect(majorToMinor("", "AED")).toBeNull();
  });
});
