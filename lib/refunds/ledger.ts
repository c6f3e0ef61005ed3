import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { type Invoice, invoices, type Payment, payments, type Refund, refunds } from "@/db/schema";
import { AppError, fieldError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { applyInvoiceChange } from "@/lib/invoices/apply-change";
import { invoicePayload, paymentPayload, refundPayload, writeEvent } from "@/lib/invoices/events";
import { maskPans, maskPansDeep } from "@/lib/log/redact";
import { type CurrencyCode, formatAmount } from "@/lib/money";

/**
 * Money going back, through the same ledger money comes in by. Lock order, as
 * recordPayment's: the invoice, then the payment, then the refund. The payment
 * row holds what its refunds take: `refunded_amount` (succeeded) plus
 * `refund_pending_amount` (pending) is never more than the payment, checked by
 * the statement that adds to it and by a CHECK constraint behind it; a failed
 * refund gives its amount back.
 */

export interface RefundResult {
  refund: Refund;
  payment: Payment;
  invoice: Invoice;
  /** False when the refund already existed (the same provider refund id): nothing was written. */
  created: boolean;
}

export interface OpenRefund {
  merchantId: string;
  paymentId: string;
  amount: number;
  reason: string;
  /** pending: asked of a gateway, not final; succeeded: made already (by hand, the sandbox, a gateway's notice); failed: a gateway's notice of one that never was. */
  status: "pending" | "succeeded" | "failed";
  providerRef?: string;
  manual?: boolean;
  requestedBy?: string;
  failureMessage?: string;
  raw?: unknown;
}

/** The payment and its invoice, both locked (invoice first). */
async function lockPayment(tx: Database, merchantId: string, paymentId: string): Promise<{ payment: Payment; invoice: Invoice }> {
  const [found] = await tx
    .select({ invoiceId: payments.invoiceId })
    .from(payments)
    .where(and(eq(payments.merchantId, merchantId), eq(payments.id, paymentId)));
  if (!found?.invoiceId) throw notFound("Payment not found.");
  const [invoice] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.merchantId, merchantId), eq(invoices.id, found.invoiceId)))
    .for("update");
  const [payment] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.merchantId, merchantId), eq(payments.id, paymentId)))
    .for("update");
  if (!invoice || !payment) throw notFound("Payment not found.");
  return { payment, invoice };
}

/** What can still be given back on a payment: its amount less what its succeeded and pending refunds take. */
export const refundableOf = (p: Pick<Payment, "status" | "amount" | "refundedAmount" | "refundPendingAmount">) =>
  p.status === "succeeded" ? p.amount - p.refundedAmount - p.refundPendingAmount : 0;

/**
 * Opens a refund on a succeeded payment: the amount is taken from what is
 * still refundable (pending holds it; succeeded counts it), in one
 * transaction with its events. A provider refund id already recorded returns
 * that refund unchanged, so a gateway's repeated notice is a no-op.
 */
export async function openRefund(db: Database, input: OpenRefund): Promise<RefundResult> {
  const { merchantId } = input;
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw fieldError("amount", "The amount must be more than zero.");
  return transaction(db, async (tx) => {
    const { payment, invoice } = await lockPayment(tx, merchantId, input.paymentId);
    if (input.providerRef) {
      const [existing] = await tx
        .select()
        .from(refunds)
        .where(and(eq(refunds.merchantId, merchantId), eq(refunds.serviceId, payment.serviceId), eq(refunds.providerRef, input.providerRef)));
      if (existing) {
        if (existing.paymentId !== payment.id) {
          throw fieldError("reference", "This reference is already recorded on a refund of another payment.", "conflict");
        }
        return { refund: existing, payment, invoice, created: false };
      }
    }
    if (payment.status !== "succeeded") throw new AppError("conflict", "Only a succeeded payment can be refunded.");
    const refundable = refundableOf(payment);
    if (input.status !== "failed" && input.amount > refundable) {
      const currency = payment.currency as CurrencyCode;
      throw fieldError(
        "amount",
        refundable === 0
          ? "Nothing is left to refund on this payment."
          : `At most ${formatAmount(refundable, currency)} can be refunded on this payment.`,
      );
    }

    const settled = input.status !== "pending";
    const [refund] = await tx
      .insert(refunds)
      .values({
        id: newId("re"),
        merchantId,
        paymentId: payment.id,
        invoiceId: invoice.id,
        serviceId: payment.serviceId,
        amount: input.amount,
        currency: payment.currency,
        reason: maskPans(input.reason),
        status: input.status,
        providerRef: input.providerRef ?? null,
        manual: input.manual ?? false,
        failureMessage: input.failureMessage !== undefined ? maskPans(input.failureMessage) : null,
        requestedBy: input.requestedBy ?? null,
        raw: input.raw !== undefined ? maskPansDeep(input.raw) : null,
        settledAt: settled ? sql`now()` : null,
      })
      .returning();
    const held = await holdOnPayment(tx, payment, refund!, input.status === "succeeded" ? "refunded" : input.status === "pending" ? "pending" : null);
    const after = input.status === "succeeded" ? await applyInvoiceChange(tx, { kind: "refund", before: invoice, refund: refund! }) : invoice;

    const data = { refund: refundPayload(refund!), payment: paymentPayload(held), invoice: invoicePayload(after) };
    await writeEvent(tx, { merchantId, type: "refund.created", invoiceId: invoice.id, data });
    if (settled) await writeEvent(tx, { merchantId, type: `refund.${input.status as "succeeded" | "failed"}`, invoiceId: invoice.id, data });
    return { refund: refund!, payment: held, invoice: after, created: true };
  });
}

