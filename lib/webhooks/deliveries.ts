import { and, asc, desc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { withinDays } from "@/lib/day-range";
import { z } from "zod";
import type { Database } from "@/db/client";
import {
  events,
  invoices,
  users,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  type WebhookRetryJob,
  webhookRetryJobs,
} from "@/db/schema";
import { afterCommit, transaction } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { parseInvoiceNumber } from "@/lib/invoices/schemas";
import type { Keyset } from "@/lib/paging";
import { type AttemptOutcome, attemptDelivery, recordOutcomes } from "./attempts";
import { claimOne, INTERRUPTED } from "./claims";
import { type DeliveryFilter, deliveryFilterSchema } from "./filters";
import { formatBuilders, formatSends, type WebhookFormatId } from "./formats";
import { pokeDispatcher } from "./poke";
import { type Outside, outside } from "./runner";

export const BULK_RETRY_CAP = 10_000;
export { deliveryFilterSchema, deliveryStatuses, filterFromSearchParams, filterToSearchParams } from "./filters";
export type { DeliveryFilter, DeliveryFilterInput } from "./filters";


function deliveryConditions(merchantId: string, f: DeliveryFilter): SQL[] {
  const d = webhookDeliveries;
  const conds: SQL[] = [eq(d.merchantId, merchantId)];
  if (f.status.length) conds.push(inArray(d.status, f.status));
  if (f.endpoint) conds.push(eq(d.endpointId, f.endpoint));
  if (f.type) conds.push(eq(d.eventType, f.type));
  conds.push(...withinDays(d.createdAt, f));
  if (f.q) {
    const q = f.q;
    const number = parseInvoiceNumber(q);
    if (q.startsWith("evt_")) conds.push(eq(d.eventId, q));
    else if (q.startsWith("dlv_")) conds.push(eq(d.id, q));
    else if (q.startsWith("msg_")) conds.push(eq(d.messageId, q));
    else if (q.startsWith("inv_")) conds.push(eq(d.invoiceId, q));
    else if (number !== null) {
      conds.push(
        inArray(
          d.invoiceId,
          sql`(select ${invoices.id} from ${invoices} where ${invoices.merchantId} = ${merchantId} and ${invoices.number} = ${number})`,
        ),
      );
    } else conds.push(sql`false`);
  }
  return conds;
}

/** Where a page of the log starts: after this delivery (the keyset of lib/paging.ts). */
export type DeliveryCursor = Keyset;
const cursorSchema = z.object({
  createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
  id: z.string(),
});
const encodeCursor = (c: DeliveryCursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
/** The dashboard's opaque `cursor`; anything unreadable means the first page. */
export function decodeCursor(s: string | undefined): DeliveryCursor | undefined {
  if (!s) return undefined;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(s, "base64url").toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** What every view of a delivery shows: the log row and the detail alike. */
const deliveryColumns = {
  id: webhookDeliveries.id,
  eventId: webhookDeliveries.eventId,
  eventType: webhookDeliveries.eventType,
  invoiceId: webhookDeliveries.invoiceId,
  endpointId: webhookDeliveries.endpointId,
  endpointUrl: webhookEndpoints.url,
  endpointDescription: webhookEndpoints.description,
  /** Set when its endpoint was deleted: the delivery keeps naming it. */
  endpointDeletedAt: webhookEndpoints.deletedAt,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  createdAt: webhookDeliveries.createdAt,
};

/** One page of the log, newest first, with a cursor for the next. */
export async function listDeliveries(
  db: Database,
  { merchantId, filter, after, limit = 50 }: { merchantId: string; filter: DeliveryFilter; after?: DeliveryCursor; limit?: number },
) {
  const d = webhookDeliveries;
  const conds = deliveryConditions(merchantId, filter);
  if (after) {
    const at = new Date(after.createdAt);
    conds.push(or(lt(d.createdAt, at), and(eq(d.createdAt, at), lt(d.id, after.id)))!);
  }
  const rows = await db
    .select({
      ...deliveryColumns,
      lastResponseStatus: d.lastResponseStatus,
      lastAttemptAt: d.lastAttemptAt,
    })
    .from(d)
    .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, d.endpointId))
    .where(and(...conds))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
  };
}
export type DeliveryRow = Awaited<ReturnType<typeof listDeliveries>>["rows"][number];

