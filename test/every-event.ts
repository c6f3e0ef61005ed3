import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { createInvoice } from "@/lib/invoices/create";
import { voidInvoice } from "@/lib/invoices/void";
import { createInvoiceLink } from "@/lib/payment-links/create";
import { expireLinkNow } from "@/lib/payment-links/lifecycle";
import { listServices } from "@/lib/payment-services/services";
import { recordPayment } from "@/lib/payments/record";
import { createRefund } from "@/lib/refunds/refunds";

let seq = 0;

/**
 * Makes every event a merchant's test space can have, through the domain's
 * own commands and ledger (so each event's data is exactly what production
 * writes): a USD invoice paid by card through its link in three payments
 * (partially paid, paid, overpaid), one processing and one failed; a refund
 * that succeeds and one that fails; an invoice voided; a link that expires.
 * `webhook.test` is the endpoint's own (sendTestEvent). Returns the counts of
 * each event type written.
 */
export async function writeEveryEvent(db: Database, owner: Actor): Promise<Record<string, number>> {
  const sandbox = (await listServices(db, owner.merchantId)).find((s) => s.kind === "sandbox")!;
  const customer = { name: "Ada Customer", email: "ada@example.test", phone: "+965 5555 3453" };
  const tag = `${Date.now().toString(36)}-${seq++}`;
  const invoice = await createInvoice(db, owner, {
    currency: "USD",
    referenceId: `ORDER-${tag}`,
    items: [{ name: "Online class", unitPrice: 12_550, quantity: 1 }],
    customer,
    description: "Online class, March",
  });
  const link = await createInvoiceLink(db, owner, { invoiceId: invoice.id, serviceIds: [sandbox.id] });
  const pay = (ref: string, amount: number, status: "succeeded" | "failed" | "processing", extra: { paymentLinkId?: string; message?: string } = {}) =>
    recordPayment(db, {
      merchantId: owner.merchantId,
      invoiceId: invoice.id,
      serviceId: sandbox.id,
      providerRef: `${ref}-${tag}`,
      amount,
      currency: "USD",
      method: "card",
      status,
      cardLast4: "1111",
      ...extra,
    });
  await pay("held", 5_000, "processing");
  await pay("declined", 5_000, "failed", { message: "Insufficient funds" });
  await pay("first", 5_000, "succeeded", { paymentLinkId: link.id });
  const { payment: second } = await pay("second", 7_550, "succeeded");
  await pay("extra", 1_000, "succeeded");
  await createRefund(db, owner, { paymentId: second.id, amount: 2_500, reason: "Damaged in transit" });
  await createRefund(db, owner, { paymentId: second.id, amount: 1_000, reason: "Goodwill", simulate: "fail" });

  const voided = await createInvoice(db, owner, { currency: "USD", items: [{ name: "Cancelled order", unitPrice: 990, quantity: 2 }], customer: { name: "Bo Customer" } });
  await voidInvoice(db, owner, { invoiceId: voided.id });

  const lapsed = await createInvoice(db, owner, { currency: "USD", items: [{ name: "Unpaid order", unitPrice: 4_000, quantity: 1 }], customer: { name: "Cy Customer" } });
  const lapsedLink = await createInvoiceLink(db, owner, { invoiceId: lapsed.id, serviceIds: [sandbox.id] });
  await expireLinkNow(db, { merchantId: owner.merchantId, id: lapsedLink.id });

  return {
    "invoice.created": 3,
    "invoice.partially_paid": 1,
    "invoice.paid": 1,
    "invoice.overpaid": 1,
    "invoice.voided": 1,
    "payment.processing": 1,
    "payment.succeeded": 3,
    "payment.failed": 1,
    "payment_link.expired": 1,
    "refund.created": 2,
    "refund.succeeded": 1,
    "refund.failed": 1,
  };
}
