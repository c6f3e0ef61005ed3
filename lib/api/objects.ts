import { z } from "zod";
import { type Invoice, type InvoiceItem, type Payment, type Refund, refundStatusEnum } from "@/db/schema";
import { invoicePayload, paymentPayload, refundPayload } from "@/lib/invoices/events";
import { currencyCodes } from "@/lib/money";

/**
 * What the API returns, as zod shapes: they make the OpenAPI document and the
 * contract tests check every response against them. Invoices and payments
 * read exactly as they do in webhooks (lib/invoices/events.ts).
 */
const minor = z.number().int().meta({ description: "Minor units of the currency (cents; VND has none)." });
/** On every object the API returns: which data space it belongs to (its key's mode). */
export const livemodeField = z.boolean().meta({ description: "true for live data (an `sk_live_` key), false for test data (an `sk_test_` key)." });
const timestamp = z.string().meta({ description: "ISO 8601 date-time, UTC.", examples: ["2026-03-01T09:30:00.000Z"] });

export const invoiceObject = z
  .object({
    livemode: livemodeField,
    id: z.string().meta({ examples: ["inv_01jq3m6x4r8t2v5w7y9z0a1b2c"] }),
    number: z.string().meta({ examples: ["INV-000042"] }),
    reference_id: z.string().nullable(),
    currency: z.enum(currencyCodes),
    amount: minor,
    paid_amount: minor,
    refunded_amount: minor.meta({ description: "Σ succeeded refunds. The payment status still says what was paid." }),
    net_amount: minor.meta({ description: "What the merchant keeps: paid_amount − refunded_amount." }),
    payment_status: z.enum(["unpaid", "partial", "paid", "extra"]),
    status: z.enum(["open", "void"]),
    needs_review: z.boolean().meta({ description: "A payment arrived after the invoice was voided: refund or reconcile it." }),
    customer: z.object({
      name: z.string(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      address: z.string().nullable(),
    }),
    description: z.string().nullable(),
    due_date: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestamp,
  })
  .meta({ id: "Invoice" });

export const paymentObject = z
  .object({
    id: z.string(),
    invoice_id: z.string().nullable(),
    payment_link_id: z.string().nullable(),
    service_id: z.string(),
    provider_ref: z.string(),
    amount: minor,
    currency: z.string(),
    method: z.enum(["cash", "bank_transfer", "card", "ewallet", "qr", "other"]),
    status: z.enum(["succeeded", "failed", "processing"]),
    message: z.string().nullable(),
    card_last4: z.string().nullable(),
    late: z.boolean(),
    refunded_amount: minor.meta({ description: "Σ this payment's succeeded refunds." }),
    created_at: timestamp,
  })
  .meta({ id: "Payment" });

export const refundObject = z
  .object({
    livemode: livemodeField,
    id: z.string().meta({ examples: ["re_01jnw7c8d9e0f1g2h3j4k5m6n7"] }),
    payment_id: z.string().meta({ description: "The payment the money goes back on (`pay_…`)." }),
    invoice_id: z.string().nullable().meta({ description: "That payment's invoice." }),
    amount: minor.meta({ description: "What goes back, in minor units of the payment's currency." }),
    currency: z.string().meta({ description: "The payment's currency.", examples: ["USD"] }),
    reason: z.string().meta({ description: "Why the money goes back, as given when it was asked for." }),
    status: z.enum(refundStatusEnum.enumValues).meta({
      description:
        "`pending`: the gateway accepted it and confirms later (`refund.succeeded` or `refund.failed` follows); `succeeded`: the money went back; `failed`: it did not, and the amount is refundable again.",
    }),
    provider_ref: z
      .string()
      .nullable()
      .meta({ description: "The gateway's refund id, or the reference of the transfer that sent the money back (`manual`). Null until the gateway gives one." }),
    manual: z.boolean().meta({ description: "True when the money went back outside Settle (a transfer, cash) and was recorded here with its reference." }),
    failure_message: z.string().nullable().meta({ description: "Why it failed, when `status` is `failed`." }),
    created_at: timestamp,
    settled_at: timestamp.nullable().meta({ description: "When it succeeded or failed; null while pending." }),
  })
  .meta({ id: "Refund" });

export const invoiceItemObject = z.object({ name: z.string(), unit_price: minor, quantity: z.number().int(), amount: minor });

export const invoiceDetailObject = invoiceObject
  .extend({ items: z.array(invoiceItemObject), payments: z.array(paymentObject) })
  .meta({ id: "InvoiceWithPayments" });

export const invoiceJson = (inv: Invoice) => invoicePayload(inv);
export const paymentJson = (p: Payment) => paymentPayload(p);
export const refundJson = (r: Refund) => refundPayload(r);

export function invoiceDetailJson(inv: Invoice & { items: InvoiceItem[]; payments: Payment[] }) {
  return {
    ...invoicePayload(inv),
    items: inv.items.map((i) => ({ name: i.name, unit_price: i.unitPrice, quantity: i.quantity, amount: i.amount })),
    payments: inv.payments.map(paymentPayload),
  };
}

export const deletedObject = z.object({ id: z.string(), deleted: z.literal(true) });
