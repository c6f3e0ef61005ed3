import type { Database } from "@/db/client";
import { events, type Invoice, type Payment, type Refund } from "@/db/schema";
import { queueAppend } from "@/db/transaction";
import { newId } from "@/lib/ids";
import { livemodeOf } from "@/lib/merchants";
import { fanOutEvent, subscribersOf } from "@/lib/webhooks/fan-out";
import { formatInvoiceNumber } from "./schemas";

export const eventTypes = [
  "invoice.created",
  "invoice.partially_paid",
  "invoice.paid",
  "invoice.overpaid",
  "invoice.voided",
  "payment.processing",
  "payment.succeeded",
  "payment.failed",
  "payment_link.expired",
  "refund.created",
  "refund.succeeded",
  "refund.failed",
  "webhook.test",
] as const;
export type EventType = (typeof eventTypes)[number];

/**
 * Appends to the outbox. Call it with the transaction that makes the change,
 * so an event exists exactly when its change committed. In a transaction of
 * db/transaction.ts the rows are written with the commit. `subscribers`: the
 * endpoints that take this type, when the caller read them already (before
 * taking a lock).
 */
export async function writeEvent(
  db: Database,
  event: { merchantId: string; type: EventType; invoiceId: string | null; data: Record<string, unknown> },
  { subscribers }: { subscribers?: string[] } = {},
): Promise<void> {
  const id = newId("evt");
  const endpoints = subscribers ?? (await subscribersOf(db, event.merchantId, event.type));
  // Every payload says its mode first: a receiver can refuse test data before reading further.
  const stamped = { ...event, data: { livemode: await livemodeOf(db, event.merchantId), ...event.data } };
  await queueAppend(db, events, db.insert(events).values({ id, ...stamped }));
  await fanOutEvent(db, { id, ...stamped }, endpoints);
}

/** The invoice as merchants' systems see it in webhooks (snake_case, amounts in minor units). */
export function invoicePayload(inv: Invoice) {
  return {
    id: inv.id,
    number: formatInvoiceNumber(inv.number),
    reference_id: inv.referenceId,
    currency: inv.currency,
    amount: inv.amount,
    paid_amount: inv.paidAmount,
    refunded_amount: inv.refundedAmount,
    /** What the merchant keeps: paid less refunded. */
    net_amount: inv.paidAmount - inv.refundedAmount,
    payment_status: inv.paymentStatus,
    status: inv.status,
    needs_review: inv.needsReview,
    customer: {
      name: inv.customerName,
      email: inv.customerEmail,
      phone: inv.customerPhone,
      address: inv.customerAddress,
    },
    description: inv.description,
    due_date: inv.dueDate,
    metadata: inv.metadata,
    created_at: inv.createdAt.toISOString(),
  };
}

/** The transaction details a merchant needs to reconcile a payment. */
export function paymentPayload(p: Payment) {
  return {
    id: p.id,
    invoice_id: p.invoiceId,
    payment_link_id: p.paymentLinkId,
    service_id: p.serviceId,
    provider_ref: p.providerRef,
    amount: p.amount,
    currency: p.currency,
    method: p.method,
    status: p.status,
    message: p.message,
    card_last4: p.cardLast4,
    late: p.late,
    refunded_amount: p.refundedAmount,
    created_at: p.createdAt.toISOString(),
  };
}

/** A refund as merchants' systems see it in webhooks and the API. */
export function refundPayload(r: Refund) {
  return {
    id: r.id,
    payment_id: r.paymentId,
    invoice_id: r.invoiceId,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    status: r.status,
    provider_ref: r.providerRef,
    manual: r.manual,
    failure_message: r.failureMessage,
    created_at: r.createdAt.toISOString(),
    settled_at: r.settledAt?.toISOString() ?? null,
  };
}
