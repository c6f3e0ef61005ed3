import { and, asc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { events, invoices, payments, providerNotifications, refunds } from "@/db/schema";
import { useTestDb } from "@/test/db";
import { linkMyFatoorah, MF_API_KEY, openHostedPage, pressOnHostedPage, startMyFatoorahForSettle } from "@/test/myfatoorah-settle";
import type { MyFatoorahSimulator } from "@/test/simulators/myfatoorah";
import { checkRefund, sweepPendingRefunds } from "./check";
import { openRefund } from "./ledger";
import { refundsOfInvoice } from "./queries";
import { createRefund } from "./refunds";

/**
 * Refunds through MyFatoorah, end to end: MakeRefund over HTTP to the
 * simulator, and its signed RefundStatusChanged webhook through Settle's
 * notify handler, against a real database.
 */

const t = useTestDb();
const API_KEY = MF_API_KEY;

let sim: MyFatoorahSimulator;

beforeAll(async () => {
  sim = await startMyFatoorahForSettle(t.db);
});
afterAll(() => sim.close());
afterEach(() => sim.setRefundAnswer("accept"));

/** A merchant with MyFatoorah linked, and a card payment of `amount` (minor units) made on its hosted page. */
async function paidThroughMyFatoorah(opts: { amount?: number; currency?: "KWD" | "SAR" } = {}) {
  const { m, service, invoice, link } = await linkMyFatoorah(t.db, sim, opts);
  const { invoiceId } = await openHostedPage(t.db, service, link.id);
  const { paymentId } = await pressOnHostedPage(sim, invoiceId, "pay");
  const [payment] = await t.db().select().from(payments).where(eq(payments.providerRef, paymentId));
  expect(payment).toMatchObject({ status: "succeeded", amount: opts.amount ?? 12_345 });
  return { owner: m.ownerActor, service, invoiceId: invoice.id, payment: payment!, paymentId };
}

const makeRefundRequests = () => sim.requests.filter((r) => r.path === "/v2/MakeRefund");
const lastSimRefund = () => [...sim.refunds.values()].at(-1)!;

async function money(invoiceId: string, paymentId: string) {
  const [invoice] = await t.db().select().from(invoices).where(eq(invoices.id, invoiceId));
  const [payment] = await t.db().select().from(payments).where(eq(payments.id, paymentId));
  return { paid: invoice!.paidAmount, refunded: invoice!.refundedAmount, status: invoice!.paymentStatus, pending: payment!.refundPendingAmount, paymentRefunded: payment!.refundedAmount };
}

async function refundEvents(invoiceId: string) {
  const rows = await t.db().select().from(events).where(eq(events.invoiceId, invoiceId)).orderBy(asc(events.seq));
  return rows.filter((e) => e.type.startsWith("refund.")).map((e) => ({ type: e.type, data: e.data as { refund: { id: string; status: string }; invoice: { refunded_amount: number; net_amount: number } } }));
}

describe("refunding a MyFatoorah payment", () => {
  it("sends MakeRefund exactly as documented; pending under MyFatoorah's RefundId until REFUNDED ends it, once", async () => {
    const { owner, service, invoiceId, payment, paymentId } = await paidThroughMyFatoorah();
    const asked = makeRefundRequests().length;

    const r = await createRefund(t.db(), owner, { paymentId: payment.id, amount: "5.25", reason: "  Wrong size  " });

    const [request, ...more] = makeRefundRequests().slice(asked);
    expect(more).toEqual([]);
    expect(request!.authorization).toBe(`Bearer ${API_KEY}`);
    // The decimal as written, in major units: never 5.2499999 or 5250.
    expect(request!.body).toMatch(/^\{"Amount":5\.250,/);
    expect(JSON.parse(request!.body)).toEqual({
      Amount: 5.25,
      KeyType: "PaymentId",
      Key: paymentId,
      Comment: "Wrong size",
      ServiceChargeOnCustomer: false,
      RefundChargeOnCustomer: false,
      ExternalIdentifier: r.refund.id,
    });

    const mf = lastSimRefund();
    expect(mf).toMatchObject({ paymentId, amountText: "5.250", externalIdentifier: r.refund.id, status: "Pending" });
    expect([r.refund.status, r.refund.amount, r.refund.providerRef, r.refund.settledAt]).toEqual(["pending", 5_250, String(mf.RefundId), null]);
    expect(await money(invoiceId, payment.id)).toEqual({ paid: 12_345, refunded: 0, status: "paid", pending: 5_250, paymentRefunded: 0 });
    expect((await refundEvents(invoiceId)).map((e) => e.type)).toEqual(["refund.created"]);

    const done = await sim.endRefund(mf.RefundId, "REFUNDED");
    expect(done.status).toBe(200);
    expect(JSON.parse(done.body)).toEqual({ received: true, outcome: "recorded", refund_id: r.refund.id });
    const [refund] = await refundsOfInvoice(t.db(), { merchantId: owner.merchantId, invoiceId });
    expect(refund).toMatchObject({ id: r.refund.id, status: "succeeded", amount: 5_250, providerRef: String(mf.RefundId), failureMessage: null });
    expect(refund!.settledAt).toBeInstanceOf(Date);
    expect(await money(invoiceId, payment.id)).toEqual({ paid: 12_345, refunded: 5_250, status: "paid", pending: 0, paymentRefunded: 5_250 });
    const succeeded = (await refundEvents(invoiceId)).filter((e) => e.type === "refund.succeeded");
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]!.data).toMatchObject({ refund: { id: r.refund.id, status: "succeeded" }, invoice: { refunded_amount: 5_250, net_amount: 7_095 } });

    // MyFatoorah's retry of the same event: a duplicate, no second event, no second refund.
    const again = await sim.redeliver(sim.deliveries.length - 1);
    expect(JSON.parse(again.body)).toEqual({ received: true, outcome: "duplicate", refund_id: r.refund.id });
    expect((await refundEvents(invoiceId)).map((e) => e.type)).toEqual(["refund.created", "refund.succeeded"]);
    expect(await refundsOfInvoice(t.db(), { merchantId: owner.merchantId, invoiceId })).toHaveLength(1);
    expect((await money(invoiceId, payment.id)).refunded).toBe(5_250);
    const kept = await t.db().select().from(providerNotifications).where(and(eq(providerNotifications.serviceId, service.id), eq(providerNotifications.refundId, r.refund.id)));
    expect(kept.map((n) => [n.outcome, n.providerRef, n.amount])).toEqual([
      ["recorded", String(mf.RefundId), 5_250],
      ["duplicate", String(mf.RefundId), 5_250],
    ]);
  });

  it("CANCELED fails the refund with MyFatoorah's word and gives the amount back to refund again", async () => {
    const { owner, invoiceId, payment } = await paidThroughMyFatoorah();
    const long = `Returned unopened. ${"x".repeat(400)}`;
    const r = await createRefund(t.db(), owner, { paymentId: payment.id, reason: long });
    const body = JSON.parse(makeRefundRequests().at(-1)!.body) as { Amount: number; Comment: string };
    // All that was refundable, and the reason cut to a comment MyFatoorah keeps.
    expect(makeRefundRequests().at(-1)!.body).toMatch(/^\{"Amount":12\.345,/);
    expect(body.Comment).toBe(long.slice(0, 200));
    expect(r.refund).toMatchObject({ status: "pending", amount: 12_345 });

    const canceled = await sim.endRefund(lastSimRefund().RefundId, "CANCELED", { comments: null });
    expect(JSON.parse(canceled.body)).toMatchObject({ outcome: "recorded", refund_id: r.refund.id });
    const [refund] = await refundsOfInvoice(t.db(), { merchantId: owner.merchantId, invoiceId });
    expect(refund).toMatchObject({ status: "failed", failureMessage: "MyFatoorah canceled the refund." });
    expect(await money(invoiceId, payment.id)).toEqual({ paid: 12_345, refunded: 0, status: "paid", pending: 0, paymentRefunded: 0 });
    expect((await refundEvents(invoiceId)).map((e) => e.type)).toEqual(["refund.created", "refund.failed"]);

    // The whole amount can be asked for again, and MyFatoorah accepts it (its canceled refund no longer counts).
    const second = await createRefund(t.db(), owner, { paymentId: payment.id, reason: "Second try" });
    expect(second.refund).toMatchObject({ status: "pending", amount: 12_345, providerRef: String(lastSimRefund().RefundId) });
    await sim.endRefund(lastSimRefund().RefundId, "CANCELED", { comments: "Card account closed" });
    const ended = (await refundsOfInvoice(t.db(), { merchantId: owner.merchantId, invoiceId })).find((x) => x.id === second.refund.id);
    expect(ended?.failureMessage).toBe("MyFatoorah canceled the refund: Card account closed");
  });

  it("a refund made in MyFatoorah's portal is recorded on the payment it names, once", async () => {
    const { owner, invoiceId, payment, paymentId } = await paidThroughMyFatoorah({ currency: "SAR", amount: 5_000 });
    const portal = sim.portalRefund(paymentId, "20.00", "Goodwill");
    const res = await sim.endRefund(portal.RefundId, "REFUNDED");
    expect(JSON.parse(res.body)).toMatchObject({ received: true, outcome: "recorded" });

    const refunds = await refundsOfInvoice(t.db(), { merchantId: owner.merchantId, invoiceId });
    expect(refunds.map((x) => [x.status, x.amount, x.currency, x.providerRef, x.manual, x.reason])).toEqual([
      ["succeeded", 2_000, "SAR", String(portal.RefundId), false, "Refunded in MyFatoorah: Goodwill"],
    ]);
    expect(JSON.parse(res.body).refund_id).toBe(refunds[0]!.id);
    expect(await money(invoiceId, payment.id)).toEqual({ paid: 5_000, refunded: 2_000, status: "paid", pending: 0, paymentRefunded: 2_000 });
    expect((await refundEvents(invoiceId)).map((e) => e.type)).toEqual(["refund.created", "refund.succeeded"]);

    const again = await sim.redeliver(sim.deliveries.length - 1);
    expect(JSON.parse(again.body)).toMatchObject({ outcome: "duplicate" });
    expect(await refundsOfInvoice(t.db(), { merchantId: owner.merchantId, invoiceId })).toHaveLength(1);
    expect((await refundEvents(invoiceId)).map((e) => e.type)).toEqual(["refund.created", "refund.succeeded"]);
  });

  it("a refusal from MakeRefund fails the refund with MyFatoorah's message and releases the amount", async () => {
    const { owner, invoiceId, payment, paymentId } = await paidThroughMyFatoorah();
    // A portal refund MyFatoorah is still reviewing: Settle does not know of it, MyFatoorah counts it.
    sim.portalRefund(paymentId, "10.000");
    const r = await createRefund(t.db(), owner, { paymentId: payment.id, reason: "Changed mind" });
    expect(r.refund).toMatchObject({ status: "failed", amount: 12_345, providerRef: null, failureMessage: "MyFatoorah refused the refund: Amount: The refund amount is more than the available amount" });
    expect(await money(invoiceId, payment.id)).toEqual({ paid: 12_345, refunded: 0, status: "paid", pending: 0, paymentRefunded: 0 });
    expect((await refundEvents(invoiceId)).map((e) => e.type)).toEqual(["refund.created", "refund.failed"]);

    sim.setRefundAnswer({ refuse: { Name: "Key", Error: "Refunds are not enabled for this account" } });
    const refused = await createRefund(t.db(), owner, { paymentId: payment.id, amount: "1", reason: "Small" });
    expect(refused.refund.failureMessage).toBe("MyFatoorah refused the refund: Key: Refunds are not enabled for this account");
    expect((await money(invoiceId, payment.id)).pending).toBe(0);
  });

  it("MyFatoorah down (500): the refund fails with a clear message and the amount is refundable again", async () => {
    const { owner, invoiceId, payment } = await paidThroughMyFatoorah();
    sim.setRefundAnswer("server-error");
    const r = await createRefund(t.db(), owner, { paymentId: payment.id, amount: 2_000, reason: "Late delivery" });
    expect(r.refund).toMatchObject({
      status: "failed",
      failureMessage: "MyFatoorah did not answer the refund request: MyFatoorah answered HTTP 500: An error has occurred.",
    });
    expect(await money(invoiceId, payment.id)).toEqual({ paid: 12_345, refunded: 0, status: "paid", pending: 0, paymentRefunded: 0 });
    expect((await refundEvents(invoiceId)).map((e) => e.type)).toEqual(["refund.created", "refund.failed"]);

    sim.setRefundAnswer("accept");
    const retry = await createRefund(t.db(), owner, { paymentId: payment.id, reason: "Late delivery" });
    expect(retry.refund).toMatchObject({ status: "pending", amount: 12_345 });
  });

  it("a refund MyFatoorah made though Settle had marked it failed (no answer) is recorded when its webhook comes", async () => {
    const { owner, invoiceId, payment, paymentId } = await paidThroughMyFatoorah();
    sim.setRefundAnswer("server-error");
    const r = await createRefund(t.db(), owner, { paymentId: payment.id, amount: 2_000, reason: "Late delivery" });
    expect(r.refund.status).toBe("failed");
    sim.setRefundAnswer("accept");
    // MyFatoorah had made it after all, and its webhook echoes the ExternalIdentifier it was given.
    const made = sim.portalRefund(paymentId, "2.000", "Late delivery");
    made.externalIdentifier = r.refund.id;
    const res = await sim.endRefund(made.RefundId, "REFUNDED", { withExternalIdentifier: true });
    expect(JSON.parse(res.body)).toMatchObject({ received: true, outcome: "recorded" });
    expect(await money(invoiceId, payment.id)).toMatchObject({ refunded: 2_000, pending: 0, paymentRefunded: 2_000 });
    const [failed] = await t.db().select().from(refunds).where(eq(refunds.id, r.refund.id));
    expect(failed!.status).toBe("failed");
    expect((await refundEvents(invoiceId)).map((e) => [e.type, e.data.refund.status])).toEqual([
      ["refund.created", "pending"],
      ["refund.failed", "failed"],
      ["refund.created", "succeeded"],
      ["refund.succeeded", "succeeded"],
    ]);
  });

  it("a refund whose notification never comes is ended by asking MyFatoorah: Check status, or the sweep after five minutes", async () => {
    const { owner, invoiceId, payment } = await paidThroughMyFatoorah();
    const first = await createRefund(t.db(), owner, { paymentId: payment.id, amount: "2", reason: "Scratched" });
    const mf = lastSimRefund();
    const lookups = () => sim.requests.filter((r) => r.path === "/v2/GetRefundStatus");
    const lookupsOf = (id: number) => lookups().filter((r) => (JSON.parse(r.body) as { Key: string }).Key === String(id));

    // Still under review at MyFatoorah: it stays pending, and says so.
    const still = await checkRefund(t.db(), owner, { refundId: first.refund.id });
    expect([still.changed, still.refund.status, still.note]).toEqual([false, "pending", "MyFatoorah still has this refund pending."]);
    expect(JSON.parse(lookups().at(-1)!.body)).toEqual({ KeyType: "RefundId", Key: String(mf.RefundId) });
    expect(lookups().at(-1)!.authorization).toBe(`Bearer ${API_KEY}`);

    // MyFatoorah refunds it and its webhook is lost: the sweep finds out, once the refund has waited five minutes.
    mf.status = "Refunded";
    await sweepPendingRefunds(t.db(), new Date());
    expect((await money(invoiceId, payment.id)).pending).toBe(2_000);
    await sweepPendingRefunds(t.db(), new Date(Date.now() + 6 * 60_000));
    const [ended] = await refundsOfInvoice(t.db(), { merchantId: owner.merchantId, invoiceId });
    expect([ended!.status, ended!.providerRef, ended!.checkableAt]).toEqual(["succeeded", String(mf.RefundId), null]);
    expect(await money(invoiceId, payment.id)).toEqual({ paid: 12_345, refunded: 2_000, status: "paid", pending: 0, paymentRefunded: 2_000 });
    expect((await refundEvents(invoiceId)).map((e) => e.type)).toEqual(["refund.created", "refund.succeeded"]);
    // Asked twice: Check status, then the sweep; the sweep before the five minutes did not ask.
    expect(lookupsOf(mf.RefundId)).toHaveLength(2);

    // Canceled at MyFatoorah, found by Check status: failed, and the amount is refundable again.
    const second = await createRefund(t.db(), owner, { paymentId: payment.id, amount: "3", reason: "Late" });
    expect((await refundsOfInvoice(t.db(), { merchantId: owner.merchantId, invoiceId })).at(-1)!.checkableAt).toBe("MyFatoorah");
    lastSimRefund().status = "Canceled";
    const checked = await checkRefund(t.db(), owner, { refundId: second.refund.id });
    expect([checked.changed, checked.refund.status, checked.refund.failureMessage]).toEqual([true, "failed", "MyFatoorah canceled this refund."]);
    expect(await money(invoiceId, payment.id)).toMatchObject({ refunded: 2_000, pending: 0 });
    // Its webhook, late: a duplicate of what is already known.
    const late = await sim.endRefund(lastSimRefund().RefundId, "CANCELED");
    expect(JSON.parse(late.body)).toMatchObject({ refund_id: second.refund.id });
    expect((await refundEvents(invoiceId)).map((e) => e.type)).toEqual(["refund.created", "refund.succeeded", "refund.created", "refund.failed"]);

    // Ended already: nothing to ask. Another merchant's, or none: not found.
    expect((await checkRefund(t.db(), owner, { refundId: first.refund.id })).note).toBe("This refund has already ended: succeeded.");
    await expect(checkRefund(t.db(), owner, { refundId: "ref_nothing" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("a refund Settle never heard back about (it stopped before MyFatoorah answered) is failed after ten minutes, freeing its amount", async () => {
    const { owner, invoiceId, payment } = await paidThroughMyFatoorah();
    // Held, as createRefund holds it before calling MyFatoorah, and then nothing: no MakeRefund answer, no id.
    const held = await openRefund(t.db(), { merchantId: owner.merchantId, paymentId: payment.id, amount: 4_000, reason: "Crashed", requestedBy: owner.userId, status: "pending" });
    const asked = sim.requests.length;
    await sweepPendingRefunds(t.db(), new Date(Date.now() + 6 * 60_000));
    expect((await money(invoiceId, payment.id)).pending).toBe(4_000);
    const waiting = await checkRefund(t.db(), owner, { refundId: held.refund.id });
    expect(waiting.note).toBe("Waiting for MyFatoorah's answer to the refund request.");

    // Out of time (a serverless cron's budget): no look starts.
    expect(await sweepPendingRefunds(t.db(), new Date(Date.now() + 11 * 60_000), { until: Date.now() - 1 })).toEqual({ checked: 0, ended: 0 });
    expect((await money(invoiceId, payment.id)).pending).toBe(4_000);
    await sweepPendingRefunds(t.db(), new Date(Date.now() + 11 * 60_000));
    const [refund] = await refundsOfInvoice(t.db(), { merchantId: owner.merchantId, invoiceId });
    expect(refund).toMatchObject({ status: "failed", providerRef: null });
    expect(refund!.failureMessage).toMatch(/^MyFatoorah never answered this refund request: Settle stopped before its answer came\./);
    expect(await money(invoiceId, payment.id)).toMatchObject({ refunded: 0, pending: 0 });
    // Nothing was asked of MyFatoorah about it: there was no id to ask by.
    expect(sim.requests.slice(asked).filter((r) => r.path === "/v2/GetRefundStatus" && r.body.includes(held.refund.id))).toEqual([]);
    expect((await refundEvents(invoiceId)).map((e) => e.type)).toEqual(["refund.created", "refund.failed"]);
  });

  it("a refund notice naming no refund and no payment of this service is kept as unmatched, and changes nothing", async () => {
    const { invoiceId, payment } = await paidThroughMyFatoorah();
    const res = await sim.sendEvent({
      EventType: 2,
      Event: "RefundStatusChanged",
      Data: {
        RefundId: 99_001,
        RefundReference: "2026099001",
        CreatedDate: "04032026210447",
        RefundStatus: "REFUNDED",
        Amount: "1.000",
        Comments: null,
        InvoiceId: "1",
        InvoiceRefernce: "2026000001",
        GatewayReference: { PaymentId: "070800000000000001", RefundAmount: "1.000", Currency: "KWD" },
      },
    });
    expect(JSON.parse(res.body)).toMatchObject({ received: true, outcome: "unmatched" });
    expect(await money(invoiceId, payment.id)).toMatchObject({ refunded: 0, pending: 0 });
  });
});
