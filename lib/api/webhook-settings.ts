import { z } from "zod";
import { getWebhookPolicy, MAX_TIMEOUT_MS, updateWebhookPolicy, type WebhookPolicy } from "@/lib/webhooks/settings";
import { webhookSettingsExample } from "./examples";
import { defineOperation } from "./operation";
import { livemodeField } from "./objects";

const minutes = (seconds: number) => +(seconds / 60).toFixed(4);

export const webhookSettingsObject = z
  .object({
    livemode: livemodeField,
    auto_retry: z.boolean().meta({ description: "Whether failed deliveries are retried on the schedule. Timeouts and deliveries with no URL never are." }),
    retry_schedule_minutes: z
      .array(z.number())
      .meta({ description: "Each retry's wait, in minutes after the previous attempt: 1 to 20 steps, each more than 0 and at most 10080 (7 days)." }),
    timeout_seconds: z.number().int().meta({ description: `How long a receiver may take to answer, 1 to ${MAX_TIMEOUT_MS / 1000} whole seconds; a slower answer ends as \`timeout\`.` }),
  })
  .meta({ id: "WebhookSettings" });

const settingsJson = (p: WebhookPolicy) => ({
  auto_retry: p.autoRetry,
  retry_schedule_minutes: p.retrySchedule.map(minutes),
  timeout_seconds: p.timeoutMs / 1000,
});

export const getWebhookSettingsOp = defineOperation({
  operationId: "getWebhookSettings",
  method: "GET",
  path: "/webhook-settings",
  tag: "Webhooks",
  summary: "Get the webhook delivery settings",
  description: "How failed deliveries are retried and how long a receiver may take, for every endpoint of the merchant (Webhooks → Settings in the dashboard).",
  examples: { response: webhookSettingsExample },
  response: webhookSettingsObject,
  run: async ({ db, principal }) => settingsJson(await getWebhookPolicy(db, principal.merchantId)),
});

/** Types only: the ranges are the settings form's own, checked by the command with its messages. */
export const updateWebhookSettingsBody = z
  .object({
    auto_retry: webhookSettingsObject.shape.auto_retry.optional(),
    retry_schedule_minutes: webhookSettingsObject.shape.retry_schedule_minutes.optional(),
    timeout_seconds: z.number().optional().meta({ description: webhookSettingsObject.shape.timeout_seconds.description }),
  })
  .strict();

export const updateWebhookSettingsOp = defineOperation({
  operationId: "updateWebhookSettings",
  command: updateWebhookPolicy,
  method: "PATCH",
  path: "/webhook-settings",
  tag: "Webhooks",
  summary: "Change the webhook delivery settings",
  description: "Only the fields sent change. The new schedule and timeout apply from the next attempt on; retries already scheduled keep their time.",
  body: updateWebhookSettingsBody,
  response: webhookSettingsObject,
  fieldRenames: { autoRetry: "auto_retry", retryMinutes: "retry_schedule_minutes", timeoutSeconds: "timeout_seconds" },
  examples: { request: { retry_schedule_minutes: [1, 5, 30, 120], timeout_seconds: 15 }, response: { livemode: true, auto_retry: true, retry_schedule_minutes: [1, 5, 30, 120], timeout_seconds: 15 } },
  async run({ db, principal, body }) {
    const current = settingsJson(await getWebhookPolicy(db, principal.merchantId));
    const policy = await updateWebhookPolicy(db, principal.actor, {
      autoRetry: body.auto_retry ?? current.auto_retry,
      retryMinutes: body.retry_schedule_minutes ?? current.retry_schedule_minutes,
      timeoutSeconds: body.timeout_seconds ?? current.timeout_seconds,
    });
    return settingsJson(policy);
  },
});
