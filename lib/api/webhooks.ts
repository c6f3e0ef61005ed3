import { z } from "zod";
import { isoDate } from "@/lib/validation";
import { webhookDeliveries } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { keysetAfter } from "@/lib/paging";
import type { AttemptOutcome } from "@/lib/webhooks/attempts";
import { deliveryStatuses, getDeliveryDetail, listDeliveries, retryDelivery } from "@/lib/webhooks/deliveries";
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointView,
  getEndpoint,
  listEndpoints,
  revealSecret,
  rotateSecret,
  sendTestEvent,
  subscribableEventTypes,
  updateEndpoint,
} from "@/lib/webhooks/endpoints";
import { webhookFormatIds } from "@/lib/webhooks/formats/catalogue";
import { idParams } from "./invoices";
import { deletedObject, livemodeField } from "./objects";
import { attemptExample, deliveryDetailExample, deliveryExample, endpointExample, list } from "./examples";
import { defineOperation } from "./operation";
import { listOf, pageQuery } from "./pagination";

const iso = (d: Date | null) => d?.toISOString() ?? null;
const formatDescription =
  "The payload shape, event names and signature of its deliveries: `standard` (Standard Webhooks, every event) or a gateway's own, so a receiver written for it works unchanged: " +
  "`finan`, `myfatoorah_v1`, `foloosi`, `furatpay`. A gateway format sends only the events it has an equivalent of (see the webhooks section).";
const eventType = z.enum(subscribableEventTypes);

export const endpointObject = z
  .object({
    livemode: livemodeField,
    id: z.string().meta({ examples: ["we_01jq3m6x4r8t2v5w7y9z0a1b2c"] }),
    url: z.string(),
    description: z.string().nullable(),
    event_types: z.array(z.string()).nullable().meta({ description: "null: every event type (that its format sends)." }),
    enabled: z.boolean(),
    format: z.enum(webhookFormatIds).meta({ description: formatDescription }),
    retry_schedule: z
      .array(z.number().int())
      .nullable()
      .meta({ description: "Seconds between automatic attempts for this endpoint; null: the webhook settings' schedule." }),
    rotating: z.boolean().meta({ description: "True while the previous secret still signs too (24 hours after a rotation)." }),
    auto_disabled_at: z.string().nullable().meta({ description: "Set when Settle turned the endpoint off after 5 days of failures." }),
    consecutive_failures: z.number().int(),
    last_attempt_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "WebhookEndpoint" });

function endpointJson(e: EndpointView) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    event_types: e.eventTypes,
    enabled: e.enabled,
    format: e.format,
    retry_schedule: e.retrySchedule,
    rotating: e.rotating,
    auto_disabled_at: iso(e.autoDisabledAt),
    consecutive_failures: e.consecutiveFailures,
    last_attempt_at: iso(e.lastAttemptAt),
    created_at: e.createdAt.toISOString(),
  };
}

const endpointFields = {
  url: z.string().min(1).max(2000).meta({ description: "Where Settle POSTs events (https in production)." }),
  description: z.string().max(200).nullable().optional(),
  event_types: z.array(eventType).min(1).nullable().optional().meta({ description: "The events to send; leave out (or null) for all of them." }),
  enabled: z.boolean().optional(),
  format: z.enum(webhookFormatIds).optional().meta({ description: `${formatDescription} Default \`standard\`.` }),
  retry_schedule: z
    .array(z.number().int())
    .min(1)
    .max(20)
    .nullable()
    .optional()
    .meta({
      description:
        "Seconds between automatic attempts (each 5 s to 7 days, 1–20 steps); leave out or null for the webhook settings' schedule. The gateways' own: MyFatoorah `[10, 10, 10]` (4 tries, 10 s apart), Finan `[300, 600, 900]`.",
    }),
};

