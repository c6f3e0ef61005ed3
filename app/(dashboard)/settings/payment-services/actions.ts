"use server";

import { revalidatePath } from "next/cache";
import { commandAction } from "@/lib/actions";
import { createGatewayService, updateGatewayService } from "@/lib/payment-services/gateways";
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

/** A gateway (MyFatoorah, Foloosi…) linked with the fields its connector asks for; its secrets are sealed. */
export const createGatewayServiceAction = commandAction(createGatewayService, (service) => {
  revalidatePath("/settings/payment-services");
  return { id: service.id, name: service.name };
});

export const updateGatewayServiceAction = commandAction(updateGatewayService, (service) => {
  revalidatePath("/settings/payment-services");
  revalidatePath(`/settings/payment-services/${service.id}`);
  return { id: service.id, name: service.name };
});

export const toggleServiceAction = commandAction(setServiceEnabled, (service) => {
  revalidatePath("/settings/payment-services");
  revalidatePath(`/settings/payment-services/${service.id}`);
  return { enabled: service.enabled };
});