/** What the log's refresh asks for: its filters and the page it shows, as they stand in its URL. */
export const deliveryPageQuery = deliveryFilterSchema.extend({ cursor: z.string().max(500).optional() });

/** A page as the browser gets it (dates as ISO strings), for the first render and each refresh alike. */
export function deliveryPageJson(page: Awaited<ReturnType<typeof listDeliveries>>) {
  return {
    nextCursor: page.nextCursor,
    rows: page.rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      endpointDeletedAt: r.endpointDeletedAt?.toISOString() ?? null,
      nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
      lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
    })),
  };
}

export type DeliveryPageJson = ReturnType<typeof deliveryPageJson>;

/** A bulk retry's progress, as its progress bar polls it. */
export async function retryJobProgress(db: Database, scope: { merchantId: string; id: string }) {
  const job = await getRetryJob(db, scope);
  return { id: job.id, total: job.total, done: job.done, status: job.status };
}
export type RetryJobProgress = Awaited<ReturnType<typeof retryJobProgress>>;

/** A delivery with its event and every attempt, oldest first. */
export async function getDeliveryDetail(db: Database, { merchantId, id }: { merchantId: string; id: string }) {
  const d = webhookDeliveries;
  const [delivery] = await db
    .select({
      ...deliveryColumns,
      messageId: d.messageId,
      lockedUntil: d.lockedUntil,
      leaseId: d.leaseId,
      lastAttemptAt: d.lastAttemptAt,
      nextTrigger: d.nextTrigger,
      inFlightFor: sql<boolean>`${d.lockedUntil} > now()`,
      eventData: events.data,
      eventDataText: sql<string>`${events.data}::text`,
      eventCreatedAt: events.createdAt,
      format: webhookEndpoints.format,
    })
    .from(d)
    .innerJoin(events, eq(events.id, d.eventId))
    .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, d.endpointId))
    .where(and(eq(d.merchantId, merchantId), eq(d.id, id)));
  if (!delivery) return null;
  const attempts = await db
    .select({
      id: webhookAttempts.id,
      trigger: webhookAttempts.trigger,
      triggeredByEmail: users.email,
      outcome: webhookAttempts.outcome,
      requestUrl: webhookAttempts.requestUrl,
      requestHeaders: webhookAttempts.requestHeaders,
      requestBody: webhookAttempts.requestBody,
      responseStatus: webhookAttempts.responseStatus,
      responseHeaders: webhookAttempts.responseHeaders,
      responseBody: webhookAttempts.responseBody,
      durationMs: webhookAttempts.durationMs,
      error: webhookAttempts.error,
      startedAt: webhookAttempts.startedAt,
    })
    .from(webhookAttempts)
    .leftJoin(users, eq(users.id, webhookAttempts.triggeredBy))
    .where(and(eq(webhookAttempts.merchantId, merchantId), eq(webhookAttempts.deliveryId, id)))
    .orderBy(asc(webhookAttempts.startedAt), asc(webhookAttempts.id));
  const { eventDataText, leaseId, lastAttemptAt, nextTrigger, inFlightFor, ...rest } = delivery;
  // Kept bytes are shown as sent; a Standard Webhooks body, and an attempt whose send was never recorded, are rebuilt from the event.
  const format = formatBuilders[delivery.format ?? "standard"];
  const event = { type: delivery.eventType, createdAt: delivery.eventCreatedAt, dataJson: eventDataText };
  const bodyAt = (at: Date) => format.body(event, at) ?? "";
  const list = attempts.map((a) => ({ ...a, requestBody: a.requestBody ?? bodyAt(a.startedAt) }));
  // A claimed delivery is an attempt under way: shown as one with no result yet, or, once its lease has
  // run out with nobody recording it, as interrupted (the next claim writes it into the log so).
  if (leaseId && lastAttemptAt) {
    list.push({
      id: `${delivery.id}_in_flight`,
      trigger: nextTrigger ?? "auto",
      triggeredByEmail: null,
      outcome: "pending",
      requestUrl: delivery.endpointUrl ?? "",
      requestHeaders: {},
      requestBody: bodyAt(lastAttemptAt),
      responseStatus: null,
      responseHeaders: null,
      responseBody: null,
      durationMs: 0,
      error: inFlightFor ? null : INTERRUPTED,
      startedAt: lastAttemptAt,
    });
  }
  return { ...rest, attemptList: list };
}
export type DeliveryDetail = NonNullable<Awaited<ReturnType<typeof getDeliveryDetail>>>;

