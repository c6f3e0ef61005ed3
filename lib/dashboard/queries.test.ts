import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backdated } from "@/lib/demo/backdate";
import type { Actor } from "@/lib/auth/roles";
import { countInvoicesByStatus } from "@/lib/invoices/queries";
import { voidInvoice } from "@/lib/invoices/void";
import { createService } from "@/lib/payment-services/services";
import { recordPayment } from "@/lib/payments/record";
import { Dispatcher } from "@/lib/webhooks/dispatcher";
import { createEndpoint, updateEndpoint } from "@/lib/webhooks/endpoints";
import { createSender } from "@/lib/webhooks/http";
import { useTestDb } from "@/test/db";
import { makeInvoice, makeMerchant } from "@/test/factories";
import { type Receiver, startReceiver } from "@/test/webhook-receiver";
import { daysBefore } from "./period";
import { dailySeries, moneySummary, recentActivity, setupState, webhookHealth } from "./queries";
import { utcDay } from "./period";
import { rebuildRollups } from "./rollups";

const { db } = useTestDb();

const DAY_MS = 86_400_000;
/** 10:00 UTC, `n` days before today. */
const daysAgo = (n: number) => new Date(Date.parse(`${utcDay(new Date())}T10:00:00Z`) - n * DAY_MS);

/**
 * A known month for merchant A (amounts in minor units):
 * - 40 days ago: USD 100.00 invoice, paid in full the same day (outside every window);
 * - 20 days ago: USD 500.00 invoice, 200.00 paid, and 50.00 more 7 days ago (just outside the week) → partial;
 * - 6 days ago (the week's first day): USD 300.00 invoice, paid in full the same day;
 * - today: VND 1,000,000 invoice with 250,000 paid; USD 50.00 voided; USD 80.00 paid 100.00 (extra);
 *   USD 20.00 unpaid with one failed card payment.
 * Merchant B has its own paid invoice today, which A never sees.
 */
