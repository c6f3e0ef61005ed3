import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, events, merchantCounters, payments } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { getInvoice, invoiceEvents } from "@/lib/invoices/queries";
import { voidInvoice } from "@/lib/invoices/void";
import { useTestDb } from "@/test/db";
import { makeInvoice, makeMerchant } from "@/test/factories";
import { recordManualPayment } from "./manual";
import { type PaymentFacts, recordPayment } from "./record";
import { statusOf } from "./status";

const { db, handle } = useTestDb();

const unexpected = (): never => {
  throw new Error("expected this call to fail");
};

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof AppError ? e.code : `unexpected: ${String(e)}`),
  );

let owner: Actor;
beforeAll(async () => {
  owner = (await makeMerchant(db())).ownerActor;
});

const notify = (invoiceId: string, facts: Partial<PaymentFacts> & { providerRef: string }) =>
  recordPayment(db(), {
    merchantId: owner.merchantId,
    invoiceId,
    serviceId: "sandbox",
    amount: 100,
    currency: "USD",
    method: "card",
    status: "succeeded",
    ...facts,
  });

const timeline = async (invoiceId: string) => (await invoiceEvents(db(), { merchantId: owner.merchantId, invoiceId })).map((e) => e.type);

describe("recordPayment", () => {
  it("walks unpaid → partial → paid → extra, with one event per payment and per status change", async () => {
    const inv = await makeInvoice(db(), owner, { amount: 1_000 });
    const a = await notify(inv.id, { providerRef: "t1", amount: 300, cardLast4: "4242", message: "Approved" });
    expect([a.created, a.invoice.paidAmount, a.invoice.paymentStatus]).toEqual([true, 300, "partial"]);
    expect((await notify(inv.id, { providerRef: "t2", amount: 200 })).invoice.paymentStatus).toBe("partial");
    expect((await notify(inv.id, { providerRef: "t3", amount: 500 })).invoice.paymentStatus).toBe("paid");
    const last = await notify(inv.id, { providerRef: "t4", amount: 1 });
    expect([last.invoice.paidAmount, last.invoice.paymentStatus]).toEqual([1_001, "extra"]);
    expect(await timeline(inv.id)).toEqual([
      "invoice.created",
      "payment.succeeded",
      "invoice.partially_paid",
      "payment.succeeded",
      "payment.succeeded",
      "invoice.paid",
      "payment.succeeded",
      "invoice.overpaid",
    ]);
    const [first] = await db().select().from(events).where(and(eq(events.invoiceId, inv.id), eq(events.type, "payment.succeeded"))).limit(1);
    expect(first!.data).toMatchObject({
      payment: { amount: 300, currency: "USD", method: "card", provider_ref: "t1", message: "Approved", card_last4: "4242" },
      invoice: { paid_amount: 300, payment_status: "partial" },
    });
  });

  it("records a repeated notification once", async () => {
    const inv = await makeInvoice(db(), owner, { amount: 1_000 });
    const first = await notify(inv.id, { providerRef: "dup", amount: 400 });
    const again = await notify(inv.id, { providerRef: "dup", amount: 400 });
    expect([first.created, again.created, again.changed]).toEqual([true, false, false]);
    expect(again.payment.id).toBe(first.payment.id);
    expect(again.invoice.paidAmount).toBe(400);
    expect(await db().$count(payments, eq(payments.invoiceId, inv.id))).toBe(1);
    expect(await timeline(inv.id)).toEqual(["invoice.created", "payment.succeeded", "invoice.partially_paid"]);
  });

  it("upgrades failed to succeeded, and never downgrades succeeded", async () => {
    const inv = await makeInvoice(db(), owner, { amount: 500 });
    const failed = await notify(inv.id, { providerRef: "x", amount: 500, status: "failed", message: "Insufficient funds" });
    expect([failed.payment.status, failed.invoice.paymentStatus]).toEqual(["failed", "unpaid"]);
    const ok = await notify(inv.id, { providerRef: "x", amount: 500, status: "succeeded", message: "Approved" });
    expect([ok.created, ok.changed, ok.payment.id, ok.payment.status, ok.invoice.paymentStatus]).toEqual([false, true, failed.payment.id, "succeeded", "paid"]);
    const late = await notify(inv.id, { providerRef: "x", amount: 500, status: "failed" });
    expect([late.changed, late.payment.status, late.invoice.paidAmount]).toEqual([false, "succeeded", 500]);
    expect(await timeline(inv.id)).toEqual(["invoice.created", "payment.failed", "payment.succeeded", "invoice.paid"]);
  });

  it("rejects another currency and writes nothing", async () => {
    const inv = await makeInvoice(db(), owner, { amount: 500 });
    const err = await notify(inv.id, { providerRef: "eur", currency: "EUR" }).then(unexpected, (e: unknown) => e as AppError);
    expect([err.code, err.message]).toEqual(["validation_failed", "This invoice is in USD; a payment in EUR cannot be recorded on it."]);
    expect(await db().$count(payments, eq(payments.invoiceId, inv.id))).toBe(0);
    expect(await timeline(inv.id)).toEqual(["invoice.created"]);
  });

  it("records money on a void invoice and flags it for review", async () => {
    const inv = await makeInvoice(db(), owner, { amount: 500 });
    await voidInvoice(db(), owner, { invoiceId: inv.id });
    const { invoice } = await notify(inv.id, { providerRef: "after-void", amount: 500 });
    expect([invoice.status, invoice.paymentStatus, invoice.paidAmount, invoice.needsReview]).toEqual(["void", "paid", 500, true]);
  });

  it("refuses a provider reference already used on another invoice", async () => {
    const one = await makeInvoice(db(), owner);
    const two = await makeInvoice(db(), owner);
    await notify(one.id, { providerRef: "shared" });
    expect(await codeOf(notify(two.id, { providerRef: "shared" }))).toBe("conflict");
    expect((await getInvoice(db(), { merchantId: owner.merchantId, id: two.id }))?.paidAmount).toBe(0);
  });

  it("keeps the tab counters equal to the invoices' statuses", async () => {
    const m = await makeMerchant(db());
    const inv = await makeInvoice(db(), m.ownerActor, { amount: 100 });
    await recordManualPayment(db(), m.ownerActor, { invoiceId: inv.id, amount: 40, method: "cash" });
    await recordManualPayment(db(), m.ownerActor, { invoiceId: inv.id, amount: 60, method: "cash" });
    const [c] = await db().select().from(merchantCounters).where(eq(merchantCounters.merchantId, m.merchant.id));
    expect([c?.unpaidCount, c?.partialCount, c?.paidCount]).toEqual([0, 0, 1]);
  });
});

