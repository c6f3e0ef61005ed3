import { createHmac } from "node:crypto";
import { z } from "zod";
import { invoiceEventData, majorDecimal, merchantReference, readData } from "./event-data";
import type { FormatEvent, WebhookFormatBuilder } from "./types";

/**
 * FuratPay's invoice webhook, as FuratPay's own integration receives it.
 *
 * Sources: FuratPay's GitBook "Payment flow" (a webhook when an invoice's
 * status changes, e.g. INVOICE_PAID, with the invoice's data) and its
 * WooCommerce plugin's IPN handler (github.com/AramRafeq/furatpay-woocommerce,
 * includes/class-furatpay-ipn-handler.php), the receiver FuratPay ships: the
 * body `{type, data}`; X-Timestamp in unix seconds, refused beyond 5 minutes;
 * X-Signature the hex HMAC-SHA256, keyed with the webhook secret, of
 * data.id + data.code + data.order_number + the timestamp, trimmed; types
 * other than INVOICE_PAID and INVOICE_UPDATED answered 400; the order found
 * by data.order_number. The invoice's fields are those of FuratPay's invoice
 * object as the plugin creates it (code, number, order_number, currency_id
 * 3 = IQD / 1 = USD, total, status, subject, remarks, customer, meta_data).
 *
 * Choices where the sources are silent:
 * - The secret is the endpoint's signing secret, its `whsec_…` text byte for
 *   byte. One signature: during a rotation only the new secret signs.
 * - invoice.paid and invoice.overpaid → INVOICE_PAID (status "paid": FuratPay
 *   has no overpaid state; an invoice paid in parts and then over gets it
 *   twice, which the plugin's receiver takes as the same order paid);
 *   invoice.voided → INVOICE_UPDATED (status "canceled"). Nothing else is
 *   sent: the plugin answers 400 to any other type, so it would be retried
 *   for nothing; FuratPay invoices are paid whole, with no partial state.
 * - id is Settle's invoice id; code and number its number ("INV-000042");
 *   order_number the invoice's reference id (the merchant's own order; the
 *   invoice id when none), which is what the plugin looks its order up by.
 * - total is the invoice's amount as the shortest exact decimal in major
 *   units ("1500000", "12.5"); currency_id FuratPay's id for IQD and USD,
 *   null for a currency FuratPay does not know.
 * - payment_service_id is null (the payment went through a Settle service,
 *   not one of FuratPay's); meta_data is the invoice's metadata.
 */
export const furatpayInvoice = z.strictObject({
  id: z.string().meta({ description: "Settle's invoice id." }),
  code: z.string(),
  number: z.string(),
  order_number: z.string().meta({ description: "The invoice's reference id (yours), or the invoice id." }),
  currency_id: z.number().int().nullable().meta({ description: "3 = IQD, 1 = USD; null for another currency." }),
  total: z.string().regex(/^\d+(\.\d+)?$/).meta({ description: "Major units, as a decimal string." }),
  status: z.enum(["paid", "canceled"]),
  subject: z.string(),
  remarks: z.string(),
  payment_service_id: z.null(),
  customer: z.strictObject({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }),
  meta_data: z.record(z.string(), z.unknown()),
});
export const furatpayPayload = z.strictObject({ type: z.enum(["INVOICE_PAID", "INVOICE_UPDATED"]), data: furatpayInvoice }).meta({ id: "FuratPayInvoiceWebhook" });
export type FuratPayPayload = z.infer<typeof furatpayPayload>;

const CURRENCY_IDS: Record<string, number> = { IQD: 3, USD: 1 };

/** The plugin's X-Signature. */
export const furatpayWebhookSignature = (secret: string, data: { id: string; code: string; order_number: string }, timestamp: string) =>
  createHmac("sha256", secret).update(`${data.id}${data.code}${data.order_number}${timestamp}`.trim()).digest("hex");

function payload(event: FormatEvent): FuratPayPayload | null {
  const paid = event.type === "invoice.paid" || event.type === "invoice.overpaid";
  if (!paid && event.type !== "invoice.voided") return null;
  const { invoice } = readData(invoiceEventData, event.type, event.dataJson);
  return {
    type: paid ? "INVOICE_PAID" : "INVOICE_UPDATED",
    data: {
      id: invoice.id,
      code: invoice.number,
      number: invoice.number,
      order_number: merchantReference(invoice),
      currency_id: CURRENCY_IDS[invoice.currency] ?? null,
      total: majorDecimal(invoice.amount, invoice.currency),
      status: paid ? "paid" : "canceled",
      subject: invoice.description ?? `Invoice ${invoice.number}`,
      remarks: "",
      payment_service_id: null,
      customer: { name: invoice.customer.name, email: invoice.customer.email, phone: invoice.customer.phone },
      meta_data: invoice.metadata ?? {},
    },
  };
}

export const furatpayFormat: WebhookFormatBuilder = {
  id: "furatpay",
  body(event) {
    const p = payload(event);
    return p && JSON.stringify(p);
  },
  request(event, ctx) {
    const p = payload(event);
    if (!p) return null;
    const timestamp = String(Math.floor(ctx.at.getTime() / 1000));
    return {
      body: JSON.stringify(p),
      headers: { "x-timestamp": timestamp, "x-signature": furatpayWebhookSignature(ctx.secrets[0]!, p.data, timestamp) },
    };
  },
};
