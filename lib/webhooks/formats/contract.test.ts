import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { events } from "@/db/schema";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { exampleRequest, payloadSchema } from "@/lib/api/webhook-catalogue";
import { type EventType, eventTypes } from "@/lib/invoices/events";
import { useTestDb } from "@/test/db";
import { writeEveryEvent } from "@/test/every-event";
import { makeMerchant } from "@/test/factories";
import { useWebhookHarness } from "@/test/webhook-harness";
import { createEndpoint, sendTestEventWith } from "../endpoints";
import { formatBuilders, formatsSending, notSentBy, type WebhookFormatId, webhookFormatIds, webhookFormats } from ".";

const { db } = useTestDb();
const { sender, receiver } = useWebhookHarness(db);

/** The contract, written out: each gateway's event for each Settle event; every other event is not sent. */
const gatewayEvents: Record<Exclude<WebhookFormatId, "standard">, Partial<Record<EventType, string>>> = {
  finan: { "payment.succeeded": "payment webhook" },
  myfatoorah_v1: {
    "payment.succeeded": "TransactionsStatusChanged",
    "payment.failed": "TransactionsStatusChanged",
    "refund.succeeded": "RefundStatusChanged",
    "refund.failed": "RefundStatusChanged",
  },
  foloosi: { "payment.succeeded": "order.success", "payment.failed": "order.cancel" },
  furatpay: { "invoice.paid": "INVOICE_PAID", "invoice.overpaid": "INVOICE_PAID", "invoice.voided": "INVOICE_UPDATED" },
};

/** The headers each format signs with (beyond content-type and user-agent). */
const signingHeaders: Record<WebhookFormatId, string[]> = {
  standard: ["webhook-id", "webhook-signature", "webhook-timestamp"],
  finan: ["x-client-id", "x-signature", "x-timestamp"],
  myfatoorah_v1: ["MyFatoorah-Signature"],
  foloosi: ["webhook-id", "webhook-signature", "webhook-timestamp"],
  furatpay: ["x-signature", "x-timestamp"],
};

describe("the event catalogue", () => {
  it("maps every event type to every format, or to not sent", () => {
    for (const format of webhookFormatIds) {
      const events = webhookFormats[format].events as Record<string, string | null>;
      expect(Object.keys(events).sort(), format).toEqual([...eventTypes].sort());
      for (const type of eventTypes) {
        const want = format === "standard" ? type : (gatewayEvents[format][type] ?? null);
        expect(events[type], `${format} ${type}`).toBe(want);
        expect(formatsSending(type).includes(format), `${format} ${type}`).toBe(want !== null);
      }
    }
    expect(notSentBy("standard", eventTypes)).toEqual([]);
    expect(notSentBy("finan", eventTypes)).toHaveLength(eventTypes.length - 1);
    expect(notSentBy("furatpay", eventTypes)).toEqual(eventTypes.filter((t) => !["invoice.paid", "invoice.overpaid", "invoice.voided"].includes(t)));
  });

  it("offers MyFatoorah's and Finan's own retry schedules", () => {
    // MyFatoorah: up to four tries, 10 s apart (the first and three retries); Finan: 5, 10, 15 minutes.
    expect(webhookFormats.myfatoorah_v1.retryDefaults).toEqual([10, 10, 10]);
    expect(webhookFormats.finan.retryDefaults).toEqual([300, 600, 900]);
    expect(webhookFormats.standard.retryDefaults).toBeNull();
  });

  it("every event the domain writes, built in every format, is that format's documented shape, or not sent", async () => {
    const m = await makeMerchant(db());
    const counts = await writeEveryEvent(db(), m.ownerActor);
    const r = await receiver();
    const endpoint = await createEndpoint(db(), m.ownerActor, { url: r.url, allEvents: true, enabled: true });
    await sendTestEventWith({ sender: () => sender })(db(), m.ownerActor, { id: endpoint.id });

    const rows = await db().select().from(events).where(eq(events.merchantId, m.merchant.id)).orderBy(asc(events.createdAt));
    const written = new Map<string, number>();
    for (const e of rows) written.set(e.type, (written.get(e.type) ?? 0) + 1);
    expect(Object.fromEntries(written)).toEqual({ ...counts, "webhook.test": 1 });
    // Every event type of the catalogue was exercised.
    expect([...written.keys()].sort()).toEqual([...eventTypes].sort());

    const at = new Date();
    for (const e of rows) {
      const event = { type: e.type, createdAt: e.createdAt, dataJson: JSON.stringify(e.data) };
      for (const format of webhookFormatIds) {
        const label = `${format} ${e.type}`;
        const request = formatBuilders[format].request(event, { messageId: "msg_x", at, secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], url: "https://shop.example/hooks", endpointId: endpoint.id });
        const schema = payloadSchema(format, e.type as EventType);
        if (webhookFormats[format].events[e.type as EventType] === null) {
          expect(request, label).toBeNull();
          expect(schema, label).toBeNull();
          continue;
        }
        expect(request, label).not.toBeNull();
        const parsed = schema!.safeParse(JSON.parse(request!.body));
        expect(parsed.success, `${label}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
        expect(Object.keys(request!.headers).sort(), label).toEqual(signingHeaders[format]);
        // The body and the log's rebuilt body are the same bytes.
        expect(formatBuilders[format].body(event, at), label).toBe(request!.body);
      }
    }
  });

  it("the OpenAPI webhooks section has every event in every format that sends it, each example an instance of its shape", () => {
    const doc = buildOpenApiDocument() as { webhooks: Record<string, { post: { requestBody: { content: { "application/json": { example: unknown } } } } }> };
    const expected = webhookFormatIds.flatMap((f) => eventTypes.filter((t) => webhookFormats[f].events[t] !== null).map((t) => `${f}/${t}`));
    expect(Object.keys(doc.webhooks).sort()).toEqual(expected.sort());
    for (const key of expected) {
      const [format, type] = key.split("/") as [WebhookFormatId, EventType];
      const example = doc.webhooks[key]!.post.requestBody.content["application/json"].example;
      expect(payloadSchema(format, type)!.safeParse(example).success, key).toBe(true);
      expect(example, key).toEqual(JSON.parse(exampleRequest(format, type)!.body));
    }
  });
});
