"use server";

import { revalidatePath } from "next/cache";
import { commandAction } from "@/lib/actions";
import { createStandaloneLink } from "@/lib/payment-links/create";
import { cancelLink } from "@/lib/payment-links/lifecycle";
import { assignNotification } from "@/lib/payment-services/notifications";

export const createStandaloneLinkAction = commandAction(createStandaloneLink, (link) => {
  revalidatePath("/payment-links");
  return { id: link.id, code: link.code };
});

export const cancelLinkAction = commandAction(cancelLink, () => {
  revalidatePath("/payment-links");
  return null;
});

export const assignNotificationAction = commandAction(assignNotification, ({ invoice }) => {
  revalidatePath("/payment-links/notifications");
  return { invoiceId: invoice.id };
});
