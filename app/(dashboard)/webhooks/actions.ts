"use server";

import { revalidatePath } from "next/cache";
import { commandAction } from "@/lib/actions";
import type { AttemptOutcome } from "@/lib/webhooks/attempts";
import { retryDelivery, startBulkRetry } from "@/lib/webhooks/deliveries";
import { createEndpoint, deleteEndpoint, revealSecret, rotateSecret, sendTestEvent, updateEndpoint } from "@/lib/webhooks/endpoints";
import { updateWebhookPolicy } from "@/lib/webhooks/settings";

/** What the page shows of an attempt right after it ran. */
function attemptSummary(o: AttemptOutcome) {
  return {
    outcome: o.outcome,
    responseStatus: o.responseStatus,
    responseBody: o.responseBody,
    error: o.error,
    durationMs: o.durationMs,
    deliveryId: o.delivery.id,
  };
}
export type AttemptSummary = ReturnType<typeof attemptSummary>;

export const createEndpointAction = commandAction(createEndpoint, (endpoint) => {
  revalidatePath("/webhooks");
  return { id: endpoint.id };
});

export const updateEndpointAction = commandAction(updateEndpoint, (endpoint) => {
  revalidatePath("/webhooks");
  revalidatePath(`/webhooks/${endpoint.id}`);
  return { id: endpoint.id };
});

export const deleteEndpointAction = commandAction(deleteEndpoint, () => {
  revalidatePath("/webhooks");
  return null;
});

export const revealSecretAction = commandAction(revealSecret);

export const rotateSecretAction = commandAction(rotateSecret, (rotated) => {
  revalidatePath(`/webhooks/${rotated.endpointId}`);
  return { secret: rotated.secret, previousExpiresAt: rotated.previousExpiresAt.toISOString() };
});

export const sendTestEventAction = commandAction(sendTestEvent, (outcome) => {
  revalidatePath(`/webhooks/${outcome.delivery.endpointId}`);
  return attemptSummary(outcome);
});

export const updateSettingsAction = commandAction(updateWebhookPolicy, () => {
  revalidatePath("/webhooks/settings");
  return null;
});

export const retryDeliveryAction = commandAction(retryDelivery, (outcome) => {
  revalidatePath(`/webhooks/deliveries/${outcome.delivery.id}`);
  return attemptSummary(outcome);
});

export const startBulkRetryAction = commandAction(startBulkRetry, (job) => ({ id: job.id, total: job.total }));