/**
 * Gives `url_not_set` deliveries the endpoints the merchant has now: the first
 * matching endpoint takes the delivery, each further one gets a new delivery
 * of the same message. Returns the deliveries created for the extra endpoints.
 */
async function attachEndpoints(tx: Database, merchantId: string, conds: SQL[], extra: { nextTrigger: "manual" | "bulk"; userId: string; now: Date }) {
  const d = webhookDeliveries;
  const unset = await tx
    .select({ id: d.id, eventId: d.eventId, eventType: d.eventType, messageId: d.messageId, invoiceId: d.invoiceId })
    .from(d)
    .where(and(...conds, eq(d.status, "url_not_set")))
    .limit(BULK_RETRY_CAP);
  if (!unset.length) return 0;
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes, format: webhookEndpoints.format })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.merchantId, merchantId), eq(webhookEndpoints.enabled, true), isNull(webhookEndpoints.deletedAt)))
    .orderBy(asc(webhookEndpoints.createdAt));
  const takes = (e: { eventTypes: string[] | null; format: WebhookFormatId }, type: string) =>
    (e.eventTypes === null || e.eventTypes.includes(type)) && formatSends(e.format, type);
  const byEndpoint = new Map<string, string[]>();
  const copies: Array<typeof d.$inferInsert> = [];
  for (const u of unset) {
    const [first, ...rest] = endpoints.filter((e) => takes(e, u.eventType));
    if (!first) continue;
    byEndpoint.set(first.id, [...(byEndpoint.get(first.id) ?? []), u.id]);
    for (const e of rest) {
      copies.push({
        id: newId("dlv"),
        merchantId,
        eventId: u.eventId,
        endpointId: e.id,
        messageId: u.messageId,
        eventType: u.eventType,
        invoiceId: u.invoiceId,
        nextAttemptAt: extra.now,
        nextTrigger: extra.nextTrigger,
        nextTriggeredBy: extra.userId,
      });
    }
  }
  for (const [endpointId, ids] of byEndpoint) {
    await tx.update(d).set({ endpointId, status: "pending" }).where(and(eq(d.merchantId, merchantId), inArray(d.id, ids)));
  }
  if (copies.length) await tx.insert(d).values(copies);
  return copies.length;
}

const idInput = z.object({ id: z.string().min(1) });

/**
 * Sends one delivery again now, whatever its status, and returns the attempt.
 * Owner, admin and support may; the retry is audit-logged. No transaction is
 * held while the receiver answers: the lease (claimOne) keeps others off it.
 */