export const listEndpointsOp = defineOperation({
  operationId: "listWebhookEndpoints",
  method: "GET",
  path: "/webhook-endpoints",
  tag: "Webhooks",
  summary: "List webhook endpoints",
  examples: { response: list(endpointExample) },
  response: z.object({ object: z.literal("list"), data: z.array(endpointObject), has_more: z.literal(false) }),
  async run({ db, principal }) {
    return { object: "list", data: (await listEndpoints(db, principal.merchantId)).map(endpointJson), has_more: false };
  },
});

export const createEndpointOp = defineOperation({
  operationId: "createWebhookEndpoint",
  command: createEndpoint,
  method: "POST",
  path: "/webhook-endpoints",
  tag: "Webhooks",
  summary: "Add a webhook endpoint",
  description:
    "The response carries the signing secret (`whsec_…`) that verifies its deliveries: with the standardwebhooks package, or, for a gateway format, as that gateway's docs verify its own (the webhooks section).",
  body: z.object(endpointFields).strict(),
  response: endpointObject.extend({ secret: z.string().meta({ examples: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] }) }),
  status: 201,
  idempotency: "transaction",
  fieldRenames: { eventTypes: "event_types", allEvents: "event_types", retrySchedule: "retry_schedule" },
  examples: { response: { ...endpointExample, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }, request: { url: "https://shop.example/settle/webhooks", description: "Order system", event_types: ["invoice.paid", "invoice.partially_paid"] } },
  async run({ db, principal, body }) {
    const endpoint = await createEndpoint(db, principal.actor, {
      url: body.url,
      description: body.description ?? undefined,
      allEvents: !body.event_types,
      eventTypes: body.event_types ?? [],
      enabled: body.enabled ?? true,
      format: body.format,
      retrySchedule: body.retry_schedule ?? null,
    });
    const { secret } = await revealSecret(db, principal.actor, { id: endpoint.id });
    return { ...endpointJson(endpoint), secret };
  },
});

export const getEndpointOp = defineOperation({
  operationId: "getWebhookEndpoint",
  method: "GET",
  path: "/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "Get a webhook endpoint",
  params: idParams,
  examples: { response: endpointExample },
  response: endpointObject,
  run: async ({ db, principal, params }) => endpointJson(await getEndpoint(db, { merchantId: principal.merchantId, id: params.id })),
});

export const updateEndpointOp = defineOperation({
  operationId: "updateWebhookEndpoint",
  command: updateEndpoint,
  method: "PATCH",
  path: "/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "Change a webhook endpoint",
  description: "Only the fields sent change. Turning an endpoint back on starts its failure record afresh.",
  params: idParams,
  body: z.object({ ...endpointFields, url: endpointFields.url.optional() }).strict(),
  response: endpointObject,
  fieldRenames: { eventTypes: "event_types", allEvents: "event_types", retrySchedule: "retry_schedule" },
  examples: { response: { ...endpointExample, enabled: false }, request: { enabled: false } },
  async run({ db, principal, params, body }) {
    const before = await getEndpoint(db, { merchantId: principal.merchantId, id: params.id });
    const types = body.event_types === undefined ? before.eventTypes : body.event_types;
    const updated = await updateEndpoint(db, principal.actor, {
      id: params.id,
      url: body.url ?? before.url,
      description: (body.description === undefined ? before.description : body.description) ?? undefined,
      allEvents: types === null,
      eventTypes: types ?? [],
      enabled: body.enabled ?? before.enabled,
      format: body.format ?? before.format,
      retrySchedule: body.retry_schedule === undefined ? before.retrySchedule : body.retry_schedule,
    });
    return endpointJson(updated);
  },
});

export const deleteEndpointOp = defineOperation({
  operationId: "deleteWebhookEndpoint",
  command: deleteEndpoint,
  method: "DELETE",
  path: "/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "Delete a webhook endpoint",
  description: "Its deliveries stay in the log, still found by its id; none is sent any more. A deleted endpoint is no longer listed, read or changed.",
  params: idParams,
  examples: { response: { id: endpointExample.id, deleted: true } },
  response: deletedObject,
  async run({ db, principal, params }) {
    await deleteEndpoint(db, principal.actor, { id: params.id });
    return { id: params.id, deleted: true };
  },
});

