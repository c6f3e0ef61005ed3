import { and, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { events, type WebhookEndpoint, webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { transaction } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { webhooksAllowPrivate } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { eventTypes } from "@/lib/invoices/events";
import { checkbox, optionalText } from "@/lib/validation";
import { attemptDelivery, recordOutcomes } from "./attempts";
import { claimOne } from "./claims";
import { messageIdOf } from "./fan-out";
import { type Outside, outside } from "./runner";
import { generateSigningSecret } from "./secrets";
import type { EndpointOption } from "./filters";
import { formatSends, webhookFormatIds, webhookFormats } from "./formats/catalogue";
import { checkSchedule, parseSchedule } from "./retry-schedule";
import { checkUrlTarget } from "./ssrf";

/** What an endpoint can subscribe to; `webhook.test` only ever goes to the endpoint it is sent to. */
export const subscribableEventTypes = eventTypes.filter((t) => t !== "webhook.test");
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * URL rules: http(s) only; in production https only and no private, loopback
 * or link-local literal. Without `allowPrivate`, the environment decides when
 * a URL is checked (not when this module loads, which may be at build time).
 */
export function endpointUrlSchema(allowPrivate?: boolean) {
  return z
    .string({ error: "Enter the URL that receives webhooks." })
    .trim()
    .min(1, "Enter the URL that receives webhooks.")
    .max(2000, "The URL must be at most 2000 characters.")
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: "Enter a full URL, such as https://example.com/webhooks." });
        return;
      }
      if (url.username || url.password) ctx.addIssue({ code: "custom", message: "Leave credentials out of the URL." });
      if (allowPrivate ?? webhooksAllowPrivate()) {
        if (url.protocol !== "https:" && url.protocol !== "http:") ctx.addIssue({ code: "custom", message: "Use an http or https URL." });
        return;
      }
      if (url.protocol !== "https:") ctx.addIssue({ code: "custom", message: "Use an https URL." });
      const refused = checkUrlTarget(url);
      if (refused) ctx.addIssue({ code: "custom", message: "Webhooks cannot go to private, loopback or link-local addresses." });
    });
}

/** As a form sends it (checkboxes as "on", one event type as a string) or the API (booleans, an array). */
const endpointFields = {
  url: endpointUrlSchema(),
  description: optionalText(200, "The description"),
  // An unticked box is not sent at all: absent is false, and no event type is none.
  allEvents: checkbox.default(false),
  eventTypes: z
    .preprocess(
      (v) => (v == null ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.enum(subscribableEventTypes, { error: "Choose event types from the list." })),
    )
    .default([]),
  enabled: checkbox.default(false),
  format: z.enum(webhookFormatIds, { error: "Choose a format from the list." }).default("standard"),
  /**
   * Null (or left empty): the merchant's webhook settings. The form sends
   * text ("10s, 10s, 10s"; a bare number is minutes), the API seconds.
   */
  retrySchedule: z
    .unknown()
    .transform((v, ctx): number[] | null => {
      if (v == null || (typeof v === "string" && v.trim() === "")) return null;
      const checked =
        typeof v === "string"
          ? parseSchedule(v)
          : Array.isArray(v) && v.every((s) => typeof s === "number")
            ? checkSchedule(v as number[])
            : { ok: false as const, message: "The retry schedule is a list of seconds." };
      if (checked.ok) return checked.seconds;
      ctx.addIssue({ code: "custom", message: checked.message });
      return z.NEVER;
    })
    .optional()
    .transform((v) => v ?? null),
};
type EndpointFields = { allEvents: boolean; eventTypes: string[]; format: (typeof webhookFormatIds)[number] };
const someEvents = (v: EndpointFields) => v.allEvents || v.eventTypes.length > 0;
const someEventsError = { path: ["eventTypes"], message: "Choose at least one event type, or send all of them." };
/** An event a format never sends cannot be chosen for it: the endpoint would wait for it in vain. */
const unsent = (v: EndpointFields) => (v.allEvents ? [] : v.eventTypes.filter((t) => !formatSends(v.format, t)));
const sentByFormat = {
  path: ["eventTypes"],
  error: (issue) => {
    const v = issue.input as EndpointFields;
    const left = unsent(v);
    return `The ${webhookFormats[v.format].label} format does not send ${left.join(", ")}: untick ${left.length === 1 ? "it" : "them"}, or send every event it has.`;
  },
  // Checked beside the other fields' errors (so all come back at once), once the fields it reads are sound.
  when: (payload) => !payload.issues.some((i) => ["eventTypes", "allEvents", "format"].includes(String(i.path?.[0]))),
} satisfies z.core.$ZodCustomParams;

