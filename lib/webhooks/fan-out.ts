import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { afterCommit, queueAppend } from "@/db/transaction";
import { type InvoiceEvent, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log/logger";
import { formatsSending } from "./formats/catalogue";
import { pokeDispatcher } from "./poke";

/** One `webhook-id` per event: every endpoint and every attempt of it carries the same one. */
export const messageIdOf = (eventId: string) => `msg_${eventId.replace(/^evt_/, "")}`;

/**
 * The enabled, not deleted endpoints of a merchant that take an event type:
 * subscribed to it, in a format that has an equivalent of it (an endpoint in
 * Finan's format gets no delivery of an invoice.created). Read it before
 * taking a lock when you can.
 */
export async function subscribersOf(db: Database, merchantId: string, type: string): Promise<string[]> {
  const rows = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.merchantId, merchantId),
        eq(webhookEndpoints.enabled, true),
        isNull(webhookEndpoints.deletedAt),
        sql`(${webhookEndpoints.eventTypes} is null or ${type} = any(${webhookEndpoints.eventTypes}))`,
        inArray(webhookEndpoints.format, formatsSending(type)),
      ),
    );
  return rows.map((r) => r.id);
}

/**
 * Turns an event into deliveries, inside the transaction that wrote the event:
 * one per endpoint in `targets` (read with subscribersOf), or one `url_not_set`
 * record when no endpoint takes it. The dispatcher is woken once the
 * transaction has committed.
 */
export async function fanOutEvent(
  db: Database,
  event: Pick<InvoiceEvent, "id" | "merchantId" | "type" | "invoiceId">,
  targets: string[],
): Promise<void> {
  const base = {
    merchantId: event.merchantId,
    eventId: event.id,
    messageId: messageIdOf(event.id),
    eventType: event.type,
    invoiceId: event.invoiceId,
  };
  // With the request id (when a request made the event): what ties a log line to the deliveries.
  log.debug({ eventId: event.id, eventType: event.type, messageId: base.messageId, endpoints: targets.length }, "webhooks: event queued");
  if (!targets.length) {
    await queueAppend(db, webhookDeliveries, db.insert(webhookDeliveries).values({ id: newId("dlv"), ...base, status: "url_not_set" }));
    return;
  }
  const rows = targets.map((endpointId) => ({ id: newId("dlv"), ...base, endpointId, nextAttemptAt: sql`now()` }));
  await queueAppend(db, webhookDeliveries, db.insert(webhookDeliveries).values(rows));
  afterCommit(db, pokeDispatcher);
}
