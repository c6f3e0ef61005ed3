import { createHmac } from "node:crypto";
import { z } from "zod";
import { invoiceNumberOf, majorDecimal, merchantReference, paymentEventData, readData, refundEventData } from "./event-data";
import type { FormatEvent, WebhookFormatBuilder } from "./types";

/**
 * MyFatoorah's Webhook V1, as MyFatoorah tells its merchants to receive it.
 *
 * Sources (docs.myfatoorah.com): "Webhook V1" (the body `{EventType, Event,
 * DateTime "ddMMyyyyHHmmss", CountryIsoCode, Data}`; up to four tries, 10 s
 * apart), "Transaction Data Model" (EventType 1, TransactionsStatusChanged:
 * its Data's fields and sample, TransactionStatus SUCCESS / FAILED / …),
 * "Refund Data Model" (EventType 2, RefundStatusChanged: RefundStatus
 * REFUNDED / CANCELED; GatewayReference "should not be included in the
 * signature properties"), "Webhook Signature" and its PHP sample: the
 * MyFatoorah-Signature header is the base64 HMAC-SHA256, keyed with the
 * secret as UTF-8, of Data's properties sorted by name ignoring case,
 * `Name=value` joined by commas, null as the empty string.
 *
 * Choices where the docs are silent (or Settle has no such value):
 * - The secret is the endpoint's signing secret, its `whsec_…` text as UTF-8
 *   (what a receiver pastes where the sample says "copy here the Webhook
 *   Secret Key"). One signature: during a rotation only the new secret signs.
 * - payment.succeeded / payment.failed → TransactionsStatusChanged with
 *   SUCCESS / FAILED; refund.succeeded / refund.failed → RefundStatusChanged
 *   with REFUNDED / CANCELED. Nothing else is sent (no invoice, link or
 *   pending-refund event exists in Webhook V1; `payment.processing` is not
 *   AUTHORIZE, a card hold).
 * - MyFatoorah's invoice is one checkout paid whole, so its value is what a
 *   receiver reads as paid: the three InvoiceValueIn… fields carry this
 *   payment's amount, in its currency, as the shortest exact decimal
 *   ("456.75", "100"). The refund's Amount likewise.
 * - Transaction Data: InvoiceId is the invoice's number (a number, as the doc
 *   types it), InvoiceReference its "INV-000042", CustomerReference the
 *   invoice's reference id (the merchant's own; the invoice id when none),
 *   UserDefinedField Settle's invoice id, PaymentId Settle's payment id,
 *   ReferenceId the gateway's transaction reference, PaymentMethod Settle's
 *   method name; TrackId and AuthorizationId are null (no acquirer's track or
 *   authorisation code reaches Settle). CreatedDate is the payment's time.
 * - Refund Data: RefundId is Settle's refund id, a string (`re_…`: Settle's
 *   ids are not numbers; the doc types it number), RefundReference the
 *   gateway's refund reference (null for one recorded by hand), Comments the
 *   refund's reason, InvoiceId the invoice's number as a string (as the doc
 *   types it), GatewayReference the payment's ids (PaymentId = Settle's
 *   payment id, TransactionId = the refund's gateway reference).
 * - Times (DateTime, CreatedDate) are UTC (MyFatoorah writes its portal
 *   country's clock). CountryIsoCode is the country of the payment's currency
 *   for MyFatoorah's eight (KWD → KWT, SAR → SAU, …), else KWT.
 */
const ddMMyyyyHHmmss = z.string().regex(/^\d{14}$/).meta({ description: 'Format "ddMMyyyyHHmmss", UTC.' });
const decimal = z.string().regex(/^\d+(\.\d+)?$/).meta({ description: "Major units, as a decimal string." });

export const myFatoorahTransactionData = z.strictObject({
  InvoiceId: z.number().int().meta({ description: "The invoice's number." }),
  InvoiceReference: z.string().meta({ description: 'The invoice\'s number as shown, "INV-000042".' }),
  CreatedDate: ddMMyyyyHHmmss,
  CustomerReference: z.string().meta({ description: "The invoice's reference id (yours), or the invoice id." }),
  CustomerName: z.string().nullable(),
  CustomerMobile: z.string().nullable(),
  CustomerEmail: z.string().nullable(),
  TransactionStatus: z.enum(["SUCCESS", "FAILED"]),
  PaymentMethod: z.string(),
  UserDefinedField: z.string().meta({ description: "Settle's invoice id." }),
  ReferenceId: z.string().nullable().meta({ description: "The gateway's transaction reference." }),
  TrackId: z.null(),
  PaymentId: z.string().meta({ description: "Settle's payment id." }),
  AuthorizationId: z.null(),
  InvoiceValueInBaseCurrency: decimal,
  BaseCurrency: z.string(),
  InvoiceValueInDisplayCurreny: decimal,
  DisplayCurrency: z.string(),
  InvoiceValueInPayCurrency: decimal,
  PayCurrency: z.string(),
});

export const myFatoorahRefundData = z.strictObject({
  RefundId: z.string().meta({ description: "Settle's refund id (re_…)." }),
  RefundReference: z.string().nullable(),
  CreatedDate: ddMMyyyyHHmmss,
  RefundStatus: z.enum(["REFUNDED", "CANCELED"]),
  Amount: decimal,
  Comments: z.string().nullable(),
  InvoiceId: z.string(),
  InvoiceRefernce: z.string(),
  GatewayReference: z.strictObject({
    PaymentId: z.string(),
    AuthorizationId: z.null(),
    ReferenceId: z.string().nullable(),
    TransactionId: z.string().nullable(),
    RefundAmount: decimal,
    Currency: z.string(),
    PaymentMethod: z.string(),
  }),
});