describe("cross-merchant", () => {
  it("merchant A cannot record on, or read payments of, B's invoice", async () => {
    const b = await makeMerchant(db(), "B");
    const bInv = await makeInvoice(db(), b.ownerActor);
    expect(await codeOf(notify(bInv.id, { providerRef: "sneaky" }))).toBe("not_found");
    expect(await codeOf(recordManualPayment(db(), owner, { invoiceId: bInv.id, amount: 100, method: "cash" }))).toBe("not_found");
    expect(await db().$count(payments, eq(payments.invoiceId, bInv.id))).toBe(0);
  });
});

describe("recordManualPayment", () => {
  it("reads a typed amount in the invoice's currency, and audits who recorded it", async () => {
    const inv = await makeInvoice(db(), owner, { amount: 10_000, currency: "BHD" });
    const r = await recordManualPayment(db(), owner, { invoiceId: inv.id, amount: "2.500", method: "bank_transfer", reference: "FT-1", note: "seen on statement" });
    expect([r.payment.amount, r.payment.serviceId, r.payment.recordedBy, r.invoice.paymentStatus]).toEqual([2_500, "manual", owner.userId, "partial"]);
    expect(await db().$count(auditLog, and(eq(auditLog.targetId, inv.id), eq(auditLog.action, "payment.recorded")))).toBe(1);
    const dup = await recordManualPayment(db(), owner, { invoiceId: inv.id, amount: "1", method: "cash", reference: "FT-1" }).then(unexpected, (e: unknown) => e as AppError);
    expect(dup.fields).toEqual({ reference: ["A payment with this reference is already recorded."] });
    const bad = await recordManualPayment(db(), owner, { invoiceId: inv.id, amount: "1.2345", method: "cash" }).then(unexpected, (e: unknown) => e as AppError);
    expect(bad.fields).toEqual({ amount: ["BHD amounts have at most 3 decimal places."] });
    const card = await codeOf(recordManualPayment(db(), owner, { invoiceId: inv.id, amount: 1, method: "card" as "cash" }));
    expect(card).toBe("validation_failed");
  });

  it("is for owners and admins only", async () => {
    const m = await makeMerchant(db());
    const inv = await makeInvoice(db(), m.ownerActor);
    for (const role of ["support", "viewer"] as const) {
      const { actor } = await m.addMember(role);
      expect(await codeOf(recordManualPayment(db(), actor, { invoiceId: inv.id, amount: 1, method: "cash" }))).toBe("forbidden");
    }
    const { actor } = await m.addMember("admin");
    expect(await codeOf(recordManualPayment(db(), actor, { invoiceId: inv.id, amount: 1, method: "cash" }))).toBe("ok");
  });
});

type Note = { ref: number; amount: number; status: "succeeded" | "failed" };

/** The ledger's rules as a pure fold: a ref's first report stands unless a success replaces a failure. */
function fold(amount: number, notes: Note[]) {
  const byRef = new Map<number, Note>();
  for (const n of notes) {
    const known = byRef.get(n.ref);
    if (!known || (known.status === "failed" && n.status === "succeeded")) byRef.set(n.ref, n);
  }
  const paid = [...byRef.values()].filter((n) => n.status === "succeeded").reduce((s, n) => s + n.amount, 0);
  return { paid, status: statusOf(amount, paid), payments: byRef.size };
}

describe("ledger property", () => {
  it("stored paid amount and status equal a pure fold over any notification sequence", async () => {
    // Few refs, so duplicates, failed→succeeded and succeeded→failed all come up often.
    const note = fc.record({ ref: fc.nat({ max: 5 }), amount: fc.integer({ min: 1, max: 600 }), status: fc.constantFrom("succeeded" as const, "failed" as const) });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2_000 }), fc.array(note, { maxLength: 12 }), async (amount, notes) => {
        const inv = await makeInvoice(db(), owner, { amount });
        for (const n of notes) await notify(inv.id, { providerRef: `${inv.id}-r${n.ref}`, amount: n.amount, status: n.status });
        const stored = await getInvoice(db(), { merchantId: owner.merchantId, id: inv.id });
        const expected = fold(amount, notes);
        expect({ paid: stored!.paidAmount, status: stored!.paymentStatus, payments: stored!.payments.length }).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });
});
