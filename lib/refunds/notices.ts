import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { type PaymentService, payments, refunds } from "@/db/schema";
import type { RefundNotice } from "@/lib/connectors/types";
import { type CurrencyCode, formatAmount } from "@/lib/money";
import { openRefund, type RefundResult, settleRefund } from "./ledger";

export type NoticeResult = RefundResult & { changed: boolean; note?: string };

/**
 * What a gateway's refund notification does to the ledger, in the caller's
 * transaction: it ends the refund it names (by the gateway's refund id, or
 * the Settle id the gateway echoes, or the one pending refund of that amount
 * on the payment it names, still without the gateway's id), or records a
 * refund made in the gateway's own portal on that payment. A refund id seen
 * before is a no-op. Null: nothing of this service matches.
 */
export async function recordRefundNotice(tx: Database, service: PaymentService, notice: RefundNotice): Promise<NoticeResult | null> {
  const merchantId = service.merchantId;
  const byService = and(eq(refunds.merchantId, merchantId), eq(refunds.serviceId, service.id));
  const [payment] = notice.paymentRef
    ? await tx
        .select()
        .from(payments)
        .where(and(eq(payments.merchantId, merchantId), eq(payments.serviceId, service.id), eq(payments.providerRef, notice.paymentRef)))
    : [];
  // One look, in order of trust: the gateway's refund id, then the Settle id it echoes, then the one pending refund it must be.
  const byGatewayId = eq(refunds.providerRef, notice.providerRef);
  const byReference = notice.reference ? eq(refunds.id, notice.reference) : undefined;
  const waiting = payment
    ? and(eq(refunds.paymentId, payment.id), eq(refunds.status, "pending"), eq(refunds.amount, notice.amount), isNull(refunds.providerRef))
    : undefined;
  const [known] = await tx
    .select()
    .from(refunds)
    .where(and(byService, or(byGatewayId, byReference, waiting)))
    .orderBy(sql`case when ${byGatewayId} then 0 when ${byReference ?? sql`false`} then 1 else 2 end`)
    .limit(1);
  // Failed here for want of an answer (a timeout) yet made by the gateway after all: its notice is a refund of its own.
  const madeAfterAll = known && known.status === "failed" && !known.providerRef && notice.status === "succeeded";
  if (known && !madeAfterAll) {
    const result = await settleRefund(tx, { merchantId, refundId: known.id, status: notice.status, providerRef: notice.providerRef, message: notice.message });
    const currency = known.currency as CurrencyCode;
    const note =
      notice.amount !== known.amount
        ? `The gateway reports ${formatAmount(notice.amount, currency)}; the refund asked for ${formatAmount(known.amount, currency)}.`
        : result.changed
          ? undefined
          : `The refund had already ended ${known.status}.`;
    return { ...result, note };
  }
  const refunded = payment ?? (madeAfterAll ? { id: known.paymentId } : undefined);
  if (!refunded) return null;
  // Made in the gateway's portal (or after Settle gave up waiting): recorded as it happened, within what is left to refund.
  const opened = await openRefund(tx, {
    merchantId,
    paymentId: refunded.id,
    amount: notice.amount,
    reason: notice.message ? `Refunded in ${service.name}: ${notice.message}` : `Refunded in ${service.name}.`,
    status: notice.status,
    providerRef: notice.providerRef,
    failureMessage: notice.status === "failed" ? (notice.message ?? "The gateway canceled this refund.") : undefined,
  });
  const note = madeAfterAll
    ? `The gateway made refund ${known.id} after Settle had marked it failed: recorded as a new refund.`
    : "A refund made at the gateway, recorded on its payment.";
  return { ...opened, changed: opened.created, note: opened.created ? note : undefined };
}