describe("dashboard queries", () => {
  let a: Actor;
  let b: Actor;
  const receivers: Receiver[] = [];
  const sender = createSender({ allowPrivate: true });
  let healthy: { id: string };
  let failing: { id: string };
  let off: { id: string };
  const pay = (actor: Actor, inv: { id: string; currency: string }, amount: number, ref: string, status: "succeeded" | "failed" = "succeeded") =>
    recordPayment(db(), {
      merchantId: actor.merchantId,
      invoiceId: inv.id,
      serviceId: "sandbox",
      providerRef: ref,
      amount,
      currency: inv.currency as "USD",
      method: "card",
      status,
    });

  beforeAll(async () => {
    a = (await makeMerchant(db(), "A")).ownerActor;
    b = (await makeMerchant(db(), "B")).ownerActor;
    const at = (n: number) => ({ merchantId: a.merchantId, at: daysAgo(n) });

    const old = await backdated(db(), at(40), () => makeInvoice(db(), a, { amount: 10_000 }));
    await backdated(db(), at(40), () => pay(a, old, 10_000, "old"));
    const partial = await backdated(db(), at(20), () => makeInvoice(db(), a, { amount: 50_000 }));
    await backdated(db(), at(20), () => pay(a, partial, 20_000, "p1"));
    await backdated(db(), at(7), () => pay(a, partial, 5_000, "p2"));
    const paidLater = await backdated(db(), at(6), () => makeInvoice(db(), a, { amount: 30_000 }));
    await backdated(db(), at(6), () => pay(a, paidLater, 30_000, "p3"));
    // Backdating moves rows, not the day-keyed rollups: rebuild them before today's writes go on top.
    await rebuildRollups(db(), { merchantId: a.merchantId });

    const ok = await startReceiver();
    const down = await startReceiver({ behave: (_r, res) => void res.writeHead(500).end("down") });
    receivers.push(ok, down);
    const endpoint = (url: string) => createEndpoint(db(), a, { url, allEvents: false, eventTypes: ["invoice.created"], enabled: true });
    healthy = await endpoint(ok.url);
    failing = await endpoint(down.url);
    off = await endpoint(ok.url);
    await updateEndpoint(db(), a, { id: off.id, url: ok.url, allEvents: false, eventTypes: ["invoice.created"], enabled: false });

    const vnd = await makeInvoice(db(), a, { amount: 1_000_000, currency: "VND" });
    await pay(a, vnd, 250_000, "v1");
    const voided = await makeInvoice(db(), a, { amount: 5_000 });
    await voidInvoice(db(), a, { invoiceId: voided.id });
    const extra = await makeInvoice(db(), a, { amount: 8_000 });
    await pay(a, extra, 10_000, "x1");
    const unpaid = await makeInvoice(db(), a, { amount: 2_000 });
    await pay(a, unpaid, 2_000, "declined", "failed");

    const theirs = await makeInvoice(db(), b, { amount: 99_900 });
    await pay(b, theirs, 99_900, "b1");

    // Four invoice.created events to two enabled endpoints: one receiver answers 200, the other 500.
    await new Dispatcher({ db: db(), sender, random: () => 0 }).drain();
  });
  afterAll(async () => {
    await sender.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it("money collected today, in 7 and in 30 days, and outstanding, per currency, busiest first", async () => {
    expect(await moneySummary(db(), { merchantId: a.merchantId, today: utcDay(new Date()) })).toEqual([
      { currency: "USD", today: 10_000, last7: 40_000, last30: 65_000, outstanding: 27_000, outstandingInvoices: 2 },
      { currency: "VND", today: 250_000, last7: 250_000, last30: 250_000, outstanding: 750_000, outstandingInvoices: 1 },
    ]);
    expect(await moneySummary(db(), { merchantId: b.merchantId, today: utcDay(new Date()) })).toEqual([
      { currency: "USD", today: 99_900, last7: 99_900, last30: 99_900, outstanding: 0, outstandingInvoices: 0 },
    ]);
  });

  it("a day series over the period: collected per currency, invoices created and paid, zeros between", async () => {
    const today = utcDay(new Date());
    const week = await dailySeries(db(), { merchantId: a.merchantId, today, period: 7 });
    expect(week.days).toHaveLength(7);
    expect(week.days[0]).toBe(daysBefore(today, 6));
    expect(week.days[6]).toBe(today);
    expect(week.collected).toEqual({ USD: [30_000, 0, 0, 0, 0, 0, 10_000], VND: [0, 0, 0, 0, 0, 0, 250_000] });
    expect(week.currencies).toEqual(["USD", "VND"]);
    expect(week.created).toEqual([1, 0, 0, 0, 0, 0, 4]);
    expect(week.paid).toEqual([1, 0, 0, 0, 0, 0, 1]);

    const month = await dailySeries(db(), { merchantId: a.merchantId, today, period: 30 });
    expect(month.days).toHaveLength(30);
    expect(month.collected.USD![month.days.indexOf(daysBefore(today, 20))]).toBe(20_000);
    expect(month.created.reduce((s, n) => s + n, 0)).toBe(6);
    const quarter = await dailySeries(db(), { merchantId: a.merchantId, today, period: 90 });
    expect(quarter.collected.USD!.reduce((s, n) => s + n, 0)).toBe(75_000);
    expect(quarter.paid.reduce((s, n) => s + n, 0)).toBe(3);
  });

  it("the chart's currency is the one the money cards lead with, whatever the period", async () => {
    const c = (await makeMerchant(db(), "C")).ownerActor;
    // VND: collected on three days, three invoices. USD: five invoices today, one paid; it moved on one day only.
    for (const n of [3, 2, 1]) {
      const inv = await backdated(db(), { merchantId: c.merchantId, at: daysAgo(n) }, () => makeInvoice(db(), c, { amount: 100_000, currency: "VND" }));
      await backdated(db(), { merchantId: c.merchantId, at: daysAgo(n) }, () => pay(c, inv, 100_000, `v${n}`));
    }
    await rebuildRollups(db(), { merchantId: c.merchantId });
    const usd = [];
    for (let i = 0; i < 5; i++) usd.push(await makeInvoice(db(), c, { amount: 1_000 }));
    await pay(c, usd[0]!, 1_000, "u1");

    const today = utcDay(new Date());
    expect((await moneySummary(db(), { merchantId: c.merchantId, today })).map((m) => m.currency)).toEqual(["USD", "VND"]);
    for (const period of [7, 30, 90]) {
      expect((await dailySeries(db(), { merchantId: c.merchantId, today, period })).currencies).toEqual(["USD", "VND"]);
    }
  });

  it("counts by status come from the counters the invoice list uses", async () => {
    expect(await countInvoicesByStatus(db(), { merchantId: a.merchantId })).toMatchObject({ unpaid: 1, partial: 2, paid: 2, extra: 1, void: 1 });
  });

  it("webhook health: 24-hour success rate, the failing and the disabled endpoint, deliveries waiting for a retry", async () => {
    const health = await webhookHealth(db(), { merchantId: a.merchantId });
    expect(health).toMatchObject({ attempts24h: 8, succeeded24h: 4, successRate24h: 0.5, waitingForRetry: 4 });
    const byId = Object.fromEntries(health.endpoints.map((e) => [e.id, [e.attempts24h, e.succeeded24h]]));
    expect(byId).toEqual({ [healthy.id]: [4, 4], [failing.id]: [4, 0], [off.id]: [0, 0] });
    // Those that need a look first: the failing one, then the one a person turned off, then the healthy one.
    expect(health.endpoints.map((e) => [e.id, e.condition])).toEqual([
      [failing.id, "failing"],
      [off.id, "disabled"],
      [healthy.id, "healthy"],
    ]);
    expect(health.endpoints[0]).toMatchObject({ consecutiveFailures: 4 });
    expect(health.endpoints[1]).toMatchObject({ enabled: false, autoDisabledAt: null });
    expect(health.nextRetryAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await webhookHealth(db(), { merchantId: b.merchantId })).toMatchObject({ endpoints: [], successRate24h: null, waitingForRetry: 0 });
  });

  it("recent activity: the merchant's own latest events, newest first, each with its invoice", async () => {
    const items = await recentActivity(db(), { merchantId: a.merchantId, limit: 3 });
    expect(items.map((e) => e.type)).toEqual(["payment.failed", "invoice.created", "invoice.overpaid"]);
    expect(items.map((e) => e.invoiceNumber)).toEqual([7, 7, 6]);
    expect(items.every((e) => e.invoiceId?.startsWith("inv_"))).toBe(true);
    const theirs = await recentActivity(db(), { merchantId: b.merchantId });
    expect(theirs.map((e) => e.type)).toEqual(["invoice.paid", "payment.succeeded", "invoice.created"]);
  });

  it("first steps: what a merchant has not done yet", async () => {
    expect(await setupState(db(), { merchantId: b.merchantId })).toEqual({ hasInvoices: true, hasEndpoint: false, hasPaymentService: false });
    const fresh = await makeMerchant(db());
    expect(await setupState(db(), { merchantId: fresh.merchant.id })).toEqual({ hasInvoices: false, hasEndpoint: false, hasPaymentService: false });
    await createService(db(), a, { kind: "bank_transfer", name: "ACB", bankBin: "970416", accountNumber: "257678859", accountName: "DEMO STORE" });
    expect(await setupState(db(), { merchantId: a.merchantId })).toEqual({ hasInvoices: true, hasEndpoint: true, hasPaymentService: true });
  });
});
