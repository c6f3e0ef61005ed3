"use server";

import { revalidatePath } from "next/cache";
import { commandAction } from "@/lib/actions";
import { createInvoice } from "@/lib/invoices/create";
import { voidInvoice } from "@/lib/invoices/void";
import { recordManualPayment } from "@/lib/payments/manual";

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