export const endpointInput = z
  .object(endpointFields)
  .refine(someEvents, someEventsError)
  .refine((v) => unsent(v).length === 0, sentByFormat);
export const endpointUpdateInput = z
  .object({ id: z.string().min(1), ...endpointFields })
  .refine(someEvents, someEventsError)
  .refine((v) => unsent(v).length === 0, sentByFormat);
export type EndpointInput = z.input<typeof endpointInput>;
const idInput = z.object({ id: z.string().min(1) });

/** An endpoint as pages and the API show it: never its secret. */
export type EndpointView = Omit<WebhookEndpoint, "secret" | "previousSecret" | "deletedAt"> & { rotating: boolean };
/** An endpoint not deleted: it has its secret. */
type LiveEndpoint = WebhookEndpoint & { secret: string; deletedAt: null };

function view(row: WebhookEndpoint, now = new Date()): EndpointView {
  const { secret: _secret, previousSecret, deletedAt: _deletedAt, ...rest } = row;
  return { ...rest, rotating: !!previousSecret && !!row.previousSecretExpiresAt && row.previousSecretExpiresAt > now };
}

/** Scopes a query to endpoints that are not deleted. */
const live = (merchantId: string) => and(eq(webhookEndpoints.merchantId, merchantId), isNull(webhookEndpoints.deletedAt));

/** A live endpoint of the merchant; a deleted one is not found, for reading and changing alike. */
async function findEndpoint(db: Database, merchantId: string, id: string, { lock = false } = {}): Promise<LiveEndpoint> {
  const query = db
    .select()
    .from(webhookEndpoints)
    .where(and(live(merchantId), eq(webhookEndpoints.id, id)));
  const [row] = lock ? await query.for("update") : await query;
  if (!row?.secret) throw notFound("Endpoint not found.");
  return row as LiveEndpoint;
}

export async function getEndpoint(db: Database, { merchantId, id }: { merchantId: string; id: string }): Promise<EndpointView> {
  const row = await findEndpoint(db, merchantId, id);
  const health = await endpointHealth(db, merchantId, [id]);
  return { ...view(row), lastAttemptAt: latest(row.lastAttemptAt, health.get(id)?.lastAttemptAt) };
}

const latest = (a: Date | null, b: Date | undefined): Date | null => (b && (!a || b > a) ? b : a);

export interface EndpointHealth {
  attempts24h: number;
  succeeded24h: number;
  /** Null when nothing was attempted in 24 hours. */
  successRate24h: number | null;
  /** The latest attempt in those 24 hours, exact (the endpoint row's own is written at most once a minute). */
  lastAttemptAt?: Date;
}

/** The merchant's endpoints (not the deleted ones), newest first, each with its success rate over the last 24 hours. */
export async function listEndpoints(db: Database, merchantId: string, now = new Date()) {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(live(merchantId))
    .orderBy(desc(webhookEndpoints.createdAt));
  const health = await endpointHealth(db, merchantId, rows.map((r) => r.id), now);
  return rows.map((r) => {
    const { lastAttemptAt, ...h } = health.get(r.id)!;
    return { ...view(r, now), lastAttemptAt: latest(r.lastAttemptAt, lastAttemptAt), health: h };
  });
}

/**
 * Every endpoint the log can name, for its filter: the live ones, newest
 * first, then the deleted ones, whose deliveries stay in the log.
 */
export async function endpointOptions(db: Database, merchantId: string): Promise<EndpointOption[]> {
  const rows = await db
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, description: webhookEndpoints.description, deletedAt: webhookEndpoints.deletedAt })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.merchantId, merchantId))
    .orderBy(sql`${webhookEndpoints.deletedAt} is not null`, desc(webhookEndpoints.createdAt));
  return rows.map((r) => ({ id: r.id, url: r.url, description: r.description, deleted: r.deletedAt !== null }));
}

