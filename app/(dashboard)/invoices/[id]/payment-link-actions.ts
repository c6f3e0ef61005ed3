"use server";

import { revalidatePath } from "next/cache";
import { commandAction } from "@/lib/actions";
import { createInvoiceLink } from "@/lib/payment-links/create";

export const createInvoiceLinkAction = commandAction(createInvoiceLink, (link) => {
  revalidatePath(`/invoices/${link.invoiceId}`);
  revalidatePath("/payment-links");
  return { id: link.id, code: link.code };
});