const envelope = <E extends number, N extends string, D extends z.ZodType>(eventType: E, event: N, data: D) =>
  z.strictObject({
    EventType: z.literal(eventType),
    Event: z.literal(event),
    DateTime: ddMMyyyyHHmmss,
    CountryIsoCode: z.string().regex(/^[A-Z]{3}$/),
    Data: data,
  });

export const myFatoorahTransactionPayload = envelope(1, "TransactionsStatusChanged", myFatoorahTransactionData).meta({ id: "MyFatoorahTransactionsStatusChanged" });
export const myFatoorahRefundPayload = envelope(2, "RefundStatusChanged", myFatoorahRefundData).meta({ id: "MyFatoorahRefundStatusChanged" });

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
/** "ddMMyyyyHHmmss" in UTC. */
export const myFatoorahDate = (d: Date) =>
  `${pad(d.getUTCDate())}${pad(d.getUTCMonth() + 1)}${d.getUTCFullYear()}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

const COUNTRIES: Record<string, string> = { KWD: "KWT", SAR: "SAU", AED: "ARE", QAR: "QAT", BHD: "BHR", OMR: "OMN", JOD: "JOR", EGP: "EGY" };
const countryOf = (currency: string) => COUNTRIES[currency] ?? "KWT";

/** PHP's strcasecmp, as the doc's sample sorts with: byte order of the lower-cased names. */
const caseless = (a: string, b: string) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The MyFatoorah-Signature of an event's Data (the refund's GatewayReference left out, as the doc says). */
export function myFatoorahSignature(secret: string, event: string, data: Record<string, unknown>): string {
  const text = Object.keys(data)
    .filter((k) => !(event === "RefundStatusChanged" && k === "GatewayReference"))
    .sort(caseless)
    .map((k) => `${k}=${data[k] === null || data[k] === undefined ? "" : String(data[k])}`)
    .join(",");
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(text, "utf8").digest("base64");
}

type Payload = z.infer<typeof myFatoorahTransactionPayload> | z.infer<typeof myFatoorahRefundPayload>;

function payload(event: FormatEvent, at: Date): Payload | null {
  const { type, dataJson } = event;
  const head = (currency: string) => ({ DateTime: myFatoorahDate(at), CountryIsoCode: countryOf(currency) });
  if (type === "payment.succeeded" || type === "payment.failed") {
    const { payment, invoice } = readData(paymentEventData, type, dataJson);
    const value = majorDecimal(payment.amount, payment.currency);
    return {
      EventType: 1,
      Event: "TransactionsStatusChanged",
      ...head(payment.currency),
      Data: {
        InvoiceId: invoiceNumberOf(invoice.number),
        InvoiceReference: invoice.number,
        CreatedDate: myFatoorahDate(new Date(payment.created_at)),
        CustomerReference: merchantReference(invoice),
        CustomerName: invoice.customer.name,
        CustomerMobile: invoice.customer.phone,
        CustomerEmail: invoice.customer.email,
        TransactionStatus: type === "payment.succeeded" ? "SUCCESS" : "FAILED",
        PaymentMethod: payment.method,
        UserDefinedField: invoice.id,
        ReferenceId: payment.provider_ref,
        TrackId: null,
        PaymentId: payment.id,
        AuthorizationId: null,
        InvoiceValueInBaseCurrency: value,
        BaseCurrency: payment.currency,
        InvoiceValueInDisplayCurreny: value,
        DisplayCurrency: payment.currency,
        InvoiceValueInPayCurrency: value,
        PayCurrency: payment.currency,
      },
    };
  }
  if (type === "refund.succeeded" || type === "refund.failed") {
    const { refund, payment, invoice } = readData(refundEventData, type, dataJson);
    const amount = majorDecimal(refund.amount, refund.currency);
    return {
      EventType: 2,
      Event: "RefundStatusChanged",
      ...head(refund.currency),
      Data: {
        RefundId: refund.id,
        RefundReference: refund.provider_ref,
        CreatedDate: myFatoorahDate(new Date(refund.created_at)),
        RefundStatus: type === "refund.succeeded" ? "REFUNDED" : "CANCELED",
        Amount: amount,
        Comments: refund.reason,
        InvoiceId: String(invoiceNumberOf(invoice.number)),
        InvoiceRefernce: invoice.number,
        GatewayReference: {
          PaymentId: payment.id,
          AuthorizationId: null,
          ReferenceId: payment.provider_ref,
          TransactionId: refund.provider_ref,
          RefundAmount: amount,
          Currency: refund.currency,
          PaymentMethod: payment.method,
        },
      },
    };
  }
  return null;
}

export const myFatoorahFormat: WebhookFormatBuilder = {
  id: "myfatoorah_v1",
  body(event, at) {
    const p = payload(event, at);
    return p && JSON.stringify(p);
  },
  request(event, ctx) {
    const p = payload(event, ctx.at);
    if (!p) return null;
    return { body: JSON.stringify(p), headers: { "MyFatoorah-Signature": myFatoorahSignature(ctx.secrets[0]!, p.Event, p.Data) } };
  },
};