export async function endpointHealth(db: Database, merchantId: string, ids: string[], now = new Date()) {
  const out = new Map<string, EndpointHealth>(ids.map((id) => [id, { attempts24h: 0, succeeded24h: 0, successRate24h: null }]));
  if (!ids.length) return out;
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const stats = await db
    .select({
      endpointId: webhookAttempts.endpointId,
      // An attempt still in flight has no result yet: not counted until it has.
      total: sql<number>`(count(*) filter (where ${webhookAttempts.outcome} <> 'pending' or ${webhookAttempts.error} is not null))::int`,
      ok: sql<number>`(count(*) filter (where ${webhookAttempts.outcome} = 'succeeded'))::int`,
      last: sql<string>`max(${webhookAttempts.startedAt})`,
    })
    .from(webhookAttempts)
    .where(
      and(
        eq(webhookAttempts.merchantId, merchantId),
        inArray(webhookAttempts.endpointId, ids),
        sql`${webhookAttempts.startedAt} > ${since.toISOString()}::timestamptz`,
      ),
    )
    .groupBy(webhookAttempts.endpointId);
  for (const s of stats) {
    out.set(s.endpointId!, { attempts24h: s.total, succeeded24h: s.ok, successRate24h: s.total ? s.ok / s.total : null, lastAttemptAt: new Date(s.last) });
  }
  return out;
}

/** Endpoints the engine turned off, for the alerts on the dashboard and the endpoints page. */
export async function autoDisabledEndpoints(db: Database, merchantId: string) {
  return db
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, autoDisabledAt: webhookEndpoints.autoDisabledAt })
    .from(webhookEndpoints)
    .where(and(live(merchantId), eq(webhookEndpoints.enabled, false), isNotNull(webhookEndpoints.autoDisabledAt)));
}
export type DisabledEndpoint = Awaited<ReturnType<typeof autoDisabledEndpoints>>[number];

const auditView = (e: Pick<WebhookEndpoint, "url" | "description" | "eventTypes" | "enabled" | "format" | "retrySchedule">) => ({
  url: e.url,
  description: e.description,
  eventTypes: e.eventTypes ?? "all",
  enabled: e.enabled,
  format: e.format,
  retrySchedule: e.retrySchedule ?? "merchant settings",
});

export const createEndpoint = defineCommand({
  name: "webhooks.endpoint.create",
  permission: "webhooks.write",
  input: endpointInput,
  async run({ tx, actor, merchantId }, data): Promise<EndpointView> {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        id: newId("we"),
        merchantId,
        url: data.url,
        description: data.description ?? null,
        eventTypes: data.allEvents ? null : data.eventTypes,
        enabled: data.enabled,
        format: data.format,
        retrySchedule: data.retrySchedule,
        secret: sealSecret(generateSigningSecret()),
      })
      .returning();
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "webhook_endpoint.created",
      targetType: "webhook_endpoint",
      targetId: row!.id,
      after: auditView(row!),
    });
    return view(row!);
  },
});

export const updateEndpoint = defineCommand({
  name: "webhooks.endpoint.update",
  permission: "webhooks.write",
  input: endpointUpdateInput,
  async run({ tx, actor, merchantId }, { id, ...data }): Promise<EndpointView> {
    const before = await findEndpoint(tx, merchantId, id);
    const reenabled = data.enabled && !before.enabled;
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        url: data.url,
        description: data.description ?? null,
        eventTypes: data.allEvents ? null : data.eventTypes,
        enabled: data.enabled,
        format: data.format,
        retrySchedule: data.retrySchedule,
        updatedAt: new Date(),
        // Turning it back on starts a fresh record: the 5-day clock restarts.
        ...(reenabled ? { autoDisabledAt: null, failingSince: null, consecutiveFailures: 0 } : {}),
      })
      .where(and(live(merchantId), eq(webhookEndpoints.id, id)))
      .returning();
    if (!row) throw notFound("Endpoint not found.");
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "webhook_endpoint.updated",
      targetType: "webhook_endpoint",
      targetId: id,
      before: auditView(before),
      after: auditView(row!),
    });
    return view(row!);
  },
});

/**
 * Deletes softly: the row stays, marked deleted, so its deliveries keep
 * naming it (URL and description) and the log still filters by it. It gets no
 * new event (subscribersOf), nothing queued for it is sent (no next attempt,
 * and without a secret the dispatcher sends nothing), and it cannot be changed.
 */
export const deleteEndpoint = defineCommand({
  name: "webhooks.endpoint.delete",
  permission: "webhooks.write",
  input: idInput,
  async run({ tx, actor, merchantId }, { id }): Promise<void> {
    const before = await findEndpoint(tx, merchantId, id, { lock: true });
    const now = new Date();
    await tx
      .update(webhookDeliveries)
      .set({ nextAttemptAt: null })
      .where(and(eq(webhookDeliveries.merchantId, merchantId), eq(webhookDeliveries.endpointId, id), isNotNull(webhookDeliveries.nextAttemptAt)));
    await tx
      .update(webhookEndpoints)
      .set({ deletedAt: now, updatedAt: now, secret: null, previousSecret: null, previousSecretExpiresAt: null })
      .where(and(live(merchantId), eq(webhookEndpoints.id, id)));
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "webhook_endpoint.deleted",
      targetType: "webhook_endpoint",
      targetId: id,
      before: auditView(before),
    });
  },
});

