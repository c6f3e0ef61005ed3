import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { queueWrite, transaction } from "@/db/transaction";
import { type DashboardDay, dashboardDaily, type DashboardOutstanding, dashboardOutstanding, type Invoice } from "@/db/schema";
import { rowsOf } from "@/db/rows";
import { utcDay } from "./period";

type InvoiceState = Pick<Invoice, "merchantId" | "currency" | "amount" | "paidAmount" | "paymentStatus" | "status">;

/** What an invoice adds to its currency's outstanding total: open and unpaid or partial ones owe the rest. */
export function outstandingOf(inv: InvoiceState): { amount: number; invoices: number } {
  const owing = inv.status === "open" && (inv.paymentStatus === "unpaid" || inv.paymentStatus === "partial");
  return owing ? { amount: inv.amount - inv.paidAmount, invoices: 1 } : { amount: 0, invoices: 0 };
}

const reachedPaid = (inv: InvoiceState) => inv.paymentStatus === "paid" || inv.paymentStatus === "extra";

/**
 * Moves the dashboard rollups by one invoice change. Call it in the
 * transaction that made the change, last (in a transaction of
 * db/transaction.ts the rows are written with the commit): the invoice row and the counters
 * are locked first, and the rollup rows (shared by every change of the
 * merchant in a currency) are held only until commit. Lock order: invoice,
 * merchant_counters, payment link, dashboard_daily, dashboard_outstanding.
 * The rollups then always equal a recomputation from the committed rows.
 * - `before` null: the invoice was just created.
 * - `at`: when the change counts (the new invoice's created_at, or the payment's updated_at).
 * - `collected`: money that became succeeded in this change.
 */
export async function rollInvoiceChange(
  tx: Database,
  { before, after, at, collected = 0 }: { before: InvoiceState | null; after: InvoiceState; at: Date; collected?: number },
): Promise<void> {
  const { merchantId, currency } = after;
  const invoicesCreated = before ? 0 : 1;
  // Paid amounts only grow, so an invoice crosses into paid once; a void one never counts as paid.
  const invoicesPaid = after.status === "open" && reachedPaid(after) && !(before && reachedPaid(before)) ? 1 : 0;
  if (collected || invoicesCreated || invoicesPaid) {
    await queueWrite(
      tx,
      dashboardDaily,
      tx
        .insert(dashboardDaily)
        .values({ merchantId, currency, day: utcDay(at), collected, invoicesCreated, invoicesPaid })
        .onConflictDoUpdate({
          target: [dashboardDaily.merchantId, dashboardDaily.currency, dashboardDaily.day],
          set: {
            collected: sql`${dashboardDaily.collected} + excluded.collected`,
            invoicesCreated: sql`${dashboardDaily.invoicesCreated} + excluded.invoices_created`,
            invoicesPaid: sql`${dashboardDaily.invoicesPaid} + excluded.invoices_paid`,
          },
        }),
    );
  }
  const was = before ? outstandingOf(before) : { amount: 0, invoices: 0 };
  const now = outstandingOf(after);
  const amount = now.amount - was.amount;
  const invoices = now.invoices - was.invoices;
  if (amount < 0 || invoices < 0) {
    // The row exists (an earlier change put this much in), and an upsert would check its negative insert row first.
    await queueWrite(
      tx,
      dashboardOutstanding,
      tx
        .update(dashboardOutstanding)
        .set({ amount: sql`${dashboardOutstanding.amount} + ${amount}`, invoices: sql`${dashboardOutstanding.invoices} + ${invoices}` })
        .where(and(eq(dashboardOutstanding.merchantId, merchantId), eq(dashboardOutstanding.currency, currency))),
    );
  } else if (amount || invoices) {
    await queueWrite(
      tx,
      dashboardOutstanding,
      tx
        .insert(dashboardOutstanding)
        .values({ merchantId, currency, amount, invoices })
        .onConflictDoUpdate({
          target: [dashboardOutstanding.merchantId, dashboardOutstanding.currency],
          set: {
            amount: sql`${dashboardOutstanding.amount} + excluded.amount`,
            invoices: sql`${dashboardOutstanding.invoices} + excluded.invoices`,
          },
        }),
    );
  }
}

/**
 * A refund that succeeded counts against the money collected on the day it
 * succeeded (the refund's settled_at): written with the commit, like the rest.
 */
export async function rollRefund(tx: Database, { merchantId, currency, at, amount }: { merchantId: string; currency: string; at: Date; amount: number }): Promise<void> {
  await queueWrite(
    tx,
    dashboardDaily,
    tx
      .insert(dashboardDaily)
      .values({ merchantId, currency, day: utcDay(at), refunded: amount })
      .onConflictDoUpdate({
        target: [dashboardDaily.merchantId, dashboardDaily.currency, dashboardDaily.day],
        set: { refunded: sql`${dashboardDaily.refunded} + excluded.refunded` },
      }),
  );
}

