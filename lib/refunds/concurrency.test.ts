import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openDb } from "@/db/client";
import { events, invoices, payments, refunds } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { recomputeRollups, storedRollups } from "@/lib/dashboard/rollups";
import { AppError } from "@/lib/errors";
import { listServices } from "@/lib/payment-services/services";
import { recordManualPayment } from "@/lib/payments/manual";
import { recordPayment } from "@/lib/payments/record";
import { onServerPostgres, useTestDb } from "@/test/db";
import { makeInvoice, makeMerchant } from "@/test/factories";
import { createRefund } from "./refunds";

// PGlite is one connection in one process: calls there queue up, so races only exist on a server.
if (!onServerPostgres()) console.info("refund concurrency tests skipped: they need server Postgres (set DATABASE_URL)");

describe.runIf(onServerPostgres())("refunds under concurrency (server Postgres)", () => {
  const { handle } = useTestDb();
  let pool: DbHandle;
  let owner: Actor;
  let sandboxId: string;

  beforeAll(async () => {
    // Its own pool, wide enough that the 50 requests really do overlap.
    pool = await openDb({ url: handle().url!, driver: "pg", poolMax: 50 });
    owner = (await makeMerchant(pool.db)).ownerActor;
    sandboxId = (await listServices(pool.db, owner.merchantId)).find((s) => s.kind === "sandbox")!.id;
  });
  afterAll(async () => {
    await pool?.close();
  });

  /** What each call ended as: its refund's status, or the error's code and field. */
  const outcomes = (calls: Promise<{ refund: { status: string } }>[]) =>
    Promise.all(
      calls.map((c) =>
        c.then(
          (r) => r.refund.status,
          (e: unknown) => (e instanceof AppError ? `${e.code}:${Object.keys(e.fields ?? {}).join(",")}` : `unexpected: ${String(e)}`),
        ),
      ),
    );
  const tally = (list: string[]) => list.reduce<Record<string, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

  it("50 concurrent refunds of one card payment never take more than the payment", async () => {
    const inv = await makeInvoice(pool.db, owner, { amount: 10_000 });
    const { payment } = await recordPayment(pool.db, {
      merchantId: owner.merchantId, invoiceId: inv.id, serviceId: sandboxId, providerRef: "race-card", amount: 10_000, currency: "USD", method: "card", status: "succeeded",
    });
    // 50 × 7.00 asked of a 100.00 payment.
    const got = await outcomes(Array.from({ length: 50 }, (_, i) => createRefund(pool.db, owner, { paymentId: payment.id, amount: 700, reason: `Race ${i}` })));
    const t = tally(got);
    expect(t).toEqual({ succeeded: 14, "validation_failed:amount": 36 });
    const [after] = await pool.db.select().from(payments).where(eq(payments.id, payment.id));
    const rows = await pool.db.select().from(refunds).where(eq(refunds.paymentId, payment.id));
    const succeeded = rows.filter((r) => r.status === "succeeded");
    // As many as fit: 14 × 7.00 = 98.00 of 100.00.
    expect(succeeded.length).toBe(14);
    expect(t.succeeded).toBe(14);
    expect([after!.refundedAmount, after!.refundPendingAmount]).toEqual([9_800, 0]);
    expect(rows.filter((r) => r.status === "pending")).toEqual([]);
    const [invoice] = await pool.db.select().from(invoices).where(eq(invoices.id, inv.id));
    expect([invoice!.refundedAmount, invoice!.paymentStatus]).toEqual([9_800, "paid"]);
    // One refund.created per refund made, one ending per refund.
    const types = (await pool.db.select().from(events).where(eq(events.invoiceId, inv.id))).map((e) => e.type);
    expect(types.filter((x) => x === "refund.created").length).toBe(rows.length);
    expect(types.filter((x) => x === "refund.succeeded").length).toBe(14);
    expect(await storedRollups(pool.db, { merchantId: owner.merchantId })).toEqual(await recomputeRollups(pool.db, { merchantId: owner.merchantId }));
  });

  it("refunds that fail while others race hold their share only while pending, and give it back", async () => {
    const inv = await makeInvoice(pool.db, owner, { amount: 10_000 });
    const { payment } = await recordPayment(pool.db, {
      merchantId: owner.merchantId, invoiceId: inv.id, serviceId: sandboxId, providerRef: "race-fail", amount: 10_000, currency: "USD", method: "card", status: "succeeded",
    });
    // Every other one is made to fail: which others fit then depends on timing, never the total.
    const got = await outcomes(
      Array.from({ length: 50 }, (_, i) => createRefund(pool.db, owner, { paymentId: payment.id, amount: 700, reason: `Race ${i}`, simulate: i % 2 ? "fail" : "succeed" })),
    );
    const t = tally(got);
    expect(t.failed).toBeGreaterThan(0);
    expect(t.succeeded! * 700).toBeLessThanOrEqual(10_000);
    const [after] = await pool.db.select().from(payments).where(eq(payments.id, payment.id));
    expect([after!.refundedAmount, after!.refundPendingAmount]).toEqual([t.succeeded! * 700, 0]);
    // What the failures held is free again: the rest refunds exactly.
    const rest = await createRefund(pool.db, owner, { paymentId: payment.id, reason: "The rest" });
    expect(rest.refund.amount).toBe(10_000 - t.succeeded! * 700);
    expect(rest.invoice.refundedAmount).toBe(10_000);
  });

  it("50 concurrent hand-recorded refunds of one transfer, ten of them repeating a reference, record each reference once", async () => {
    const inv = await makeInvoice(pool.db, owner, { amount: 5_000 });
    const { payment } = await recordManualPayment(pool.db, owner, { invoiceId: inv.id, amount: 5_000, method: "bank_transfer", reference: "race-transfer" });
    const got = await outcomes(
      Array.from({ length: 50 }, (_, i) => createRefund(pool.db, owner, { paymentId: payment.id, amount: 300, reason: "Back", reference: `back-${i % 40}` })),
    );
    const rows = await pool.db.select().from(refunds).where(eq(refunds.paymentId, payment.id));
    // 16 × 3.00 fit in 50.00; no reference twice.
    expect(rows.length).toBe(16);
    expect(new Set(rows.map((r) => r.providerRef)).size).toBe(16);
    expect(tally(got).succeeded).toBe(16);
    const [after] = await pool.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(after!.refundedAmount).toBe(4_800);
  });
});
