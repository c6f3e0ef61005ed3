import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { queueWrite } from "@/db/transaction";
import { type Invoice, invoices, merchantCounters, type Payment, payments, type Refund, refunds } from "@/db/schema";
import { rollInvoiceChange, rollRefund } from "@/lib/dashboard/rollups";
import { AppError } from "@/lib/errors";
import { refreshInvoiceLinks } from "@/lib/payment-links/totals";
import { statusOf } from "@/lib/payments/status";
import { type CountedTab, tabColumns, tabOf } from "./counters";

/** One change to an invoice, as the three write paths (create, void, the ledger) make it. */
export type InvoiceChange =
  | { kind: "created"; invoice: Invoice }
  | { kind: "voided"; before: Invoice; invoice: Invoice }
  /** A payment was inserted, or a failed one became succeeded; `before` is the invoice as locked. */
  | { kind: "payment"; before: Invoice; payment: Payment }
  /** A refund succeeded; `before` is the invoice as locked. Its payment status stays: it says what was paid. */
  | { kind: "refund"; before: Invoice; refund: Refund };

/**
 * The only place that moves an invoice's derived state and everything kept in
 * step with it: its paid amount and payment status (from the ledger), the tab
 * counts (a new invoice's with its number, numberNewInvoice below), its
 * payment links (what each still asks; closed once nothing is owed) and the
 * dashboard rollups. Call it in the transaction that made the change, with
 * the invoice row locked (or just inserted); it returns the invoice as it now
 * is.
 *
 * Lock order: invoice, its payment links, then merchant_counters and the rollup
 * rows, which every change of the merchant shares: those are written with the
 * COMMIT (queueWrite), so they are held for the commit's round trip only, and
 * always equal a count of the committed rows.
 */
export async function applyInvoiceChange(tx: Database, change: InvoiceChange): Promise<Invoice> {
  switch (change.kind) {
    case "created":
      // Counted under Unpaid by the statement that numbered it (numberNewInvoice).
      await rollInvoiceChange(tx, { before: null, after: change.invoice, at: change.invoice.createdAt });
      return change.invoice;
    case "voided":
      await refreshInvoiceLinks(tx, change.invoice);
      await countTabs(tx, change.invoice.merchantId, tabOf(change.before), tabOf(change.invoice));
      await rollInvoiceChange(tx, { before: change.before, after: change.invoice, at: change.invoice.voidedAt ?? new Date() });
      return change.invoice;
    case "payment":
      return applyPayment(tx, change.before, change.payment);
    case "refund":
      return applyRefund(tx, change.before, change.refund);
  }
}

/**
 * Refunded (and so net) from the ledger's succeeded refunds, and the day's
 * rollup. Nothing else moves: the invoice keeps its payment status, its tab
 * and what it owes, so a refund never makes it payable again.
 */
async function applyRefund(tx: Database, before: Invoice, refund: Refund): Promise<Invoice> {
  const { merchantId, id: invoiceId } = before;
  const refunded = sql`(select coalesce(sum(${refunds.amount}), 0) from ${refunds}
    where ${refunds.merchantId} = ${merchantId} and ${refunds.invoiceId} = ${invoiceId} and ${refunds.status} = 'succeeded')`;
  const [after] = await tx
    .update(invoices)
    .set({ refundedAmount: refunded })
    .where(and(eq(invoices.merchantId, merchantId), eq(invoices.id, invoiceId)))
    .returning();
  await rollRefund(tx, { merchantId, currency: before.currency, at: refund.settledAt ?? new Date(), amount: refund.amount });
  return after!;
}

async function applyPayment(tx: Database, before: Invoice, payment: Payment): Promise<Invoice> {
  const { merchantId, id: invoiceId } = before;
  const [sum] = await tx
    .select({ paid: sql<string>`coalesce(sum(${payments.amount}), 0)` })
    .from(payments)
    .where(and(eq(payments.merchantId, merchantId), eq(payments.invoiceId, invoiceId), eq(payments.status, "succeeded")));
  const paid = Number(sum!.paid);
  if (!Number.isSafeInteger(paid)) throw new AppError("validation_failed", "The paid total would be too large.");
  // Money that lands on a void invoice is kept, and flagged for a person to look at.
  const landedOnVoid = before.status === "void" && payment.status === "succeeded";
  const [after] = await tx
    .update(invoices)
    .set({ paidAmount: paid, paymentStatus: statusOf(before.amount, paid), needsReview: before.needsReview || landedOnVoid })
    .where(and(eq(invoices.merchantId, merchantId), eq(invoices.id, invoiceId)))
    .returning();
  const invoice = after!;
  await refreshInvoiceLinks(tx, invoice, payment.paymentLinkId);
  await countTabs(tx, merchantId, tabOf(before), tabOf(invoice));
  await rollInvoiceChange(tx, {
    before,
    after: invoice,
    at: payment.updatedAt,
    collected: payment.status === "succeeded" ? payment.amount : 0,
  });
  return invoice;
}

/**
 * Takes the merchant's next invoice number and counts the new invoice under
 * Unpaid, in one upsert. It holds the counters row until COMMIT, so
 * concurrent creates queue up and a rolled-back create gives its number back:
 * no gap, no duplicate. The invoice's insert reads the number with
 * `invoiceNumberTaken`.
 */
export const numberNewInvoice = (tx: Database, merchantId: string) =>
  tx
    .insert(merchantCounters)
    .values({ merchantId, invoiceSeq: 1, unpaidCount: 1 })
    .onConflictDoUpdate({
      target: merchantCounters.merchantId,
      set: { invoiceSeq: sql`${merchantCounters.invoiceSeq} + 1`, unpaidCount: sql`${merchantCounters.unpaidCount} + 1` },
    });

/** The number numberNewInvoice just took, for the invoice's insert in the same transaction. */
export const invoiceNumberTaken = (merchantId: string) =>
  sql<number>`(select ${merchantCounters.invoiceSeq} from ${merchantCounters} where ${eq(merchantCounters.merchantId, merchantId)})`;

/** Moves one invoice between tab counts, with the commit. */
async function countTabs(tx: Database, merchantId: string, from: CountedTab, to: CountedTab): Promise<void> {
  if (from === to) return;
  const set = { [`${to}Count`]: sql`${tabColumns[to]} + 1`, [`${from}Count`]: sql`${tabColumns[from]} - 1` };
  await queueWrite(tx, merchantCounters, tx.update(merchantCounters).set(set).where(eq(merchantCounters.merchantId, merchantId)));
}
