"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions";
import { createInvoiceLink } from "@/lib/payment-links/create";
import { createInvoiceLinkSchema } from "@/lib/payment-links/schemas";

export const createInvoiceLinkAction = authorizedAction(createInvoiceLinkSchema, "invoices.write", async (input, { db, actor }) => {
  const link = await createInvoiceLink(db, actor, input);
  revalidatePath(`/invoices/${input.invoiceId}`);
  revalidatePath("/payment-links");
  return { id: link.id, code: link.code };
});
