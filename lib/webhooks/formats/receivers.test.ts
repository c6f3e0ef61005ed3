import { and, asc, eq, isNotNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookAttempts, webhookDeliveries } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { writeEvent } from "@/lib/invoices/events";
import { transaction } from "@/db/transaction";
import { useTestDb } from "@/test/db";
import { writeEveryEvent } from "@/test/every-event";
import { makeMerchant } from "@/test/factories";
import { finanReceiver, foloosiReceiver, furatpayReceiver, type GatewayReceiver, myFatoorahReceiver } from "@/test/gateway-receivers";
import { useWebhookHarness } from "@/test/webhook-harness";
import { getDeliveryDetail, retryDeliveryWith } from "../deliveries";
import { Dispatcher } from "../dispatcher";
import { createEndpoint, revealSecret, sendTestEventWith, updateEndpoint } from "../endpoints";
import type { WebhookFormatId } from ".";

const { db } = useTestDb();
const { sender, receiver } = useWebhookHarness(db);

const closing: GatewayReceiver[] = [];
async function gateway<T extends GatewayReceiver>(r: Promise<T>): Promise<T> {
  const started = await r;
  closing.push(started);
  return started;
}

type Owner = Awaited<ReturnType<typeof makeMerchant>>["ownerActor"];
async function endpointFor(owner: Owner, url: string, format: WebhookFormatId, extra: { retrySchedule?: string } = {}) {
  const endpoint = await createEndpoint(db(), owner, { url, allEvents: true, enabled: true, format, ...extra });
  const { secret } = await revealSecret(db(), owner, { id: endpoint.id });
  return { endpoint, secret };
}

const accepted = <T>(r: GatewayReceiver) => r.received.map((x) => x.accepted as T);

