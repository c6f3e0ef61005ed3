import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openDb } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { voidInvoice } from "@/lib/invoices/void";
import { recordPayment } from "@/lib/payments/record";
import { statusOf } from "@/lib/payments/status";
import { openRefund, settleRefund } from "@/lib/refunds/ledger";
import { eq } from "drizzle-orm";
import { invoices, payments, refunds } from "@/db/schema";
import { createMerchant } from "@/lib/accounts/users";
import { onServerPostgres, useTestDb } from "@/test/db";
import { makeInvoice, makeMerchant, makeUser } from "@/test/factories";
import { recomputeRollups, storedRollups } from "./rollups";

const { db, handle } = useTestDb();

const currencies = ["USD", "VND", "KWD"] as const;
const SHARED_REF = 2;

type Op =
  | { kind: "create"; merchant: number; currency: (typeof currencies)[number]; amount: number }
  | { kind: "pay"; merchant: number; invoice: number; amount: number; ref: number; status: "succeeded" | "failed"; service: "sandbox" | "manual" }
  | { kind: "void"; merchant: number; invoice: number }
  | { kind: "refund"; merchant: number; payment: number; amount: number; status: "pending" | "succeeded" | "failed"; ref: number }
  | { kind: "settle"; merchant: number; refund: number; status: "succeeded" | "failed" };

const create = fc.record({
  kind: fc.constant("create" as const),
  merchant: fc.nat(1),
  currency: fc.constantFrom(...currencies),
  amount: fc.integer({ min: 1, max: 50_000 }),
});
// Few provider references per invoice: repeats are duplicates, or a failure followed by its success; the last one is shared by every invoice.
const pay = fc.record({
  kind: fc.constant("pay" as const),
  merchant: fc.nat(1),
  invoice: fc.nat(4),
  amount: fc.integer({ min: 1, max: 40_000 }),
  ref: fc.nat(SHARED_REF),
  status: fc.constantFrom("succeeded" as const, "failed" as const),
  service: fc.constantFrom("sandbox" as const, "manual" as const),
});
const voidOp = fc.record({ kind: fc.constant("void" as const), merchant: fc.nat(1), invoice: fc.nat(4) });
// Refunds: often more than is left (refused), a gateway's refund id seen twice (a no-op), pending ones ended later either way.
const refundOp = fc.record({
  kind: fc.constant("refund" as const),
  merchant: fc.nat(1),
  payment: fc.nat(6),
  amount: fc.integer({ min: 1, max: 30_000 }),
  status: fc.constantFrom("pending" as const, "succeeded" as const, "failed" as const),
  ref: fc.nat(3),
});
const settleOp = fc.record({
  kind: fc.constant("settle" as const),
  merchant: fc.nat(1),
  refund: fc.nat(6),
  status: fc.constantFrom("succeeded" as const, "failed" as const),
});
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: create, weight: 3 },
  { arbitrary: pay, weight: 6 },
  { arbitrary: voidOp, weight: 1 },
  { arbitrary: refundOp, weight: 4 },
  { arbitrary: settleOp, weight: 2 },
);