/** The signing secret in clear, for owners and admins; every reveal is audit-logged. */
export const revealSecret = defineCommand({
  name: "webhooks.secret.reveal",
  permission: "webhooks.write",
  input: idInput,
  async run({ tx, actor, merchantId }, { id }): Promise<{ secret: string; previousSecret: string | null }> {
    const row = await findEndpoint(tx, merchantId, id);
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "webhook_endpoint.secret_revealed",
      targetType: "webhook_endpoint",
      targetId: id,
    });
    const rotating = row.previousSecret && row.previousSecretExpiresAt && row.previousSecretExpiresAt > new Date();
    return { secret: openSecret(row.secret), previousSecret: rotating ? openSecret(row.previousSecret!) : null };
  },
});

/** A new secret; the old one keeps signing alongside it for 24 hours, so receivers can switch over. */
export const rotateSecretWith = (given?: Partial<Outside>) =>
  defineCommand({
    name: "webhooks.secret.rotate",
    permission: "webhooks.write",
    input: idInput,
    async run({ tx, actor, merchantId }, { id }): Promise<{ endpointId: string; secret: string; previousExpiresAt: Date }> {
      const now = outside(given).now();
      const row = await findEndpoint(tx, merchantId, id, { lock: true });
      const secret = generateSigningSecret();
      const previousExpiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS);
      await tx
        .update(webhookEndpoints)
        .set({ secret: sealSecret(secret), previousSecret: row.secret, previousSecretExpiresAt: previousExpiresAt, updatedAt: now })
        .where(and(live(merchantId), eq(webhookEndpoints.id, id)));
      await writeAudit(tx, {
        merchantId,
        actorUserId: actor.userId,
        action: "webhook_endpoint.secret_rotated",
        targetType: "webhook_endpoint",
        targetId: id,
        after: { previousSecretExpiresAt: previousExpiresAt.toISOString() },
      });
      return { endpointId: id, secret, previousExpiresAt };
    },
  });
export const rotateSecret = rotateSecretWith();

/**
 * Sends a `webhook.test` event to one endpoint now and returns the attempt.
 * It is a real event and delivery, so it shows in the log like any other.
 * No transaction is held while the receiver answers.
 */
export const sendTestEventWith = (given?: Partial<Outside>) =>
  defineCommand({
    name: "webhooks.endpoint.test",
    permission: "webhooks.write",
    input: idInput,
    transactional: false,
    async run({ tx: db, actor, merchantId, livemode }, { id }) {
      const { sender, now } = outside(given);
      const endpoint = await findEndpoint(db, merchantId, id);
      if (!formatSends(endpoint.format, "webhook.test")) {
        // A gateway's format has no test event, and a made-up payment would look real to its receiver.
        throw new AppError(
          "conflict",
          `The ${webhookFormats[endpoint.format].label} format has no test event: a made-up payment would look real to your receiver. To try this endpoint, pay an invoice with the sandbox in test mode.`,
        );
      }
      const eventId = newId("evt");
      const deliveryId = newId("dlv");
      await transaction(db, async (tx) => {
        await tx.insert(events).values({
          id: eventId,
          merchantId,
          type: "webhook.test",
          invoiceId: null,
          data: { livemode, endpoint_id: endpoint.id, message: "A test event from Settle. If you can read this, your endpoint works." },
        });
        // No next_attempt_at: this process sends it right away, not the dispatcher.
        await tx.insert(webhookDeliveries).values({
          id: deliveryId,
          merchantId,
          eventId,
          endpointId: endpoint.id,
          messageId: messageIdOf(eventId),
          eventType: "webhook.test",
        });
      });
      const claimed = await claimOne(db, { merchantId, deliveryId, now: now(), trigger: "test", triggeredBy: actor.userId });
      if (!claimed) throw new Error("a new test delivery was claimed elsewhere");
      const outcome = await attemptDelivery(sender(), claimed);
      await recordOutcomes(db, [outcome], now());
      return outcome;
    },
  });
export const sendTestEvent = sendTestEventWith();
