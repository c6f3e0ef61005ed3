import { z } from "zod";
import { type EventType, eventTypes } from "@/lib/invoices/events";
import { type WebhookFormatId, formatBuilders, webhookFormatIds, webhookFormats } from "@/lib/webhooks/formats";
import { finanPayload } from "@/lib/webhooks/formats/finan";
import { foloosiPayload } from "@/lib/webhooks/formats/foloosi";
import { furatpayPayload } from "@/lib/webhooks/formats/furatpay";
import { myFatoorahRefundPayload, myFatoorahTransactionPayload } from "@/lib/webhooks/formats/myfatoorah-v1";
import { invoiceExample } from "./examples";
import { invoiceObject, paymentObject } from "./objects";

/**
 * The event catalogue: for every format, every event it sends, the zod shape
 * of the body a receiver gets. The OpenAPI document's `webhooks` section is
 * generated from it, and the contract test parses real deliveries with it.
 */
const minor = z.number().int().meta({ description: "Minor units of the currency." });
const timestamp = z.string().meta({ description: "ISO 8601 date-time, UTC." });
const livemode = z.boolean().meta({ description: "false for test data." });

const webhookInvoice = invoiceObject.omit({ livemode: true }).meta({ id: "WebhookInvoice" });
const webhookRefund = z
  .object({
    id: z.string(),
    payment_id: z.string(),
    invoice_id: z.string().nullable(),
    amount: minor,
    currency: z.string(),
    reason: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    provider_ref: z.string().nullable(),
    manual: z.boolean().meta({ description: "Recorded by hand, not made through a gateway." }),
    failure_message: z.string().nullable(),
    created_at: timestamp,
    settled_at: timestamp.nullable(),
  })
  .meta({ id: "WebhookRefund" });
const webhookPaymentLink = z
  .object({
    id: z.string(),
    code: z.string(),
    invoice_id: z.string(),
    currency: z.string(),
    amount: minor,
    paid_amount: minor,
    payment_status: z.enum(["unpaid", "partial", "paid", "extra"]),
    status: z.enum(["active", "expired", "canceled"]),
    expires_at: timestamp,
    created_at: timestamp,
  })
  .meta({ id: "WebhookPaymentLink" });

/** The `data` of each event in Settle's own format. */
function standardData(type: EventType): z.ZodType {
  if (type.startsWith("invoice.")) return z.object({ livemode, invoice: webhookInvoice });
  if (type.startsWith("payment.")) return z.object({ livemode, payment: paymentObject, invoice: webhookInvoice });
  if (type.startsWith("refund.")) return z.object({ livemode, refund: webhookRefund, payment: paymentObject, invoice: webhookInvoice });
  if (type === "payment_link.expired") return z.object({ livemode, payment_link: webhookPaymentLink });
  return z.object({ livemode, endpoint_id: z.string(), message: z.string() });
}

/** The body an endpoint in `format` receives for `type`, as a zod shape; null: not sent. */
export function payloadSchema(format: WebhookFormatId, type: EventType): z.ZodType | null {
  const name = webhookFormats[format].events[type];
  if (name === null) return null;
  switch (format) {
    case "standard":
      return z.object({ type: z.literal(type), timestamp, data: standardData(type) });
    case "finan":
      return finanPayload;
    case "myfatoorah_v1":
      return name === "RefundStatusChanged" ? myFatoorahRefundPayload : myFatoorahTransactionPayload;
    case "foloosi":
      return foloosiPayload;
    case "furatpay":
      return furatpayPayload;
  }
}

// --- examples: one event of each type, built the way the engine builds it ---

