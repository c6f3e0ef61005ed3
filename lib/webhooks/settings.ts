import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { webhookSettings } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { checkbox } from "@/lib/validation";
import { defineCommand } from "@/lib/commands/command";
import { DEFAULT_RETRY_SCHEDULE } from "./retry-schedule";

export const MAX_TIMEOUT_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface WebhookPolicy {
  autoRetry: boolean;
  /** Seconds after the previous attempt. */
  retrySchedule: number[];
  timeoutMs: number;
}

export const defaultPolicy: WebhookPolicy = {
  autoRetry: true,
  retrySchedule: [...DEFAULT_RETRY_SCHEDULE],
  timeoutMs: DEFAULT_TIMEOUT_MS,
};

const stepSchema = z.coerce
  .number({ error: "Each step is a number of minutes." })
  .positive("Each step must be more than zero minutes.")
  .max(7 * 24 * 60, "A step can be at most 7 days (10080 minutes).");

/** As the settings form sends it: minutes for the schedule, seconds for the timeout. */
export const webhookSettingsSchema = z.object({
  autoRetry: checkbox,
  retryMinutes: z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v),
    z.array(stepSchema).min(1, "Keep at least one retry step.").max(20, "Use at most 20 retry steps."),
  ),
  timeoutSeconds: z.coerce
    .number({ error: "Enter the timeout in seconds." })
    .int("Use whole seconds.")
    .min(1, "The timeout must be at least 1 second.")
    .max(MAX_TIMEOUT_MS / 1000, "The timeout can be at most 30 seconds."),
});
export type WebhookSettingsInput = z.input<typeof webhookSettingsSchema>;

export async function getWebhookPolicy(db: Database, merchantId: string): Promise<WebhookPolicy> {
  const [row] = await db.select().from(webhookSettings).where(eq(webhookSettings.merchantId, merchantId));
  return row ? { autoRetry: row.autoRetry, retrySchedule: row.retrySchedule, timeoutMs: row.timeoutMs } : { ...defaultPolicy };
}

export const updateWebhookPolicy = defineCommand({
  name: "webhooks.settings.update",
  permission: "webhooks.write",
  input: webhookSettingsSchema,
  async run({ tx, actor, merchantId }, input): Promise<WebhookPolicy> {
    const next: WebhookPolicy = {
      autoRetry: input.autoRetry,
      retrySchedule: input.retryMinutes.map((m) => Math.round(m * 60)),
      timeoutMs: input.timeoutSeconds * 1000,
    };
    const before = await getWebhookPolicy(tx, merchantId);
    await tx
      .insert(webhookSettings)
      .values({ merchantId, ...next })
      .onConflictDoUpdate({ target: webhookSettings.merchantId, set: { ...next, updatedAt: new Date() } });
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "webhook_settings.updated",
      targetType: "merchant",
      targetId: merchantId,
      before,
      after: next,
    });
    return next;
  },
});
