import type { WebhookFormatId } from "@/db/schema/webhook-formats";
import type { EventType } from "@/lib/invoices/events";

export { webhookFormatIds, type WebhookFormatId } from "@/db/schema/webhook-formats";

/**
 * What each webhook format sends, as data: for every Settle event, the
 * gateway's own event it becomes, or null where the gateway has no
 * equivalent (that event is never sent to such an endpoint: the fan-out
 * makes no delivery for it). Free of server imports: the endpoint form lists
 * from it what a format leaves out, and offers its retry schedule.
 * The request builders are beside it (./finan.ts, ./myfatoorah-v1.ts, …).
 */
export interface FormatEntry {
  label: string;
  /** One line for the endpoint form: what a receiver written for this gateway gets. */
  summary: string;
  /** The gateway's own event name for each Settle event; null: not sent. */
  events: Record<EventType, string | null>;
  /** Seconds between automatic attempts, as the gateway's own docs give them; null: no schedule of its own. */
  retryDefaults: readonly number[] | null;
  /** Where that schedule comes from, for the form. */
  retryNote: string | null;
}

const none = {
  "invoice.created": null,
  "invoice.partially_paid": null,
  "invoice.paid": null,
  "invoice.overpaid": null,
  "invoice.voided": null,
  "payment.processing": null,
  "payment.succeeded": null,
  "payment.failed": null,
  "payment_link.expired": null,
  "refund.created": null,
  "refund.succeeded": null,
  "refund.failed": null,
  "webhook.test": null,
} as const satisfies Record<EventType, null>;

export const webhookFormats: Record<WebhookFormatId, FormatEntry> = {
  standard: {
    label: "Standard Webhooks",
    summary: "Settle's own { type, timestamp, data }, signed per the Standard Webhooks spec (webhook-id, webhook-timestamp, webhook-signature).",
    events: Object.fromEntries(Object.keys(none).map((t) => [t, t])) as Record<EventType, string>,
    retryDefaults: null,
    retryNote: null,
  },
  finan: {
    label: "Finan",
    summary: "Finan's payment webhook { id, reference_id, payment_method, payment_request_id, amount, created_at }, amounts in minor units, signed in x-signature.",
    events: { ...none, "payment.succeeded": "payment webhook" },
    // Finan's doc: retried 5, 10 and 15 minutes after the previous failure.
    retryDefaults: [300, 600, 900],
    retryNote: "Finan retries 5, 10 and 15 minutes after a failure.",
  },
  myfatoorah_v1: {
    label: "MyFatoorah (Webhook V1)",
    summary: "MyFatoorah's Webhook V1 { EventType, Event, DateTime, CountryIsoCode, Data }, amounts as decimal strings, signed in MyFatoorah-Signature.",
    events: {
      ...none,
      "payment.succeeded": "TransactionsStatusChanged",
      "payment.failed": "TransactionsStatusChanged",
      "refund.succeeded": "RefundStatusChanged",
      "refund.failed": "RefundStatusChanged",
    },
    // Webhook V1 tries up to four times, 10 seconds apart: the first attempt and three retries.
    retryDefaults: [10, 10, 10],
    retryNote: "MyFatoorah tries 4 times, 10 seconds apart.",
  },
  foloosi: {
    label: "Foloosi",
    summary: "Foloosi's { data: { transfer } } for order.success and order.cancel, amounts as decimal strings. Foloosi documents no signature; Settle's Standard Webhooks headers come with it.",
    events: { ...none, "payment.succeeded": "order.success", "payment.failed": "order.cancel" },
    retryDefaults: null,
    retryNote: null,
  },
  furatpay: {
    label: "FuratPay",
    summary: "FuratPay's invoice webhook { type, data } (INVOICE_PAID, INVOICE_UPDATED), totals as decimal strings, signed in X-Signature with X-Timestamp.",
    events: { ...none, "invoice.paid": "INVOICE_PAID", "invoice.overpaid": "INVOICE_PAID", "invoice.voided": "INVOICE_UPDATED" },
    retryDefaults: null,
    retryNote: null,
  },
};

/** Whether an endpoint in `format` is sent `type` at all. */
export const formatSends = (format: WebhookFormatId, type: string): boolean => (webhookFormats[format].events as Record<string, string | null>)[type] != null;

/** The event types (of `types`) a format leaves out: what the endpoint form lists as not sent. */
export const notSentBy = (format: WebhookFormatId, types: readonly string[]): string[] => types.filter((t) => !formatSends(format, t));

const sendingCache = new Map<string, WebhookFormatId[]>();
/** The formats that send `type`: what the fan-out matches endpoints against. */
export function formatsSending(type: string): WebhookFormatId[] {
  let out = sendingCache.get(type);
  if (!out) {
    out = (Object.keys(webhookFormats) as WebhookFormatId[]).filter((f) => formatSends(f, type));
    sendingCache.set(type, out);
  }
  return out;
}

/** Seconds as the endpoint form writes a schedule: "10s", "5m", "1h". */
export function scheduleText(seconds: readonly number[]): string {
  return seconds.map((s) => (s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`)).join(", ");
}