describe("every format, delivered over HTTP to receivers written from each gateway's docs", () => {
  it("each receiver verifies every delivery's signature and shape; the log keeps the exact bytes and headers", async () => {
    const m = await makeMerchant(db());
    const owner = m.ownerActor;
    const finanOpts = { secret: "", clientId: "" };
    const mfOpts = { secret: "" };
    const foloosiOpts = { standardSecret: "" };
    const furatOpts = { secret: "" };
    const receivers = {
      finan: await gateway(finanReceiver(finanOpts)),
      myfatoorah_v1: await gateway(myFatoorahReceiver(mfOpts)),
      foloosi: await gateway(foloosiReceiver(foloosiOpts)),
      furatpay: await gateway(furatpayReceiver(furatOpts)),
    };
    const standard = await receiver();
    const ids: Record<string, string> = {};
    for (const format of ["finan", "myfatoorah_v1", "foloosi", "furatpay"] as const) {
      const { endpoint, secret } = await endpointFor(owner, receivers[format].url, format);
      ids[format] = endpoint.id;
      if (format === "finan") Object.assign(finanOpts, { secret, clientId: endpoint.id });
      if (format === "myfatoorah_v1") mfOpts.secret = secret;
      if (format === "foloosi") foloosiOpts.standardSecret = secret;
      if (format === "furatpay") furatOpts.secret = secret;
    }
    const std = await endpointFor(owner, standard.url, "standard");
    standard.setSecrets([std.secret]);

    const counts = await writeEveryEvent(db(), owner);
    const dispatcher = new Dispatcher({ db: db(), sender, random: () => 0 });
    await dispatcher.drain();

    try {
      for (const [format, r] of Object.entries(receivers)) {
        expect(r.received.map((x) => x.refused), format).toEqual(r.received.map(() => null));
      }
      // Standard Webhooks: every event, each verified with the standardwebhooks package.
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      expect(standard.received).toHaveLength(total);
      expect(standard.received.every((x) => x.verifiedWith[0] === 0)).toBe(true);

      // Finan: payment.succeeded only, integer minor units, the merchant's reference, the link when there was one.
      const finan = accepted<{ amount: number; reference_id: string; payment_request_id: string; payment_method: string }>(receivers.finan);
      expect(finan.map((p) => p.amount).sort((a, b) => a - b)).toEqual([1_000, 5_000, 7_550]);
      expect(new Set(finan.map((p) => p.reference_id)).size).toBe(1);
      expect(finan[0]!.reference_id).toMatch(/^ORDER-/);
      expect(finan.map((p) => p.payment_request_id).filter(Boolean)).toHaveLength(1);
      expect(finan.map((p) => p.payment_request_id).find(Boolean)).toMatch(/^pl_/);
      expect(finan.every((p) => p.payment_method === "card")).toBe(true);

      // MyFatoorah: TransactionsStatusChanged (SUCCESS ×3, FAILED) and RefundStatusChanged (REFUNDED, CANCELED), decimals in major units.
      type Mf = { Event: string; Data: Record<string, unknown> };
      const mf = accepted<Mf>(receivers.myfatoorah_v1);
      const tx = mf.filter((e) => e.Event === "TransactionsStatusChanged");
      expect(tx.map((e) => `${String(e.Data.TransactionStatus)} ${String(e.Data.InvoiceValueInBaseCurrency)} ${String(e.Data.BaseCurrency)}`).sort()).toEqual([
        "FAILED 50 USD",
        "SUCCESS 10 USD",
        "SUCCESS 50 USD",
        "SUCCESS 75.5 USD",
      ]);
      expect(tx.every((e) => typeof e.Data.InvoiceId === "number" && String(e.Data.CustomerReference).startsWith("ORDER-"))).toBe(true);
      const refunds = mf.filter((e) => e.Event === "RefundStatusChanged");
      expect(refunds.map((e) => `${String(e.Data.RefundStatus)} ${String(e.Data.Amount)}`).sort()).toEqual(["CANCELED 10", "REFUNDED 25"]);

      // Foloosi: order.success ×3 and order.cancel, decimals in major units; Settle's Standard Webhooks headers verify too.
      type Fl = { data: { transfer: { transaction_status: string; transaction_amount: string; transaction_message: string; api: { card_last_four: string } } } };
      const fl = accepted<Fl>(receivers.foloosi).map((p) => p.data.transfer);
      expect(fl.map((t) => `${t.transaction_status} ${t.transaction_amount}`).sort()).toEqual(["failed 50", "success 10", "success 50", "success 75.5"]);
      expect(fl.find((t) => t.transaction_status === "failed")!.transaction_message).toBe("Insufficient funds");
      expect(fl.every((t) => t.api.card_last_four === "1111")).toBe(true);

      // FuratPay: INVOICE_PAID for paid and overpaid, INVOICE_UPDATED (canceled) for the void; totals as decimals.
      type Fp = { type: string; data: { status: string; total: string; order_number: string } };
      const fp = accepted<Fp>(receivers.furatpay);
      expect(fp.map((p) => `${p.type} ${p.data.status} ${p.data.total}`).sort()).toEqual(["INVOICE_PAID paid 125.5", "INVOICE_PAID paid 125.5", "INVOICE_UPDATED canceled 19.8"]);
      expect(fp.find((p) => p.type === "INVOICE_PAID")!.data.order_number).toMatch(/^ORDER-/);

      // The fan-out made deliveries only for what each format sends.
      const rows = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, m.merchant.id));
      const typesOf = (endpointId: string) => [...new Set(rows.filter((d) => d.endpointId === endpointId).map((d) => d.eventType))].sort();
      expect(typesOf(ids.finan!)).toEqual(["payment.succeeded"]);
      expect(typesOf(ids.myfatoorah_v1!)).toEqual(["payment.failed", "payment.succeeded", "refund.failed", "refund.succeeded"]);
      expect(typesOf(ids.foloosi!)).toEqual(["payment.failed", "payment.succeeded"]);
      expect(typesOf(ids.furatpay!)).toEqual(["invoice.overpaid", "invoice.paid", "invoice.voided"]);
      expect(rows.filter((d) => d.endpointId === std.endpoint.id)).toHaveLength(total);

      // The log shows each attempt's exact bytes and headers: what the receiver got.
      for (const [format, r] of Object.entries(receivers)) {
        const mine = rows.filter((d) => d.endpointId === ids[format]);
        expect(mine).toHaveLength(r.received.length);
        for (const d of mine) {
          const detail = await getDeliveryDetail(db(), { merchantId: m.merchant.id, id: d.id });
          const [attempt] = detail!.attemptList;
          const got = r.received.find((x) => x.body === attempt!.requestBody);
          expect(got, `${format} ${d.eventType}`).toBeDefined();
          for (const [name, value] of Object.entries(attempt!.requestHeaders)) expect(got!.headers[name.toLowerCase()], `${format} ${name}`).toBe(value);
        }
      }
      // Only a gateway format's bytes are stored; Standard Webhooks bodies are rebuilt from the event (the hot path writes none).
      const kept = await db()
        .select({ endpointId: webhookAttempts.endpointId })
        .from(webhookAttempts)
        .where(and(eq(webhookAttempts.merchantId, m.merchant.id), isNotNull(webhookAttempts.requestBody)));
      expect(kept.some((k) => k.endpointId === std.endpoint.id)).toBe(false);
      expect(kept).toHaveLength(Object.values(receivers).reduce((n, r) => n + r.received.length, 0));
    } finally {
      await Promise.all(closing.splice(0).map((r) => r.close()));
    }
  });
});

