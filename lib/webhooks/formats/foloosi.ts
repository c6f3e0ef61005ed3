import { z } from "zod";
import { signatureHeaders } from "../signing";
import { majorDecimal, merchantReference, paymentEventData, readData } from "./event-data";
import type { FormatEvent, WebhookFormatBuilder } from "./types";

/**
 * Foloosi's payment webhook, as Foloosi tells its merchants to receive it.
 *
 * Source: docs.foloosi.com/webhooks (../shared/reference/foloosi-webhooks.txt):
 * the body `{data: {transfer: {transaction_status, transaction_no,
 * payment_reference, transaction_amount, transaction_currency,
 * transaction_message, api: {optional1, optional2, optional3, customer_email,
 * customer_mobile, card_last_four}}}}`, amounts as decimal strings in major
 * units ("100"), and the two events: order.success (a payment captured) and
 * order.cancel (a payment failed).
 *
 * Choices where the docs are silent:
 * - Foloosi documents no signature, so a receiver written from its docs
 *   checks none. Settle still sends its Standard Webhooks headers
 *   (webhook-id, webhook-timestamp, webhook-signature over the same body):
 *   extra headers change nothing for such a receiver, and a merchant who
 *   wants to know the request is Settle's can verify them with the
 *   endpoint's secret; webhook-id also tells a retry from a new event.
 * - The body names no event (as in the doc's samples): transaction_status
 *   says it, "success" for order.success and "failed" for order.cancel.
 * - transaction_no is Settle's payment id, payment_reference the payment link
 *   the money came through (the invoice id when none); optional1 is the
 *   invoice's reference id (the merchant's own; the invoice id when none:
 *   what merchants pass Foloosi as optional1 to find their order),
 *   optional2 the invoice's number, optional3 Settle's invoice id.
 * - transaction_amount is the payment's amount as the shortest exact decimal;
 *   transaction_message the gateway's message, else "approved" / "declined".
 * - Customer email, mobile and card last four are "" when Settle has none
 *   (the doc's samples only ever show strings).
 */
const transfer = z.strictObject({
  transaction_status: z.enum(["success", "failed"]),
  transaction_no: z.string().meta({ description: "Settle's payment id." }),
  payment_reference: z.string().meta({ description: "The payment link the money came through (the invoice id when none)." }),
  transaction_amount: z.string().regex(/^\d+(\.\d+)?$/).meta({ description: "Major units, as a decimal string." }),
  transaction_currency: z.string().regex(/^[A-Z]{3}$/),
  transaction_message: z.string(),
  api: z.strictObject({
    optional1: z.string().meta({ description: "The invoice's reference id (yours), or the invoice id." }),
    optional2: z.string().meta({ description: "The invoice's number." }),
    optional3: z.string().meta({ description: "Settle's invoice id." }),
    customer_email: z.string(),
    customer_mobile: z.string(),
    card_last_four: z.string(),
  }),
});
export const foloosiPayload = z.strictObject({ data: z.strictObject({ transfer }) }).meta({ id: "FoloosiTransferWebhook" });
export type FoloosiPayload = z.infer<typeof foloosiPayload>;

function payload(event: FormatEvent): FoloosiPayload | null {
  if (event.type !== "payment.succeeded" && event.type !== "payment.failed") return null;
  const { payment, invoice } = readData(paymentEventData, event.type, event.dataJson);
  const ok = event.type === "payment.succeeded";
  return {
    data: {
      transfer: {
        transaction_status: ok ? "success" : "failed",
        transaction_no: payment.id,
        payment_reference: payment.payment_link_id ?? invoice.id,
        transaction_amount: majorDecimal(payment.amount, payment.currency),
        transaction_currency: payment.currency,
        transaction_message: payment.message ?? (ok ? "approved" : "declined"),
        api: {
          optional1: merchantReference(invoice),
          optional2: invoice.number,
          optional3: invoice.id,
          customer_email: invoice.customer.email ?? "",
          customer_mobile: invoice.customer.phone ?? "",
          card_last_four: payment.card_last4 ?? "",
        },
      },
    },
  };
}

function foloosiBody(event: FormatEvent): string | null {
  const p = payload(event);
  return p && JSON.stringify(p);
}

export const foloosiFormat: WebhookFormatBuilder = {
  id: "foloosi",
  body: foloosiBody,
  request(event, ctx) {
    const body = foloosiBody(event);
    return body === null ? null : { body, headers: signatureHeaders(ctx.messageId, ctx.at, body, ctx.secrets) };
  },
};
