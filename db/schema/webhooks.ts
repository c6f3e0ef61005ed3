import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { deliveryStatuses } from "./delivery-statuses";
import { webhookFormatIds } from "./webhook-formats";
import { merchants, users } from "./accounts";
import { events } from "./invoices";

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const createdAt = () => ts("created_at").notNull().defaultNow();

export const deliveryStatusEnum = pgEnum("webhook_delivery_status", deliveryStatuses);
export const attemptTriggerEnum = pgEnum("webhook_attempt_trigger", ["auto", "manual", "bulk", "test"]);
export const retryJobStatusEnum = pgEnum("webhook_retry_job_status", ["running", "finished"]);
export const webhookFormatEnum = pgEnum("webhook_format", webhookFormatIds);

/** Where a merchant's events go. Secrets are AES-256-GCM ciphertext (lib/webhooks/secrets.ts). */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    /** null: every event type. */
    eventTypes: text("event_types").array(),
    enabled: boolean("enabled").notNull().default(true),
    /** The payload shape, event names and signature its deliveries carry (lib/webhooks/formats). */
    format: webhookFormatEnum("format").notNull().default("standard"),
    /** Seconds between automatic attempts for this endpoint; null: the merchant's webhook settings. */
    retrySchedule: integer("retry_schedule").array(),
    /** Null only once deleted: a deleted endpoint signs nothing, so its secret is dropped. */
    secret: text("secret"),
    /** The secret before the last rotation; it keeps signing until previous_secret_expires_at. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: ts("previous_secret_expires_at"),
    /** Set when the engine turned the endpoint off (5 days of nothing but failures). */
    autoDisabledAt: ts("auto_disabled_at"),
    /** The first failure after the last success: the start of the current failing streak. */
    failingSince: ts("failing_since"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    lastAttemptAt: ts("last_attempt_at"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    /**
     * Deleted endpoints stay as rows so their deliveries keep their endpoint
     * (its URL and description) in the log; they get no new event, are never
     * sent to, and cannot be changed.
     */
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    index("webhook_endpoints_merchant_idx").on(t.merchantId, t.createdAt),
    check("webhook_endpoints_live_secret", sql`${t.deletedAt} is not null or ${t.secret} is not null`),
    check("webhook_endpoints_schedule_steps", sql`${t.retrySchedule} is null or cardinality(${t.retrySchedule}) between 1 and 20`),
  ],
);

/** Per-merchant delivery policy; a merchant without a row gets the defaults (lib/webhooks/settings.ts). */
export const webhookSettings = pgTable(
  "webhook_settings",
  {
    merchantId: text("merchant_id")
      .primaryKey()
      .references(() => merchants.id, { onDelete: "cascade" }),
    autoRetry: boolean("auto_retry").notNull().default(true),
    /** Seconds after the previous attempt, one entry per automatic retry. */
    retrySchedule: integer("retry_schedule").array().notNull().default(sql`'{300,600,900}'::integer[]`),
    timeoutMs: integer("timeout_ms").notNull().default(10_000),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("webhook_settings_timeout_range", sql`${t.timeoutMs} between 1000 and 30000`),
    check("webhook_settings_schedule_steps", sql`cardinality(${t.retrySchedule}) between 1 and 20`),
  ],
);

export const webhookRetryJobs = pgTable(
  "webhook_retry_jobs",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    createdBy: text("created_by").references(() => users.id),
    filter: jsonb("filter").notNull(),
    total: integer("total").notNull(),
    done: integer("done").notNull().default(0),
    status: retryJobStatusEnum("status").notNull().default("running"),
    createdAt: createdAt(),
    finishedAt: ts("finished_at"),
  },
  (t) => [index("webhook_retry_jobs_merchant_idx").on(t.merchantId, t.createdAt)],
);

/** One event to one endpoint (or, with no endpoint, the record that none was set). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id").references(() => webhookEndpoints.id, { onDelete: "set null" }),
    /** `webhook-id`: the same on every attempt, so receivers can deduplicate. */
    messageId: text("message_id").notNull(),
    // Copied from the event so the log filters without a join.
    eventType: text("event_type").notNull(),
    invoiceId: text("invoice_id"),
    status: deliveryStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** Due for an attempt at this time; null when nothing more will happen on its own. */
    nextAttemptAt: ts("next_attempt_at"),
    /** The lease: a dispatcher that claimed the row owns it until then; after, anyone may claim it again. */
    lockedUntil: ts("locked_until"),
    leaseId: text("lease_id"),
    /** Who asked for the next attempt when it was not the schedule (manual, bulk or test). */
    nextTrigger: attemptTriggerEnum("next_trigger"),
    nextTriggeredBy: text("next_triggered_by"),
    retryJobId: text("retry_job_id"),
    lastResponseStatus: integer("last_response_status"),
    lastAttemptAt: ts("last_attempt_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.nextAttemptAt} is not null`),
    index("webhook_deliveries_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    index("webhook_deliveries_merchant_status_idx").on(t.merchantId, t.status, t.createdAt),
    // The dashboard's "waiting for a retry": only those rows, however many exhausted failures pile up.
    index("webhook_deliveries_merchant_retrying_idx")
      .on(t.merchantId, t.nextAttemptAt)
      .where(sql`${t.status} = 'failed' and ${t.nextAttemptAt} is not null`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt),
    index("webhook_deliveries_event_idx").on(t.eventId),
    index("webhook_deliveries_invoice_idx").on(t.merchantId, t.invoiceId),
    index("webhook_deliveries_retry_job_idx").on(t.retryJobId).where(sql`${t.retryJobId} is not null`),
  ],
);

export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    merchantId: text("merchant_id").notNull(),
    endpointId: text("endpoint_id"),
    trigger: attemptTriggerEnum("trigger").notNull(),
    triggeredBy: text("triggered_by").references(() => users.id, { onDelete: "set null" }),
    /**
     * The attempt's outcome, in delivery-status terms (succeeded, failed, timeout); `pending` while the
     * request runs: written before it is sent, so a crash leaves it in the log (labelled in `error`).
     */
    outcome: deliveryStatusEnum("outcome").notNull(),
    requestUrl: text("request_url").notNull(),
    requestHeaders: jsonb("request_headers").$type<Record<string, string>>().notNull(),
    /** Null: the event's own body (rebuilt from the event, lib/webhooks/signing.ts), not stored again with every attempt. */
    requestBody: text("request_body"),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    /** The first 4 KiB. */
    responseBody: text("response_body"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    startedAt: ts("started_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_attempts_delivery_idx").on(t.deliveryId, t.startedAt),
    index("webhook_attempts_endpoint_idx").on(t.endpointId, t.startedAt),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookSettingsRow = typeof webhookSettings.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
export type WebhookRetryJob = typeof webhookRetryJobs.$inferSelect;
export type DeliveryStatus = (typeof deliveryStatusEnum.enumValues)[number];
export type AttemptTrigger = (typeof attemptTriggerEnum.enumValues)[number];
