"use server";

import { revalidatePath } from "next/cache";
import { commandAction } from "@/lib/actions";
import { createInvoice } from "@/lib/invoices/create";
import { voidInvoice } from "@/lib/invoices/void";
import { recordManualPayment } from "@/lib/payments/manual";
import { checkRefund } from "@/lib/refunds/check";
import { createRefund } from "@/lib/refunds/refunds";

export const createInvoiceAction = commandAction(createInvoice, (invoice) => {
  revalidatePath("/invoices");
  return { id: invoice.id };
});

export const voidInvoiceAction = commandAction(voidInvoice, (invoice) => {
  revalidatePath(`/invoices/${invoice.id}`);
  return null;
});

export const recordManualPaymentAction = commandAction(recordManualPayment, ({ invoice }) => {
  revalidatePath(`/invoices/${invoice.id}`);
  return { paymentStatus: invoice.paymentStatus };
});

/** The refund as the form tells it: a sandbox told to fail, or a gateway that refused, still answers ok with a failed refund. */
export const createRefundAction = commandAction(createRefund, ({ refund, invoice }) => {
  revalidatePath(`/invoices/${invoice.id}`);
  return { id: refund.id, status: refund.status, amount: refund.amount, currency: refund.currency, failureMessage: refund.failureMessage };
});

/** "Check status" on a pending gateway refund: where the gateway says it stands, and whether that ended it. */
export const checkRefundAction = commandAction(checkRefund, ({ refund, changed, note }) => {
  revalidatePath(`/invoices/${refund.invoiceId}`);
  return { status: refund.status, changed, note };
});