const at = new Date("2026-03-01T10:00:00.000Z");
// An invoice in an event's data says its mode once, beside it, not inside.
const { livemode: _mode, ...unpaid } = invoiceExample;
const invoice = { ...unpaid, paid_amount: 13900, net_amount: 13900, payment_status: "paid" };
const payment = {
  id: "pay_01jnw4a2b3c4d5e6f7g8h9j0k1",
  invoice_id: invoice.id,
  payment_link_id: "pl_01jnw3q9r8s7t6v5w4x3y2z1a0",
  service_id: "svc_01jnw1a1b1c1d1e1f1g1h1j1k1",
  provider_ref: "FT26060123456",
  amount: 13900,
  currency: "USD",
  method: "card",
  status: "succeeded",
  message: null,
  card_last4: "4242",
  late: false,
  refunded_amount: 0,
  created_at: "2026-03-01T09:59:58.000Z",
};
const refund = {
  id: "re_01jnw6d7e8f9g0h1j2k3m4n5p6",
  payment_id: payment.id,
  invoice_id: invoice.id,
  amount: 2500,
  currency: "USD",
  reason: "Damaged in transit",
  status: "succeeded",
  provider_ref: "RF-2026-0042",
  manual: false,
  failure_message: null,
  created_at: at.toISOString(),
  settled_at: at.toISOString(),
};
const link = {
  id: payment.payment_link_id,
  code: "PRJXH9KU",
  invoice_id: invoice.id,
  currency: "USD",
  amount: 13900,
  paid_amount: 0,
  payment_status: "unpaid",
  status: "expired",
  expires_at: at.toISOString(),
  created_at: "2026-03-01T09:30:00.000Z",
};

/** An example of each event's data, as lib/invoices/events.ts writes it. */
export function exampleData(type: EventType): Record<string, unknown> {
  const livemode = true;
  switch (type) {
    case "invoice.created":
      return { livemode, invoice: unpaid };
    case "invoice.partially_paid":
      return { livemode, invoice: { ...invoice, paid_amount: 5000, net_amount: 5000, payment_status: "partial" } };
    case "invoice.paid":
      return { livemode, invoice };
    case "invoice.overpaid":
      return { livemode, invoice: { ...invoice, paid_amount: 15000, net_amount: 15000, payment_status: "extra" } };
    case "invoice.voided":
      return { livemode, invoice: { ...unpaid, status: "void" } };
    case "payment.processing":
      return { livemode, payment: { ...payment, status: "processing" }, invoice: unpaid };
    case "payment.succeeded":
      return { livemode, payment, invoice };
    case "payment.failed":
      return { livemode, payment: { ...payment, status: "failed", message: "Declined by the issuer" }, invoice: unpaid };
    case "payment_link.expired":
      return { livemode, payment_link: link };
    case "refund.created":
      return { livemode, refund: { ...refund, status: "pending", settled_at: null }, payment: { ...payment, refunded_amount: 0 }, invoice };
    case "refund.succeeded":
      return { livemode, refund, payment: { ...payment, refunded_amount: 2500 }, invoice: { ...invoice, refunded_amount: 2500, net_amount: 11400 } };
    case "refund.failed":
      return { livemode, refund: { ...refund, status: "failed", failure_message: "The card account is closed." }, payment, invoice };
    case "webhook.test":
      return { livemode, endpoint_id: "we_01jnw2k3m4n5p6q7r8s9t0v1w2", message: "A test event from Settle. If you can read this, your endpoint works." };
  }
}

export const EXAMPLE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const EXAMPLE_URL = "https://shop.example/settle/webhooks";

/** One example request per format and event: the exact body and headers an endpoint gets, signed with EXAMPLE_SECRET. */
export function exampleRequest(format: WebhookFormatId, type: EventType) {
  return formatBuilders[format].request(
    { type, createdAt: at, dataJson: JSON.stringify(exampleData(type)) },
    { messageId: "msg_01jnw5a1b2c3d4e5f6g7h8j9k0", at, secrets: [EXAMPLE_SECRET], url: EXAMPLE_URL, endpointId: "we_01jnw2k3m4n5p6q7r8s9t0v1w2" },
  );
}

/** Every (format, event) pair, in catalogue order. */
export const catalogue = webhookFormatIds.flatMap((format) => eventTypes.map((type) => ({ format, type, name: webhookFormats[format].events[type] })));
