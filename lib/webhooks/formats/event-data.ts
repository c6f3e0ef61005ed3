import { z } from "zod";
import { type CurrencyCode, currencies, toMajorString } from "@/lib/money";

/**
 * Settle's event data (lib/invoices/events.ts: invoicePayload, paymentPayload,
 * refundPayload), read back from the stored JSON by the gateway formats: only
 * the fields they map, checked, so a payload that drifted fails loudly in the
 * contract test rather than sending a gateway's receiver an empty field.
 */
const text = z.string();
const minor = z.number().int();

export const invoiceData = z.object({
  id: text,
  number: text,
  reference_id: text.nullable(),
  currency: text,
  amount: minor,
  paid_amount: minor,
  status: text,
  payment_status: text,
  customer: z.object({ name: text, email: text.nullable(), phone: text.nullable() }),
  description: text.nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  created_at: text,
});

export const paymentData = z.object({
  id: text,
  invoice_id: text.nullable(),
  payment_link_id: text.nullable(),
  provider_ref: text,
  amount: minor,
  currency: text,
  method: text,
  status: text,
  message: text.nullable(),
  card_last4: text.nullable(),
  created_at: text,
});

export const refundData = z.object({
  id: text,
  payment_id: text,
  invoice_id: text.nullable(),
  amount: minor,
  currency: text,
  reason: text,
  status: text,
  provider_ref: text.nullable(),
  failure_message: text.nullable(),
  created_at: text,
  settled_at: text.nullable(),
});

export const invoiceEventData = z.object({ invoice: invoiceData });
export const paymentEventData = z.object({ payment: paymentData, invoice: invoiceData });
export const refundEventData = z.object({ refund: refundData, payment: paymentData, invoice: invoiceData });

/** The event's data through `schema`; an event whose data does not fit is a bug, said with the event type. */
export function readData<T extends z.ZodType>(schema: T, type: string, dataJson: string): z.output<T> {
  const parsed = schema.safeParse(JSON.parse(dataJson));
  if (!parsed.success) throw new Error(`The ${type} event's data is not what the format reads: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

const isCurrency = (c: string): c is CurrencyCode => c in currencies;

/**
 * Minor units as the shortest exact decimal in major units ("100", "12.5",
 * "456.75"), as the gateways' samples write amounts; never through a float.
 */
export function majorDecimal(minorUnits: number, currency: string): string {
  if (!isCurrency(currency)) throw new Error(`Unknown currency ${currency}.`);
  const s = toMajorString(minorUnits, currency);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** An ISO 8601 time to the second, "2024-01-20T14:30:00Z", as Finan's sample writes it. */
export const isoSeconds = (iso: string) => `${new Date(iso).toISOString().slice(0, 19)}Z`;

/** The invoice's own number, 42 from "INV-000042". */
export function invoiceNumberOf(formatted: string): number {
  const n = Number(/(\d+)$/.exec(formatted)?.[1]);
  if (!Number.isSafeInteger(n)) throw new Error(`"${formatted}" is not an invoice number.`);
  return n;
}

/** What the merchant calls the invoice in their own system: its reference id, else Settle's id. */
export const merchantReference = (inv: { id: string; reference_id: string | null }) => inv.reference_id ?? inv.id;
