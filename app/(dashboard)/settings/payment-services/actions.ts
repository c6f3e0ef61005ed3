"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions";
import { createService, createServiceSchema, setServiceEnabled, toggleServiceSchema } from "@/lib/payment-services/services";

export const createServiceAction = authorizedAction(createServiceSchema, "merchant.manage", async (input, { db, actor }) => {
  const service = await createService(db, actor, input);
  revalidatePath("/settings/payment-services");
  return { id: service.id, name: service.name };
});

export const toggleServiceAction = authorizedAction(toggleServiceSchema, "merchant.manage", async (input, { db, actor }) => {
  await setServiceEnabled(db, actor, input);
  revalidatePath("/settings/payment-services");
  return { enabled: input.enabled };
});
