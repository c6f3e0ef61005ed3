"use server";

import { revalidatePath } from "next/cache";
import { commandAction } from "@/lib/actions";
import { createService, setServiceEnabled, updateService } from "@/lib/payment-services/services";

export const createServiceAction = commandAction(createService, (service) => {
  revalidatePath("/settings/payment-services");
  return { id: service.id, name: service.name };
});

export const updateServiceAction = commandAction(updateService, (service) => {
  revalidatePath("/settings/payment-services");
  revalidatePath(`/settings/payment-services/${service.id}`);
  return { id: service.id, name: service.name };
});

export const toggleServiceAction = commandAction(setServiceEnabled, (service) => {
  revalidatePath("/settings/payment-services");
  revalidatePath(`/settings/payment-services/${service.id}`);
  return { enabled: service.enabled };
});