export const retryDeliveryWith = (given?: Partial<Outside>) =>
  defineCommand({
    name: "webhooks.delivery.retry",
    permission: "webhooks.retry",
    input: idInput,
    transactional: false,
    async run({ tx: db, actor, merchantId }, { id: deliveryId }): Promise<AttemptOutcome> {
      const { sender, now } = outside(given);
      const d = webhookDeliveries;
      const [row] = await db
        .select({ id: d.id, status: d.status, endpointId: d.endpointId, endpointDeletedAt: webhookEndpoints.deletedAt })
        .from(d)
        .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, d.endpointId))
        .where(and(eq(d.merchantId, merchantId), eq(d.id, deliveryId)));
      if (!row) throw notFound("Delivery not found.");
      if (row.status === "url_not_set") {
        await transaction(db, async (tx) => {
          const copies = await attachEndpoints(tx, merchantId, [eq(d.merchantId, merchantId), eq(d.id, deliveryId)], {
            nextTrigger: "manual",
            userId: actor.userId,
            now: now(),
          });
          if (copies) afterCommit(tx, pokeDispatcher);
        });
        const [again] = await db.select({ endpointId: d.endpointId }).from(d).where(eq(d.id, deliveryId));
        if (!again?.endpointId) {
          throw new AppError("conflict", "No enabled endpoint takes this event type. Add or enable an endpoint, then retry.");
        }
      } else if (!row.endpointId || row.endpointDeletedAt) {
        throw new AppError("conflict", "The endpoint of this delivery was deleted, so there is nowhere to send it.");
      }

      const claimed = await claimOne(db, { merchantId, deliveryId, now: now(), trigger: "manual", triggeredBy: actor.userId });
      if (!claimed) throw new AppError("conflict", "This delivery is being sent right now. Try again in a moment.");
      const outcome = await attemptDelivery(sender(), claimed);
      await transaction(db, async (tx) => {
        await recordOutcomes(tx, [outcome], now());
        await writeAudit(tx, {
          merchantId,
          actorUserId: actor.userId,
          action: "webhook_delivery.retried",
          targetType: "webhook_delivery",
          targetId: deliveryId,
          before: { status: row.status },
          after: { status: outcome.outcome, responseStatus: outcome.responseStatus },
        });
      });
      return outcome;
    },
  });
export const retryDelivery = retryDeliveryWith();

/**
 * "Retry all matching": queues up to 10,000 deliveries that match the filter
 * for the dispatcher, tagged with a job whose progress the page shows.
 * Deliveries being sent at this moment are left to finish.
 */
export const startBulkRetryWith = (given?: Partial<Outside>) =>
  defineCommand({
    name: "webhooks.delivery.retry_all",
    permission: "webhooks.retry",
    input: deliveryFilterSchema,
    async run({ tx, actor, merchantId }, filter): Promise<WebhookRetryJob> {
      const now = outside(given).now();
      const d = webhookDeliveries;
      const conds = deliveryConditions(merchantId, filter);
      await attachEndpoints(tx, merchantId, conds, { nextTrigger: "bulk", userId: actor.userId, now });
      const jobId = newId("wrj");
      const targets = tx
        .select({ id: d.id })
        .from(d)
        .where(
          and(
            ...conds,
            sql`${d.endpointId} is not null`,
            // A deleted endpoint's deliveries stay in the log, with nowhere to go.
            sql`not exists (select 1 from ${webhookEndpoints} e where e.id = ${d.endpointId} and e.deleted_at is not null)`,
            sql`(${d.lockedUntil} is null or ${d.lockedUntil} <= now())`,
          ),
        )
        .orderBy(desc(d.createdAt))
        .limit(BULK_RETRY_CAP);
      const queued = await tx
        .update(d)
        .set({ nextAttemptAt: now, nextTrigger: "bulk", nextTriggeredBy: actor.userId, retryJobId: jobId })
        .where(inArray(d.id, targets))
        .returning({ id: d.id });
      const [row] = await tx
        .insert(webhookRetryJobs)
        .values({
          id: jobId,
          merchantId,
          createdBy: actor.userId,
          filter,
          total: queued.length,
          status: queued.length ? "running" : "finished",
          finishedAt: queued.length ? null : now,
        })
        .returning();
      await writeAudit(tx, {
        merchantId,
        actorUserId: actor.userId,
        action: "webhook_delivery.bulk_retried",
        targetType: "webhook_retry_job",
        targetId: jobId,
        after: { filter, queued: queued.length },
      });
      afterCommit(tx, pokeDispatcher);
      return row!;
    },
  });
export const startBulkRetry = startBulkRetryWith();

export async function getRetryJob(db: Database, { merchantId, id }: { merchantId: string; id: string }) {
  const [job] = await db
    .select()
    .from(webhookRetryJobs)
    .where(and(eq(webhookRetryJobs.merchantId, merchantId), eq(webhookRetryJobs.id, id)));
  if (!job) throw notFound("Retry job not found.");
  return job;
}
