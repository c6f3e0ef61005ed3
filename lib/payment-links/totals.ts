import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { paymentLinks, payments } from "@/db/schema";
import { statusOf } from "@/lib/payments/status";

/**
 * Called by recordPayment inside its transaction: a link's paid amount is the
 * sum of the succeeded payments made through it, and its status follows by
 * the same rule as an invoice's.
 */
export async function refreshLinkTotals(tx: Database, payment: { merchantId: string; paymentLinkId: string | null }): Promise<void> {
  const { merchantId, paymentLinkId } = payment;
  if (!paymentLinkId) return;
  const scope = and(eq(paymentLinks.merchantId, merchantId), eq(paymentLinks.id, paymentLinkId));
  const [link] = await tx.select({ amount: paymentLinks.amount }).from(paymentLinks).where(scope).for("update");
  if (!link) return;
  const [sum] = await tx
    .select({ paid: sql<string>`coalesce(sum(${payments.amount}), 0)` })
    .from(payments)
    .where(and(eq(payments.merchantId, merchantId), eq(payments.paymentLinkId, paymentLinkId), eq(payments.status, "succeeded")));
  const paid = Number(sum!.paid);
  await tx.update(paymentLinks).set({ paidAmount: paid, paymentStatus: statusOf(link.amount, paid) }).where(scope);
}
