"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions";
import { createStandaloneLink } from "@/lib/payment-links/create";
import { cancelLink } from "@/lib/payment-links/lifecycle";
import { assignNotification, assignNotificationSchema } from "@/lib/payment-services/notifications";
import { cancelLinkSchema, createStandaloneLinkSchema } from "@/lib/payment-links/schemas";

export const createStandaloneLinkAction = authorizedAction(createStandaloneLinkSchema, "invoices.write", async (input, { db, actor }) => {
  const link = await createStandaloneLink(db, actor, input);
  revalidatePath("/payment-links");
  return { id: link.id, code: link.code };
});

export const cancelLinkAction = authorizedAction(cancelLinkSchema, "invoices.write", async (input, { db, actor }) => {
  await cancelLink(db, actor, input);
  revalidatePath("/payment-links");
  return null;
});

export const assignNotificationAction = authorizedAction(assignNotificationSchema, "payments.write", async (input, { db, actor }) => {
  const result = await assignNotification(db, actor, input);
  revalidatePath("/payment-links/notifications");
  return { invoiceId: result.invoice.id };
});
