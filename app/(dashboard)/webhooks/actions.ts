"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions";
import type { AttemptOutcome } from "@/lib/webhooks/attempts";
import { deliveryPageJson, getRetryJob, listDeliveries, retryDelivery, startBulkRetry } from "@/lib/webhooks/deliveries";
import { deliveryFilterSchema } from "@/lib/webhooks/filters";
import { createEndpoint, deleteEndpoint, type EndpointInput, revealSecret, rotateSecret, sendTestEvent, updateEndpoint } from "@/lib/webhooks/endpoints";
import { getSender } from "@/lib/webhooks/runner";
import { updateWebhookPolicy, webhookSettingsSchema } from "@/lib/webhooks/settings";

const idSchema = z.object({ id: z.string().min(1) });
// The endpoint's own fields are validated by lib/webhooks/endpoints.ts.
const endpointFormSchema = z.looseObject({ id: z.string().optional(), url: z.string().optional() });

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

export const createEndpointAction = authorizedAction(endpointFormSchema, "webhooks.write", async (input, { db, actor }) => {
  const endpoint = await createEndpoint(db, actor, input as unknown as EndpointInput);
  revalidatePath("/webhooks");
  return { id: endpoint.id };
});

export const updateEndpointAction = authorizedAction(endpointFormSchema, "webhooks.write", async (input, { db, actor }) => {
  const endpoint = await updateEndpoint(db, actor, input.id ?? "", input as unknown as EndpointInput);
  revalidatePath("/webhooks");
  revalidatePath(`/webhooks/${endpoint.id}`);
  return { id: endpoint.id };
});

export const deleteEndpointAction = authorizedAction(idSchema, "webhooks.write", async ({ id }, { db, actor }) => {
  await deleteEndpoint(db, actor, id);
  revalidatePath("/webhooks");
  return null;
});

export const revealSecretAction = authorizedAction(idSchema, "webhooks.write", async ({ id }, { db, actor }) =>
  revealSecret(db, actor, id),
);

export const rotateSecretAction = authorizedAction(idSchema, "webhooks.write", async ({ id }, { db, actor }) => {
  const rotated = await rotateSecret(db, actor, id);
  revalidatePath(`/webhooks/${id}`);
  return { secret: rotated.secret, previousExpiresAt: rotated.previousExpiresAt.toISOString() };
});

export const sendTestEventAction = authorizedAction(idSchema, "webhooks.write", async ({ id }, { db, actor }) => {
  const outcome = await sendTestEvent(db, actor, id, getSender());
  revalidatePath(`/webhooks/${id}`);
  return attemptSummary(outcome);
});

export const updateSettingsAction = authorizedAction(webhookSettingsSchema, "webhooks.write", async (input, { db, actor }) => {
  await updateWebhookPolicy(db, actor, input);
  revalidatePath("/webhooks/settings");
  return null;
});

const pageSchema = z.object({ filter: deliveryFilterSchema, cursor: z.string().max(500).optional() });

/** The log's live refresh: every member may read it. */
export const listDeliveriesAction = authorizedAction(pageSchema, null, async ({ filter, cursor }, { db, actor }) => {
  return deliveryPageJson(await listDeliveries(db, { merchantId: actor.merchantId, filter, cursor }));
});

export const retryDeliveryAction = authorizedAction(idSchema, "webhooks.retry", async ({ id }, { db, actor }) => {
  const outcome = await retryDelivery(db, actor, id, getSender());
  revalidatePath(`/webhooks/deliveries/${id}`);
  return attemptSummary(outcome);
});

export const startBulkRetryAction = authorizedAction(deliveryFilterSchema, "webhooks.retry", async (filter, { db, actor }) => {
  const job = await startBulkRetry(db, actor, filter);
  return { id: job.id, total: job.total };
});

export const retryJobAction = authorizedAction(idSchema, null, async ({ id }, { db, actor }) => {
  const job = await getRetryJob(db, { merchantId: actor.merchantId, id });
  return { id: job.id, total: job.total, done: job.done, status: job.status };
});
