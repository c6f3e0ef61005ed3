import { createHash } from "node:crypto";
import { z } from "zod";
import { isoSeconds, merchantReference, paymentEventData, readData } from "./event-data";
import type { FormatEvent, WebhookFormatBuilder } from "./types";

/**
 * Finan's payment webhook, as Finan tells its merchants to receive it.
 *
 * Sources: Finan's "Payment Gateway" page (../shared/reference/
 * finan-payment-gateway.txt: the payload `{id, reference_id, payment_method,
 * payment_request_id, amount, created_at}`, amounts as integers in the
 * smallest currency unit, sent "after successful payment collection", and the
 * Go verifier that checks x-signature with the secret, "POST", the receiving
 * path, the body and x-timestamp) and its "Generating signature" page:
 * x-signature = hex SHA-256 of `{secret}_{METHOD}_{path}_{body}_{timestamp}`,
 * x-timestamp in unix seconds (the scheme lib/connectors/finan.ts checks on
 * the way in).
 *
 * Choices where the docs are silent:
 * - The secret is the endpoint's signing secret, its `whsec_…` text byte for
 *   byte (what the endpoint page reveals); x-client-id is the endpoint's id
 *   (`we_…`), so a receiver that checks its client id checks that.
 * - The path is the endpoint URL's path as on the request line, without its
 *   query (the doc's sample passes its route, "/webhook"). The body is
 *   compact JSON, so it is the same before and after Go's json.Compact.
 * - One signature: during a secret rotation only the new secret signs (the
 *   header holds one value; a receiver updated to the new secret works at once).
 * - Only `payment.succeeded` is sent: Finan notifies collected payments, and
 *   nothing else. `id` is Settle's payment id, `reference_id` the invoice's
 *   reference id (the merchant's own; the invoice id when it has none),
 *   `payment_request_id` the payment link the money came through ("" for a
 *   payment recorded without one, as Finan writes empty values), `amount` the
 *   payment in minor units, `created_at` to the second as the sample writes it.
 * - `payment_method` is one of Finan's three: card → card, an e-wallet →
 *   ewallet_momo, anything else (a transfer, a QR, cash) → bank_transfer.
 * - `reference_type`, listed in the field table but absent from the sample,
 *   is left out: Settle cannot tell how the reference was given.
 */
export const finanPayload = z
  .strictObject({
    id: z.string().meta({ description: "Settle's payment id." }),
    reference_id: z.string().meta({ description: "The invoice's reference id (yours), or the invoice id when it has none." }),
    payment_method: z.enum(["bank_transfer", "card", "ewallet_momo"]),
    payment_request_id: z.string().meta({ description: "The payment link (payment request) the money came through; empty when none." }),
    amount: z.number().int().meta({ description: "In the currency's smallest unit (đồng; cents)." }),
    created_at: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/).meta({ description: "ISO 8601, to the second." }),
  })
  .meta({ id: "FinanPaymentWebhook" });
export type FinanPayload = z.infer<typeof finanPayload>;

const methodOf = (m: string): FinanPayload["payment_method"] => (m === "card" ? "card" : m === "ewallet" ? "ewallet_momo" : "bank_transfer");

/** Finan's x-signature: hex SHA-256 of secret_METHOD_path_body_timestamp. */
export const finanWebhookSignature = (secret: string, path: string, body: string, timestamp: string) =>
  createHash("sha256").update(`${secret}_POST_${path}_${body}_${timestamp}`, "utf8").digest("hex");

function payload(type: string, dataJson: string): FinanPayload | null {
  if (type !== "payment.succeeded") return null;
  const { payment, invoice } = readData(paymentEventData, type, dataJson);
  return {
    id: payment.id,
    reference_id: merchantReference(invoice),
    payment_method: methodOf(payment.method),
    payment_request_id: payment.payment_link_id ?? "",
    amount: payment.amount,
    created_at: isoSeconds(payment.created_at),
  };
}

function finanBody(event: FormatEvent): string | null {
  const p = payload(event.type, event.dataJson);
  return p && JSON.stringify(p);
}

export const finanFormat: WebhookFormatBuilder = {
  id: "finan",
  body: finanBody,
  request(event, ctx) {
    const body = finanBody(event);
    if (body === null) return null;
    const timestamp = String(Math.floor(ctx.at.getTime() / 1000));
    return {
      body,
      headers: {
        "x-client-id": ctx.endpointId,
        "x-timestamp": timestamp,
        "x-signature": finanWebhookSignature(ctx.secrets[0]!, new URL(ctx.url).pathname, body, timestamp),
      },
    };
  },
};