describe("dashboard rollups", () => {
  let userId: string;
  beforeAll(async () => {
    userId = (await makeUser(db(), "Owner")).id;
  });
  /** Two fresh merchants per run, so a counterexample stands on its own. */
  async function twoMerchants(): Promise<Actor[]> {
    const made = [await createMerchant(db(), { name: "A", ownerId: userId }), await createMerchant(db(), { name: "B", ownerId: userId })];
    return made.map((m) => ({ userId, merchantId: m.testId, accountId: m.id, livemode: false, role: "owner" }));
  }

  it("always equal a recomputation from invoices, payments, refunds and events, whatever the sequence of creates, payments, voids and refunds", async () => {
    let run = 0;
    let busiest = { collected: 0, paid: 0, owed: 0, refunded: 0 };
    const seen = { voided: 0, duplicate: 0, failedThenSucceeded: 0, refundRefused: 0, refundRepeated: 0, refundSettled: 0, refundPending: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30, size: "medium" }), async (ops) => {
        run++;
        const owners = await twoMerchants();
        const made: { merchant: number; id: string; currency: string }[] = [];
        const paid: { merchant: number; id: string }[] = [];
        const opened: { merchant: number; id: string }[] = [];
        for (const o of ops) {
          const owner = owners[o.merchant]!;
          if (o.kind === "refund" || o.kind === "settle") {
            const pool = (o.kind === "refund" ? paid : opened).filter((m) => m.merchant === o.merchant);
            const target = pool[(o.kind === "refund" ? o.payment : o.refund) % Math.max(pool.length, 1)];
            if (!target) continue;
            try {
              if (o.kind === "refund") {
                const r = await openRefund(db(), {
                  merchantId: owner.merchantId,
                  paymentId: target.id,
                  amount: o.amount,
                  reason: "Property",
                  status: o.status,
                  providerRef: `run${run}-${target.id}-re${o.ref}`,
                });
                if (!r.created) seen.refundRepeated++;
                else if (o.status === "pending") {
                  seen.refundPending++;
                  opened.push({ merchant: o.merchant, id: r.refund.id });
                }
              } else {
                if ((await settleRefund(db(), { merchantId: owner.merchantId, refundId: target.id, status: o.status })).changed) seen.refundSettled++;
              }
            } catch (err) {
              // More than is left: refused, and nothing changes.
              if (!(err instanceof AppError) || err.code !== "validation_failed") throw err;
              seen.refundRefused++;
            }
            continue;
          }
          if (o.kind === "create") {
            const inv = await makeInvoice(db(), owner, { amount: o.amount, currency: o.currency });
            made.push({ merchant: o.merchant, id: inv.id, currency: inv.currency });
            continue;
          }
          const mine = made.filter((m) => m.merchant === o.merchant);
          const target = mine[o.invoice % Math.max(mine.length, 1)];
          if (!target) continue;
          try {
            if (o.kind === "void") {
              await voidInvoice(db(), owner, { invoiceId: target.id });
              seen.voided++;
            } else {
              const r = await recordPayment(db(), {
                merchantId: owner.merchantId,
                invoiceId: target.id,
                serviceId: o.service,
                providerRef: o.ref === SHARED_REF ? `run${run}-shared` : `${target.id}-ref${o.ref}`,
                amount: o.amount,
                currency: target.currency as (typeof currencies)[number],
                method: "qr",
                status: o.status,
              });
              if (!r.changed) seen.duplicate++;
              if (!r.created && r.changed) seen.failedThenSucceeded++;
              if (r.payment.status === "succeeded" && !paid.some((p) => p.id === r.payment.id)) paid.push({ merchant: o.merchant, id: r.payment.id });
            }
          } catch (err) {
            // Refused writes (voiding a paid invoice, a reference already on another invoice) must change nothing.
            if (!(err instanceof AppError) || err.code !== "conflict") throw err;
          }
        }
        for (const owner of owners) {
          const stored = await storedRollups(db(), { merchantId: owner.merchantId });
          const recomputed = await recomputeRollups(db(), { merchantId: owner.merchantId });
          expect(stored.daily).toEqual(recomputed.daily);
          expect(stored.outstanding).toEqual(recomputed.outstanding);
          await expectRefundSums(owner.merchantId);
          busiest = {
            refunded: Math.max(busiest.refunded, ...stored.daily.map((d) => d.refunded)),
            collected: Math.max(busiest.collected, ...stored.daily.map((d) => d.collected)),
            paid: Math.max(busiest.paid, ...stored.daily.map((d) => d.invoicesPaid)),
            owed: Math.max(busiest.owed, ...stored.outstanding.map((o) => o.amount)),
          };
        }
      }),
      {
        numRuns: 50,
        // One sequence that walks every refund path, so the coverage check below never rests on chance.
        examples: [
          [
            [
              { kind: "create", merchant: 0, currency: "USD", amount: 10_000 },
              { kind: "pay", merchant: 0, invoice: 0, amount: 10_000, ref: 0, status: "succeeded", service: "sandbox" },
              { kind: "refund", merchant: 0, payment: 0, amount: 3_000, status: "pending", ref: 0 },
              { kind: "refund", merchant: 0, payment: 0, amount: 3_000, status: "pending", ref: 0 },
              { kind: "refund", merchant: 0, payment: 0, amount: 9_000, status: "succeeded", ref: 1 },
              { kind: "settle", merchant: 0, refund: 0, status: "succeeded" },
              { kind: "refund", merchant: 0, payment: 0, amount: 2_000, status: "pending", ref: 2 },
              { kind: "settle", merchant: 0, refund: 1, status: "failed" },
            ],
          ],
        ],
      },
    );
    // The runs wrote something worth comparing: money in, invoices paid, money still owed.
    expect(busiest.collected).toBeGreaterThan(0);
    expect(busiest.paid).toBeGreaterThan(0);
    expect(busiest.owed).toBeGreaterThan(0);
    expect(busiest.refunded).toBeGreaterThan(0);
    expect(seen).toSatisfy((s: Record<string, number>) => Object.values(s).every((n) => n > 0));
  });

  /**
   * The ledger's sums, recounted: each payment's refunded and pending totals are
   * its refunds' and never more than it; each invoice's refunded is its
   * succeeded refunds'; its payment status still says what was paid.
   */
  async function expectRefundSums(merchantId: string) {
    const [pays, refs, invs] = await Promise.all([
      db().select().from(payments).where(eq(payments.merchantId, merchantId)),
      db().select().from(refunds).where(eq(refunds.merchantId, merchantId)),
      db().select().from(invoices).where(eq(invoices.merchantId, merchantId)),
    ]);
    const sum = (rows: typeof refs) => rows.reduce((n, r) => n + r.amount, 0);
    for (const p of pays) {
      const mine = refs.filter((r) => r.paymentId === p.id);
      expect([p.refundedAmount, p.refundPendingAmount]).toEqual([sum(mine.filter((r) => r.status === "succeeded")), sum(mine.filter((r) => r.status === "pending"))]);
      expect(p.refundedAmount + p.refundPendingAmount).toBeLessThanOrEqual(p.status === "succeeded" ? p.amount : 0);
    }
    for (const inv of invs) {
      expect(inv.refundedAmount).toBe(sum(refs.filter((r) => r.invoiceId === inv.id && r.status === "succeeded")));
      expect(inv.paymentStatus).toBe(statusOf(inv.amount, inv.paidAmount));
    }
  }
});

