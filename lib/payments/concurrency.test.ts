import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openDb } from "@/db/client";
import { events, invoices, payments } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { createInvoice } from "@/lib/invoices/create";
import { countInvoicesByStatus, getInvoice } from "@/lib/invoices/queries";
import { onServerPostgres, useTestDb } from "@/test/db";
import { makeInvoice, makeMerchant } from "@/test/factories";
import { recordPayment } from "./record";

// PGlite is one connection in one process: calls there queue up, so races only exist on a server.
if (!onServerPostgres()) console.info("concurrency tests skipped: they need server Postgres (set DATABASE_URL)");

describe.runIf(onServerPostgres())("under concurrency (server Postgres)", () => {
  const { handle } = useTestDb();
  let pool: DbHandle;
  let owner: Actor;

  beforeAll(async () => {
    // Its own pool, wide enough that dozens of transactions really do overlap.
    pool = await openDb({ url: handle().url!, driver: "pg", poolMax: 40 });
    owner = (await makeMerchant(pool.db)).ownerActor;
  });
  afterAll(async () => {
    await pool?.close();
  });

  it("200 concurrent payments on one invoice add up exactly", async () => {
    const inv = await makeInvoice(pool.db, owner, { amount: 1_000_000 });
    const amounts = Array.from({ length: 200 }, (_, i) => 1_000 + i * 37);
    const results = await Promise.all(
      amounts.map((amount, i) =>
        recordPayment(pool.db, {
          merchantId: owner.merchantId,
          invoiceId: inv.id,
          serviceId: "sandbox",
          providerRef: `c-${i}`,
          amount,
          currency: "USD",
          method: "qr",
          status: "succeeded",
        }),
      ),
    );
    const sum = amounts.reduce((s, a) => s + a, 0);
    expect(results.every((r) => r.created)).toBe(true);
    const stored = await getInvoice(pool.db, { merchantId: owner.merchantId, id: inv.id });
    expect(stored!.paidAmount).toBe(sum);
    expect(stored!.paymentStatus).toBe(sum > 1_000_000 ? "extra" : "partial");
    expect(stored!.payments).toHaveLength(200);
    // Exactly one status-change event per status entered, however the calls interleaved.
    const types = (await pool.db.select({ type: events.type }).from(events).where(eq(events.invoiceId, inv.id))).map((e) => e.type);
    expect(types.filter((t) => t === "payment.succeeded")).toHaveLength(200);
    expect(types.filter((t) => t.startsWith("invoice.") && t !== "invoice.created").sort()).toEqual(
      ["invoice.overpaid", "invoice.paid", "invoice.partially_paid"].filter((t) => sum > 1_000_000 || t === "invoice.partially_paid").sort(),
    );
  });

  it("50 concurrent identical notifications record one payment", async () => {
    const inv = await makeInvoice(pool.db, owner, { amount: 5_000 });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        recordPayment(pool.db, {
          merchantId: owner.merchantId,
          invoiceId: inv.id,
          serviceId: "sandbox",
          providerRef: "same-txn",
          amount: 5_000,
          currency: "USD",
          method: "card",
          status: "succeeded",
        }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.payment.id)).size).toBe(1);
    expect(await pool.db.$count(payments, eq(payments.invoiceId, inv.id))).toBe(1);
    const stored = await getInvoice(pool.db, { merchantId: owner.merchantId, id: inv.id });
    expect([stored!.paidAmount, stored!.paymentStatus]).toEqual([5_000, "paid"]);
    expect(await pool.db.$count(events, eq(events.invoiceId, inv.id))).toBe(3);
  });

  it("100 concurrent creates are numbered 1..100 with no gap, and counted", async () => {
    const m = await makeMerchant(pool.db);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        createInvoice(pool.db, m.ownerActor, {
          currency: "VND",
          items: [{ name: "Phở", unitPrice: 50_000 + i, quantity: 1 }],
          customer: { name: `Guest ${i}` },
        }),
      ),
    );
    const numbers = (await pool.db.select({ n: invoices.number }).from(invoices).where(eq(invoices.merchantId, m.merchant.id))).map((r) => r.n);
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await countInvoicesByStatus(pool.db, { merchantId: m.merchant.id })).toMatchObject({ all: 100, unpaid: 100 });
  });
});