export const rotateSecretOp = defineOperation({
  operationId: "rotateWebhookSecret",
  command: rotateSecret,
  method: "POST",
  path: "/webhook-endpoints/{id}/rotate-secret",
  tag: "Webhooks",
  summary: "Rotate an endpoint's signing secret",
  description: "The old secret keeps signing beside the new one for 24 hours, so your receiver can switch over. Takes no body.",
  params: idParams,
  examples: { response: { secret: "whsec_3k9Vd0bJ2Yf8Qm1Lx7Rt4Wn6Zs5Pa2Cq", previous_secret_expires_at: "2026-03-02T09:30:00.000Z" } },
  response: z.object({ secret: z.string(), previous_secret_expires_at: z.string() }),
  idempotency: "transaction",
  async run({ db, principal, params }) {
    const { secret, previousExpiresAt } = await rotateSecret(db, principal.actor, { id: params.id });
    return { secret, previous_secret_expires_at: previousExpiresAt.toISOString() };
  },
});

export const attemptObject = z
  .object({
    livemode: livemodeField,
    delivery_id: z.string(),
    outcome: z.enum(["succeeded", "failed", "timeout"]),
    response_status: z.number().int().nullable(),
    response_body: z.string().nullable().meta({ description: "The first 4 KiB." }),
    error: z.string().nullable(),
    duration_ms: z.number().int(),
  })
  .meta({ id: "WebhookAttemptResult" });

const attemptJson = (o: AttemptOutcome) => ({
  delivery_id: o.delivery.id,
  outcome: o.outcome,
  response_status: o.responseStatus,
  response_body: o.responseBody,
  error: o.error,
  duration_ms: o.durationMs,
});

export const testEndpointOp = defineOperation({
  operationId: "sendWebhookTestEvent",
  command: sendTestEvent,
  method: "POST",
  path: "/webhook-endpoints/{id}/test",
  tag: "Webhooks",
  summary: "Send a test event now",
  description: "A real `webhook.test` event and delivery, sent at once; the response is the attempt. Takes no body.",
  params: idParams,
  examples: { response: attemptExample },
  response: attemptObject,
  // It talks to the receiver: done first, its result stored after.
  idempotency: "after",
  run: async ({ db, principal, params }) => attemptJson(await sendTestEvent(db, principal.actor, { id: params.id })),
});

const day = isoDate("The date");

export const listDeliveriesQuery = z
  .object({
    status: z
      .union([z.enum(deliveryStatuses), z.array(z.enum(deliveryStatuses))])
      .optional()
      .meta({ description: "One or more (repeat the parameter)." }),
    endpoint_id: z.string().max(100).optional().meta({ description: "An endpoint's id; a deleted endpoint's deliveries are still found by it." }),
    event_type: z.string().max(100).optional(),
    created_from: day.optional(),
    created_to: day.optional(),
    q: z.string().max(100).optional().meta({ description: "An event, delivery or message id, an invoice id, or an invoice number." }),
    ...pageQuery,
  })
  .strict();

export const deliveryObject = z
  .object({
    livemode: livemodeField,
    id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    invoice_id: z.string().nullable(),
    endpoint_id: z.string().nullable(),
    endpoint_url: z.string().nullable(),
    endpoint_description: z.string().nullable(),
    endpoint_deleted_at: z.string().nullable().meta({ description: "Set when the endpoint was deleted: nothing more is sent to it, and its deliveries stay listed." }),
    status: z.enum(deliveryStatuses),
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "WebhookDelivery" });