/** Adds a refund's amount to the payment's pending or refunded total, within what the payment allows (the CHECK stands behind it). */
async function holdOnPayment(tx: Database, payment: Payment, refund: Refund, into: "pending" | "refunded" | null): Promise<Payment> {
  if (!into) return payment;
  const column = into === "pending" ? payments.refundPendingAmount : payments.refundedAmount;
  const [held] = await tx
    .update(payments)
    .set(into === "pending" ? { refundPendingAmount: sql`${column} + ${refund.amount}` } : { refundedAmount: sql`${column} + ${refund.amount}` })
    .where(
      and(
        eq(payments.merchantId, payment.merchantId),
        eq(payments.id, payment.id),
        sql`${payments.amount} - ${payments.refundedAmount} - ${payments.refundPendingAmount} >= ${refund.amount}`,
      ),
    )
    .returning();
  if (!held) throw fieldError("amount", "This is more than is left to refund on the payment.");
  return held;
}

export interface SettleRefund {
  merchantId: string;
  refundId: string;
  status: "succeeded" | "failed";
  providerRef?: string;
  message?: string;
  raw?: unknown;
}

/**
 * A pending refund ends: succeeded counts it against the payment and its
 * invoice (refunded, net, the day's rollup); failed gives its amount back.
 * A refund that has ended already is returned unchanged (a gateway's repeated
 * notice, a late one that contradicts it): a refund ends once.
 */
export async function settleRefund(db: Database, input: SettleRefund): Promise<RefundResult & { changed: boolean }> {
  const { merchantId } = input;
  return transaction(db, async (tx) => {
    const [found] = await tx
      .select({ paymentId: refunds.paymentId })
      .from(refunds)
      .where(and(eq(refunds.merchantId, merchantId), eq(refunds.id, input.refundId)));
    if (!found) throw notFound("Refund not found.");
    const { payment, invoice } = await lockPayment(tx, merchantId, found.paymentId);
    const [refund] = await tx
      .select()
      .from(refunds)
      .where(and(eq(refunds.merchantId, merchantId), eq(refunds.id, input.refundId)))
      .for("update");
    if (refund!.status !== "pending") return { refund: refund!, payment, invoice, created: false, changed: false };

    const [ended] = await tx
      .update(refunds)
      .set({
        status: input.status,
        providerRef: refund!.providerRef ?? input.providerRef ?? null,
        failureMessage: input.status === "failed" ? maskPans(input.message ?? "The refund was declined.") : null,
        ...(input.raw !== undefined ? { raw: maskPansDeep(input.raw) } : {}),
        settledAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(refunds.id, refund!.id))
      .returning();
    const amount = refund!.amount;
    const [moved] = await tx
      .update(payments)
      .set({
        refundPendingAmount: sql`${payments.refundPendingAmount} - ${amount}`,
        ...(input.status === "succeeded" ? { refundedAmount: sql`${payments.refundedAmount} + ${amount}` } : {}),
      })
      .where(eq(payments.id, payment.id))
      .returning();
    const after = input.status === "succeeded" ? await applyInvoiceChange(tx, { kind: "refund", before: invoice, refund: ended! }) : invoice;
    const data = { refund: refundPayload(ended!), payment: paymentPayload(moved!), invoice: invoicePayload(after) };
    await writeEvent(tx, { merchantId, type: `refund.${input.status}`, invoiceId: invoice.id, data });
    return { refund: ended!, payment: moved!, invoice: after, created: false, changed: true };
  });
}

/** Gives the gateway's refund id to a pending refund it accepted (its notification will name it). */
export async function noteProviderRefund(
  db: Database,
  { merchantId, refundId, providerRef, raw }: { merchantId: string; refundId: string; providerRef: string; raw?: unknown },
): Promise<Refund | undefined> {
  const [noted] = await db
    .update(refunds)
    .set({ providerRef, ...(raw !== undefined ? { raw: maskPansDeep(raw) } : {}), updatedAt: sql`now()` })
    .where(and(eq(refunds.merchantId, merchantId), eq(refunds.id, refundId), eq(refunds.status, "pending")))
    .returning();
  return noted;
}
