"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions";
import { createInvoice } from "@/lib/invoices/create";
import { type CreateInvoiceInput, voidInvoiceSchema } from "@/lib/invoices/schemas";
import { voidInvoice } from "@/lib/invoices/void";
import { type ManualPaymentInput, recordManualPayment } from "@/lib/payments/manual";

// The domain functions parse with their own zod schemas (field-level errors);
// here only the outer shape is checked.
const anObject = z.record(z.string(), z.unknown(), { error: "Send the form as an object." });

export const createInvoiceAction = authorizedAction(anObject, "invoices.write", async (input, { db, actor }) => {
  const invoice = await createInvoice(db, actor, input as CreateInvoiceInput);
  revalidatePath("/invoices");
  return { id: invoice.id };
});

export const voidInvoiceAction = authorizedAction(voidInvoiceSchema, "invoices.write", async (input, { db, actor }) => {
  await voidInvoice(db, actor, input);
  revalidatePath(`/invoices/${input.invoiceId}`);
  return null;
});

export const recordManualPaymentAction = authorizedAction(anObject, "payments.write", async (input, { db, actor }) => {
  const { invoice } = await recordManualPayment(db, actor, input as ManualPaymentInput);
  revalidatePath(`/invoices/${invoice.id}`);
  return { paymentStatus: invoice.paymentStatus };
});