type DeliveryBase = {
  id: string;
  eventId: string;
  eventType: string;
  invoiceId: string | null;
  endpointId: string | null;
  endpointUrl: string | null;
  endpointDescription: string | null;
  endpointDeletedAt: Date | null;
  status: (typeof deliveryStatuses)[number];
  attempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
};
const deliveryJson = (d: DeliveryBase) => ({
  id: d.id,
  event_id: d.eventId,
  event_type: d.eventType,
  invoice_id: d.invoiceId,
  endpoint_id: d.endpointId,
  endpoint_url: d.endpointUrl,
  endpoint_description: d.endpointDescription,
  endpoint_deleted_at: iso(d.endpointDeletedAt),
  status: d.status,
  attempts: d.attempts,
  next_attempt_at: iso(d.nextAttemptAt),
  created_at: d.createdAt.toISOString(),
});

export const listDeliveriesOp = defineOperation({
  operationId: "listWebhookDeliveries",
  method: "GET",
  path: "/webhook-deliveries",
  tag: "Webhooks",
  summary: "List webhook deliveries",
  description: "The delivery log, newest first, with the filters of the dashboard's log.",
  query: listDeliveriesQuery,
  examples: { response: list(deliveryExample) },
  response: listOf(deliveryObject),
  async run({ db, principal, query }) {
    const after = await keysetAfter(db, webhookDeliveries, { merchantId: principal.merchantId, startingAfter: query.starting_after, what: "delivery" });
    const page = await listDeliveries(db, {
      merchantId: principal.merchantId,
      filter: {
        status: query.status === undefined ? [] : Array.isArray(query.status) ? query.status : [query.status],
        endpoint: query.endpoint_id,
        type: query.event_type,
        from: query.created_from,
        to: query.created_to,
        q: query.q,
      },
      after,
      limit: query.limit,
    });
    return { object: "list", data: page.rows.map(deliveryJson), has_more: page.nextCursor !== null };
  },
});

export const getDeliveryOp = defineOperation({
  operationId: "getWebhookDelivery",
  method: "GET",
  path: "/webhook-deliveries/{id}",
  tag: "Webhooks",
  summary: "Get a delivery with every attempt",
  params: idParams,
  examples: { response: deliveryDetailExample },
  response: deliveryObject
    .extend({
      message_id: z.string().meta({ description: "The `webhook-id` header: the same on every attempt." }),
      event_data: z.unknown(),
      attempt_list: z.array(
        z.object({
          id: z.string(),
          trigger: z.enum(["auto", "manual", "bulk", "test"]),
          outcome: z.string(),
          request_url: z.string(),
          request_headers: z.record(z.string(), z.string()),
          request_body: z.string(),
          response_status: z.number().int().nullable(),
          response_headers: z.record(z.string(), z.string()).nullable(),
          response_body: z.string().nullable(),
          duration_ms: z.number().int(),
          error: z.string().nullable(),
          started_at: z.string(),
        }),
      ),
    })
    .meta({ id: "WebhookDeliveryDetail" }),
  async run({ db, principal, params }) {
    const d = await getDeliveryDetail(db, { merchantId: principal.merchantId, id: params.id });
    if (!d) throw notFound("Delivery not found.");
    return {
      ...deliveryJson(d),
      message_id: d.messageId,
      event_data: d.eventData,
      attempt_list: d.attemptList.map((a) => ({
        id: a.id,
        trigger: a.trigger,
        outcome: a.outcome,
        request_url: a.requestUrl,
        request_headers: a.requestHeaders,
        request_body: a.requestBody,
        response_status: a.responseStatus,
        response_headers: a.responseHeaders,
        response_body: a.responseBody,
        duration_ms: a.durationMs,
        error: a.error,
        started_at: a.startedAt.toISOString(),
      })),
    };
  },
});

export const retryDeliveryOp = defineOperation({
  operationId: "retryWebhookDelivery",
  command: retryDelivery,
  method: "POST",
  path: "/webhook-deliveries/{id}/retry",
  tag: "Webhooks",
  summary: "Send a delivery again now",
  description: "Whatever its status; the response is the attempt. Takes no body.",
  params: idParams,
  examples: { response: attemptExample },
  response: attemptObject,
  idempotency: "after",
  run: async ({ db, principal, params }) => attemptJson(await retryDelivery(db, principal.actor, { id: params.id })),
});