describe("an endpoint's format and retry schedule", () => {
  it("a MyFatoorah endpoint retries on its own schedule, 4 tries 10 s apart, beside the merchant's 5-minute one", async () => {
    const m = await makeMerchant(db());
    const mfOpts = { secret: "" };
    const mf = await gateway(myFatoorahReceiver(mfOpts));
    mf.failing(true);
    const other = await receiver({ behave: (_r, res) => void res.writeHead(500).end() });
    try {
      const { secret } = await endpointFor(m.ownerActor, mf.url, "myfatoorah_v1", { retrySchedule: "10s, 10s, 10s" });
      mfOpts.secret = secret;
      const std = await endpointFor(m.ownerActor, other.url, "standard");
      let t = Date.now() + 1000;
      const dispatcher = new Dispatcher({ db: db(), sender, now: () => new Date(t), random: () => 0 });

      await transaction(db(), async (tx) => {
        // A failed payment's event, as the ledger writes it, is all MyFatoorah needs.
        await writeEvent(tx, { merchantId: m.merchant.id, type: "payment.failed", invoiceId: null, data: paymentFailedData() });
      });
      const delivery = async (endpointId: string) =>
        (await db().select().from(webhookDeliveries).where(and(eq(webhookDeliveries.merchantId, m.merchant.id), eq(webhookDeliveries.endpointId, endpointId))))[0]!;
      const mfId = (await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, m.merchant.id))).find((d) => d.endpointId !== std.endpoint.id)!.endpointId!;

      for (let attempt = 1; attempt <= 4; attempt++) {
        expect(await dispatcher.drain()).toBeGreaterThanOrEqual(1);
        const d = await delivery(mfId);
        expect(d.attempts).toBe(attempt);
        if (attempt < 4) {
          // 10 s after the attempt ended (its start, plus how long the receiver took to answer).
          const gap = (d.nextAttemptAt!.getTime() - d.lastAttemptAt!.getTime()) / 1000;
          expect(gap).toBeGreaterThanOrEqual(10);
          expect(gap).toBeLessThan(11);
          t += 11_000;
        } else {
          expect([d.status, d.nextAttemptAt]).toEqual(["failed", null]);
        }
      }
      // Every try reached MyFatoorah's receiver, correctly signed, and was answered 500.
      expect(mf.received.map((x) => [x.refused, x.status])).toEqual(Array.from({ length: 4 }, () => [null, 500]));
      // The standard endpoint beside it kept the merchant's schedule: its one retry is 5 minutes out.
      const s = await delivery(std.endpoint.id);
      expect(s.attempts).toBe(1);
      expect(Math.floor((s.nextAttemptAt!.getTime() - s.lastAttemptAt!.getTime()) / 1000)).toBe(300);
    } finally {
      await Promise.all(closing.splice(0).map((r) => r.close()));
    }
  });

  it("refuses what a format cannot do: an event it never sends, a schedule out of bounds, a test event", async () => {
    const m = await makeMerchant(db());
    const url = "http://127.0.0.1:9/hooks";
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => "accepted",
        (e: unknown) => (e instanceof AppError ? (e.fields ?? e.message) : String(e)),
      );
    expect(await refusal(createEndpoint(db(), m.ownerActor, { url, format: "finan", eventTypes: ["invoice.created", "payment.succeeded"], enabled: true }))).toEqual({
      eventTypes: ["The Finan format does not send invoice.created: untick it, or send every event it has."],
    });
    expect(await refusal(createEndpoint(db(), m.ownerActor, { url, allEvents: true, retrySchedule: "2s", enabled: true }))).toEqual({
      retrySchedule: ["Each step is a whole number of seconds, at least 5."],
    });
    expect(await refusal(createEndpoint(db(), m.ownerActor, { url, allEvents: true, retrySchedule: "soon", enabled: true }))).toEqual({
      retrySchedule: ['"soon" is not a step: write seconds, minutes or hours, like 10s, 5m or 1h.'],
    });
    expect(await refusal(createEndpoint(db(), m.ownerActor, { url, allEvents: true, format: "paypal" as never, enabled: true }))).toEqual({ format: ["Choose a format from the list."] });

    const finan = await createEndpoint(db(), m.ownerActor, { url, allEvents: true, format: "finan", retrySchedule: "5m, 10m, 15m", enabled: true });
    expect([finan.format, finan.retrySchedule]).toEqual(["finan", [300, 600, 900]]);
    expect(await refusal(sendTestEventWith({ sender: () => sender })(db(), m.ownerActor, { id: finan.id }))).toMatch(/^The Finan format has no test event/);

    // An invoice.created with only a Finan endpoint: no delivery to it, and a manual retry finds nowhere to send it.
    await transaction(db(), (tx) => writeEvent(tx, { merchantId: m.merchant.id, type: "invoice.created", invoiceId: null, data: {} }));
    const [unset] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, m.merchant.id)).orderBy(asc(webhookDeliveries.createdAt));
    expect([unset!.status, unset!.endpointId]).toEqual(["url_not_set", null]);
    expect(await refusal(retryDeliveryWith({ sender: () => sender })(db(), m.ownerActor, { id: unset!.id }))).toMatch(/No enabled endpoint takes this event type/);

    // Back to Standard Webhooks, with the merchant's schedule: it takes every event again.
    const back = await updateEndpoint(db(), m.ownerActor, { id: finan.id, url, allEvents: true, format: "standard", retrySchedule: "", enabled: true });
    expect([back.format, back.retrySchedule]).toEqual(["standard", null]);
  });
});

/** A failed card payment's event data, in the shape lib/invoices/events.ts writes. */
function paymentFailedData() {
  const at = new Date().toISOString();
  return {
    payment: {
      id: "pay_retry",
      invoice_id: "inv_retry",
      payment_link_id: null,
      service_id: "svc_x",
      provider_ref: "ref-1",
      amount: 1_250,
      currency: "KWD",
      method: "card",
      status: "failed",
      message: "Declined",
      card_last4: null,
      late: false,
      refunded_amount: 0,
      created_at: at,
    },
    invoice: {
      id: "inv_retry",
      number: "INV-000007",
      reference_id: null,
      currency: "KWD",
      amount: 1_250,
      paid_amount: 0,
      refunded_amount: 0,
      net_amount: 0,
      payment_status: "unpaid",
      status: "open",
      needs_review: false,
      customer: { name: "Ali", email: null, phone: "96512345678", address: null },
      description: null,
      due_date: null,
      metadata: {},
      created_at: at,
    },
  };
}
