import { and, eq, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { type Invoice, paymentLinks, payments } from "@/db/schema";
import { statusOf } from "@/lib/payments/status";

/** What an invoice still owes: nothing once it is void. */
export const owedOn = (invoice: Pick<Invoice, "status" | "amount" | "paidAmount">) =>
  invoice.status === "void" ? 0 : Math.max(0, invoice.amount - invoice.paidAmount);

/**
 * Keeps an invoice's payment links in step with it; called by
 * applyInvoiceChange, in its transaction, with the invoice locked and as it
 * now is. A link is one way to pay the invoice, so:
 * - the link a payment came through (`paymentLinkId`) gets its paid amount
 *   from the succeeded payments made through it, whatever its lifecycle: a
 *   late payment is recorded like any other;
 * - every active link asks for no more than the invoice still owes: its
 *   amount drops to what it has received plus what the invoice owes. It never
 *   rises again: nothing makes an invoice owe more than it did;
 * - once the invoice owes nothing (paid by any route, or void), an active
 *   link that received nothing is canceled with that reason: its checkout
 *   says why, and money still sent through it is recorded as late, and extra.
 * A link's payment status follows by the invoice's rule (statusOf).
 */
export async function refreshInvoiceLinks(tx: Database, invoice: Invoice, paymentLinkId?: string | null): Promise<void> {
  const { merchantId, id: invoiceId } = invoice;
  const links = await tx
    .select()
    .from(paymentLinks)
    .where(
      and(
        eq(paymentLinks.merchantId, merchantId),
        eq(paymentLinks.invoiceId, invoiceId),
        or(eq(paymentLinks.status, "active"), paymentLinkId ? eq(paymentLinks.id, paymentLinkId) : undefined),
      ),
    )
    .orderBy(paymentLinks.id)
    .for("update");
  if (!links.length) return;
  const owed = owedOn(invoice);
  const now = new Date();
  for (const link of links) {
    const paid = link.id === paymentLinkId ? await paidThrough(tx, merchantId, link.id) : link.paidAmount;
    const active = link.status === "active";
    const amount = active ? Math.min(link.amount, paid + owed) : link.amount;
    const closes = active && owed === 0 && paid === 0;
    const next = {
      amount,
      paidAmount: paid,
      paymentStatus: statusOf(amount, paid),
      ...(closes ? { status: "canceled" as const, canceledAt: now, cancellationReason: invoice.status === "void" ? ("invoice_void" as const) : ("invoice_paid" as const) } : {}),
    };
    if (!closes && next.amount === link.amount && next.paidAmount === link.paidAmount && next.paymentStatus === link.paymentStatus) continue;
    await tx.update(paymentLinks).set(next).where(and(eq(paymentLinks.merchantId, merchantId), eq(paymentLinks.id, link.id)));
  }
}

async function paidThrough(tx: Database, merchantId: string, paymentLinkId: string): Promise<number> {
  const [sum] = await tx
    .select({ paid: sql<string>`coalesce(sum(${payments.amount}), 0)` })
    .from(payments)
    .where(and(eq(payments.merchantId, merchantId), eq(payments.paymentLinkId, paymentLinkId), eq(payments.status, "succeeded")));
  return Number(sum!.paid);
}