if (!onServerPostgres()) console.info("rollups under concurrency skipped: it needs server Postgres (set DATABASE_URL)");

describe.runIf(onServerPostgres())("dashboard rollups under concurrency (server Postgres)", () => {
  let pool: DbHandle;
  beforeAll(async () => {
    // Its own pool, wide enough that the transactions really do overlap on the same rollup rows.
    pool = await openDb({ url: handle().url!, driver: "pg", poolMax: 30 });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it("stay equal to a recomputation when creates, payments and voids of one merchant overlap", async () => {
    const { ownerActor: owner } = await makeMerchant(pool.db);
    const first = await Promise.all(Array.from({ length: 10 }, () => makeInvoice(pool.db, owner, { amount: 10_000 })));
    const pay = (invoiceId: string, ref: string, amount: number, status: "succeeded" | "failed" = "succeeded") =>
      recordPayment(pool.db, { merchantId: owner.merchantId, invoiceId, serviceId: "sandbox", providerRef: ref, amount, currency: "USD", method: "qr", status });
    await Promise.all([
      ...Array.from({ length: 10 }, () => makeInvoice(pool.db, owner, { amount: 5_000 })),
      ...first.slice(0, 8).flatMap((inv, i) => [pay(inv.id, `a${i}`, 4_000), pay(inv.id, `b${i}`, 6_000, i % 2 ? "failed" : "succeeded"), pay(inv.id, `b${i}`, 6_000)]),
      ...first.slice(8).map((inv) => voidInvoice(pool.db, owner, { invoiceId: inv.id })),
    ]);
    const stored = await storedRollups(pool.db, { merchantId: owner.merchantId });
    expect(stored).toEqual(await recomputeRollups(pool.db, { merchantId: owner.merchantId }));
    // 8 paid in full, 10 new ones unpaid, 2 void: what is owed is the 10 new ones.
    expect(stored.outstanding).toEqual([{ merchantId: owner.merchantId, currency: "USD", amount: 50_000, invoices: 10 }]);
    expect(stored.daily.reduce((n, d) => n + d.invoicesPaid, 0)).toBe(8);
    expect(stored.daily.reduce((n, d) => n + d.collected, 0)).toBe(80_000);
  });
});