/**
 * The rollups recomputed from the raw tables (full scans: for rebuilds and
 * tests, never for a page view). A day's paid count comes from the first
 * `invoice.paid` / `invoice.overpaid` event, written in the transaction that
 * crossed, so it carries the same timestamp the ledger counted.
 */
function recomputedDaily(merchantId: string) {
  return sql`
    select merchant_id, currency, day, sum(collected)::bigint as collected, sum(refunded)::bigint as refunded,
           sum(created)::int as invoices_created, sum(paid)::int as invoices_paid
    from (
      select merchant_id, currency, (created_at at time zone 'UTC')::date as day, 0::bigint as collected, 0::bigint as refunded, 1 as created, 0 as paid
        from invoices where merchant_id = ${merchantId}
      union all
      select merchant_id, currency, (updated_at at time zone 'UTC')::date, amount, 0, 0, 0
        from payments where merchant_id = ${merchantId} and status = 'succeeded'
      union all
      select merchant_id, currency, (settled_at at time zone 'UTC')::date, 0, amount, 0, 0
        from refunds where merchant_id = ${merchantId} and status = 'succeeded'
      union all
      select i.merchant_id, i.currency, (min(e.created_at) at time zone 'UTC')::date, 0, 0, 0, 1
        from invoices i
        join events e on e.merchant_id = i.merchant_id and e.invoice_id = i.id and e.type in ('invoice.paid', 'invoice.overpaid')
        where i.merchant_id = ${merchantId} and i.status = 'open'
        group by i.merchant_id, i.currency, i.id
    ) x
    group by merchant_id, currency, day`;
}

function recomputedOutstanding(merchantId: string) {
  return sql`
    select merchant_id, currency, sum(amount - paid_amount)::bigint as amount, count(*)::int as invoices
    from invoices
    where merchant_id = ${merchantId} and status = 'open' and payment_status in ('unpaid', 'partial')
    group by merchant_id, currency`;
}

const recomputedDayRow = z.object({
  merchant_id: z.string(),
  currency: z.string(),
  day: z.union([z.date(), z.string()]),
  collected: z.coerce.number(),
  refunded: z.coerce.number(),
  invoices_created: z.coerce.number(),
  invoices_paid: z.coerce.number(),
});
const recomputedOutstandingRow = z.object({ merchant_id: z.string(), currency: z.string(), amount: z.coerce.number(), invoices: z.coerce.number() });

export async function recomputeRollups(db: Database, { merchantId }: { merchantId: string }) {
  const [daily, outstanding] = await Promise.all([
    db.execute(sql`${recomputedDaily(merchantId)} order by currency, day`),
    db.execute(sql`${recomputedOutstanding(merchantId)} order by currency`),
  ]);
  return {
    daily: rowsOf(daily, recomputedDayRow).map(
      (r): DashboardDay => ({
        merchantId: r.merchant_id,
        currency: r.currency,
        day: dayString(r.day),
        collected: r.collected,
        refunded: r.refunded,
        invoicesCreated: r.invoices_created,
        invoicesPaid: r.invoices_paid,
      }),
    ),
    outstanding: rowsOf(outstanding, recomputedOutstandingRow).map(
      (r): DashboardOutstanding => ({ merchantId: r.merchant_id, currency: r.currency, amount: r.amount, invoices: r.invoices }),
    ),
  };
}

/** A date column comes back as a string from pg and as a Date from PGlite. */
const dayString = (v: unknown) => (v instanceof Date ? utcDay(v) : String(v));

/** The stored rollups, without the rows that went back to zero, in recomputeRollups' order. */
export async function storedRollups(db: Database, { merchantId }: { merchantId: string }) {
  const [daily, outstanding] = await Promise.all([
    db.select().from(dashboardDaily).where(eq(dashboardDaily.merchantId, merchantId)).orderBy(dashboardDaily.currency, dashboardDaily.day),
    db.select().from(dashboardOutstanding).where(eq(dashboardOutstanding.merchantId, merchantId)).orderBy(dashboardOutstanding.currency),
  ]);
  return {
    daily: daily.filter((d) => d.collected || d.refunded || d.invoicesCreated || d.invoicesPaid),
    outstanding: outstanding.filter((o) => o.amount || o.invoices),
  };
}

/**
 * Replaces a merchant's rollups with a recomputation, in one transaction.
 * For data written around the ledger: the demo seed, which dates its history
 * back after writing it through the domain functions.
 */
export async function rebuildRollups(db: Database, { merchantId }: { merchantId: string }): Promise<void> {
  await transaction(db, async (tx) => {
    await tx.delete(dashboardDaily).where(eq(dashboardDaily.merchantId, merchantId));
    await tx.delete(dashboardOutstanding).where(eq(dashboardOutstanding.merchantId, merchantId));
    await tx.execute(sql`
      insert into dashboard_daily (merchant_id, currency, day, collected, refunded, invoices_created, invoices_paid)
      ${recomputedDaily(merchantId)}`);
    await tx.execute(sql`
      insert into dashboard_outstanding (merchant_id, currency, amount, invoices)
      ${recomputedOutstanding(merchantId)}`);
  });
}
