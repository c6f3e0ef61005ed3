/**
 * MyFatoorah (Kuwait, Saudi Arabia, UAE, Qatar, Bahrain, Oman, Jordan, Egypt):
 * the customer pays on MyFatoorah's hosted invoice page; MyFatoorah's
 * Webhook V1 tells Settle, and GetPaymentStatus confirms.
 *
 * Sources (public docs, docs.myfatoorah.com / myfatoorah.readme.io):
 * - "Webhook V1": the body `{EventType, Event, DateTime "ddMMyyyyHHmmss",
 *   CountryIsoCode, Data}`; retries up to four times, 10 s apart, until a 2xx;
 *   "two webhook events for the same transaction: if one is SUCCESS, ignore
 *   the other"; "rely on both the webhook and GetPaymentStatus".
 * - "Webhook Signature": the `MyFatoorah-Signature` header is the base64
 *   HMAC-SHA256 (secret = the portal's Webhook Secret Key, UTF-8) of the Data
 *   properties as `key=value` joined by commas, a null value as the empty string.
 * - "Transaction Data Model" (EventType 1) and "Refund Data Model" (EventType 2,
 *   whose `GatewayReference` object "should not be included in the signature
 *   properties"); the Recurring model's page and MyFatoorah's own PHP library
 *   (`isSignatureValid`: `uksort($data, 'strcasecmp')`) give the order:
 *   property names sorted alphabetically, ignoring case.
 * - "SendPayment" (v2): `InvoiceValue`, `DisplayCurrencyIso`, `CallBackUrl`,
 *   `ErrorUrl`, `CustomerReference`, `UserDefinedField`, `NotificationOption`
 *   "LNK" → `Data.InvoiceURL`, `Data.InvoiceId`; bearer API token; test base
 *   URL https://apitest.myfatoorah.com.
 * - "GetPaymentStatus" / "Payment Inquiry": POST /v2/getPaymentStatus
 *   `{Key, KeyType: "PaymentId"}` → `Data.InvoiceStatus`, `Data.InvoiceValue`,
 *   `Data.InvoiceTransactions[]` (`PaymentId`, `TransactionStatus` "Succss" |
 *   "Failed" | "InProgress" | "Canceled" | "Authorize", `TransationValue`,
 *   `PaymentGateway`, `CardNumber` masked, `Error`).
 * - "GetRefundStatus" (v2): `{KeyType "RefundId", Key}` →
 *   `Data.RefundStatusResult[]` (`RefundId`, `RefundStatus` Refunded | Canceled
 *   | Pending, `Amount`, `ExternalIdentifier`, `BaseCurrency`);
 *   `fetchRefundStatus` reads it for a later "check status".
 * - "MakeRefund" (v2): POST /v2/MakeRefund `{KeyType "PaymentId", Key, Amount
 *   (decimal), Comment, ServiceChargeOnCustomer, RefundChargeOnCustomer,
 *   ExternalIdentifier ("received in the webhook")}` → `Data.RefundId`,
 *   `Data.RefundReference`; the "Refund" guide: a refund is a request
 *   MyFatoorah reviews (unless the account has Auto Refund), ended by
 *   RefundStatusChanged (REFUNDED or CANCELED).
 *
 * Choices where the docs are silent (or loose):
 * - A webhook's facts are never taken as they come, even signed: the signature
 *   covers `Data` only (not `Event`, not `DateTime`, so it cannot stop a
 *   replay), so a signed TransactionsStatusChanged is a `lookup` of its
 *   PaymentId and the payment is recorded from GetPaymentStatus (the issue:
 *   "status confirmed with its GetPaymentStatus call"). A lookup that fails
 *   answers 502, so MyFatoorah's own retry is the next try.
 * - One payment per MyFatoorah transaction (providerRef = PaymentId): two
 *   events for one transaction land on the same row, and recordPayment never
 *   turns a succeeded payment into a failed one (SUCCESS wins, in either order).
 * - Amounts: a link is offered only in the account's own currency (a setup
 *   field), so `InvoiceValue` needs no exchange rate; amounts come from the
 *   transaction's `TransationValue` (what was charged), else `InvoiceValue`,
 *   converted exactly (decimal text; extra trailing zeros such as "10.000"
 *   for SAR accepted). A JSON number is read through its shortest decimal
 *   form, which is the number as sent for amounts of up to 15 digits.
 *   An amount <= 0 in a webhook is a 400 before any lookup; in a status
 *   answer it is passed on, and the notify handler refuses it (400).
 * - `InProgress` and `Authorize` (held, not captured) are "processing".
 * - A signed body off the documented shape (DateTime not ddMMyyyyHHmmss, no
 *   PaymentId) is a 400; a body whose signature cannot even be computed
 *   (not JSON, no Data object) is a 401, kept as rejected like a forgery.
 * - Signature string values: strings as is, numbers in their decimal form,
 *   true as "1" and false as "" (as PHP's sprintf prints them in the library);
 *   a nested object other than the refund's GatewayReference is left out.
 * - The webhook endpoint is set once in the MyFatoorah portal (SendPayment has
 *   no notification URL): the merchant pastes this service's notify URL there.
 * - Settle's session id is sent as both CustomerReference and UserDefinedField;
 *   the hosted page's language is "ar" for an Arabic checkout, else "en".
 * - A refund: MakeRefund has no currency field (the account's is used), so
 *   only a payment in the account's currency is sent, its amount written
 *   exactly as a decimal in major units; the reason goes as Comment (at most
 *   200 characters) and Settle's refund id as ExternalIdentifier. IsSuccess
 *   true is "pending" under MyFatoorah's RefundId, even with Auto Refund: the
 *   webhook ends it. IsSuccess false (or a 4xx with MyFatoorah's envelope) is
 *   a refusal, with its ValidationErrors ("Name: Error") or else its Message;
 *   a 5xx, an unreadable answer or no answer at all is thrown (the command
 *   fails the refund with that message).
 * - RefundStatusChanged is a RefundNotice taken as signed (no lookup: the
 *   refunds ledger ends a refund once, so a replay changes nothing):
 *   RefundId is the gateway's refund id, GatewayReference.PaymentId the
 *   payment, REFUNDED succeeded and CANCELED failed. `Amount` is read in the
 *   account's currency (GatewayReference, outside the signature, may be in
 *   the customer's). The V1 Refund Data Model lists no ExternalIdentifier,
 *   though MakeRefund says the webhook carries it: when Data has one that is a
 *   Settle refund id (`re_…`) it is the notice's reference, else none.
 *   CANCELED's message names MyFatoorah and adds `Comments` when there are any
 *   (they may be the comment Settle sent, not a reason).
 *   Every other event is stored as ignored.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { maskPans } from "@/lib/log/redact";
import { type CurrencyCode, currencies, exponentOf, parseAmount, toMajorString } from "@/lib/money";
import { providerRequest } from "./provider-http";
import type { Connector, NotificationFacts, RefundNotice, RefundOutcome, RefundRequest, ServiceContext, Verification } from "./types";
import { firstIssue } from "./parse";

export const SIGNATURE_HEADER = "myfatoorah-signature";
export const TEST_BASE_URL = "https://apitest.myfatoorah.com";

/** The currencies of MyFatoorah's countries that Settle knows: a MyFatoorah account works in one of them. */
export const myfatoorahCurrencies = ["KWD", "SAR", "AED", "QAR", "BHD", "OMR", "JOD", "EGP"] as const satisfies readonly CurrencyCode[];

const setupSchema = z.object({
  baseUrl: z
    .string({ error: "Enter MyFatoorah's API address." })
    .trim()
    .url("Enter a full address, like https://apitest.myfatoorah.com.")
    .refine((u) => !URL.canParse(u) || /^https?:\/\//i.test(u), "The address must start with https://.")
    .transform((u) => u.replace(/\/+$/, "")),
  currency: z
    .string({ error: "Enter your MyFatoorah account's currency." })
    .trim()
    .toUpperCase()
    .pipe(z.enum(myfatoorahCurrencies, { error: `Use your account's currency: one of ${myfatoorahCurrencies.join(", ")}.` })),
  apiKey: z.string({ error: "Enter your API token." }).trim().min(20, "Paste the whole API token from the MyFatoorah portal.").max(4000, "That is too long for an API token."),
  webhookSecret: z
    .string({ error: "Enter the webhook secret key." })
    .trim()
    .min(8, "Paste the Webhook Secret Key from Integration Settings → Webhook Settings.")
    .max(500, "That is too long for a webhook secret key."),
});

// --- money ---------------------------------------------------------------

/** A MyFatoorah amount (decimal text or JSON number, major units) as exact minor units of `currency`. */
export function myfatoorahAmount(value: string | number, currency: CurrencyCode): number {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`"${String(value).slice(0, 40)}" is not an amount.`);
  const exp = exponentOf(currency);
  let frac = m[2] ?? "";
  // "10.000" for a 2-decimal currency is still exactly 10.00; "10.005" is not.
  while (frac.length > exp && frac.endsWith("0")) frac = frac.slice(0, -1);
  if (frac.length > exp) throw new Error(`${text} has more decimals than ${currency} allows.`);
  return parseAmount(frac ? `${m[1]}.${frac}` : m[1]!, currency, "en");
}

/** The account's currency (a setup field): MyFatoorah's amounts are in it. */
const accountCurrency = (service: ServiceContext): CurrencyCode | null => {
  const currency = service.config.currency;
  return currency && currency in currencies ? (currency as CurrencyCode) : null;
};

// --- the webhook signature -------------------------------------------------

const signatureValue = (v: unknown): string | undefined => {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "1" : "";
  return undefined; // nested: not part of the signed string
};

/** PHP's strcasecmp: byte order of the lower-cased names. */
const caseless = (a: string, b: string) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The string MyFatoorah signs for an event's Data: `Key=value` pairs in caseless alphabetical order, joined by commas. */
export function signatureString(event: string, data: Record<string, unknown>): string {
  return Object.keys(data)
    .filter((k) => !(event === "RefundStatusChanged" && k === "GatewayReference"))
    .sort(caseless)
    .flatMap((k) => {
      const v = signatureValue(data[k]);
      return v === undefined ? [] : [`${k}=${v}`];
    })
    .join(",");
}

export const signWebhookData = (secret: string, event: string, data: Record<string, unknown>): string =>
  createHmac("sha256", Buffer.from(secret, "utf8")).update(Buffer.from(signatureString(event, data), "utf8")).digest("base64");

// --- the Webhook V1 body ---------------------------------------------------

const dateTime = z.string().regex(/^\d{14}$/, "DateTime must be ddMMyyyyHHmmss.");

/** MyFatoorah's "ddMMyyyyHHmmss" as a Date (its clock is the portal country's; read here as UTC). */
export function parseMyFatoorahDate(text: string): Date | null {
  const m = /^(\d{2})(\d{2})(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [, dd, mm, yyyy, hh, mi, ss] = m.map(Number) as [number, number, number, number, number, number, number];
  const d = new Date(Date.UTC(yyyy, mm - 1, dd, hh, mi, ss));
  const same = d.getUTCFullYear() === yyyy && d.getUTCMonth() === mm - 1 && d.getUTCDate() === dd && d.getUTCHours() === hh && d.getUTCMinutes() === mi && d.getUTCSeconds() === ss;
  return same ? d : null;
}

const envelopeSchema = z.object({
  EventType: z.number({ error: "EventType must be a number." }).int(),
  Event: z.string({ error: "Event is required." }).min(1).max(100),
  DateTime: dateTime.refine((t) => parseMyFatoorahDate(t) !== null, "DateTime is not a real date."),
  CountryIsoCode: z.string({ error: "CountryIsoCode is required." }).regex(/^[A-Z]{3}$/, "CountryIsoCode must be three letters."),
  Data: z.record(z.string(), z.unknown()),
});

const id = z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]).transform(String);
const optionalText = z.string().max(1000).nullish();
const amountText = z.union([z.string().max(40), z.number()]);

const transactionDataSchema = z.object({
  InvoiceId: id,
  PaymentId: z.string({ error: "Data.PaymentId is required." }).trim().min(1, "Data.PaymentId is required.").max(200),
  TransactionStatus: z.string({ error: "Data.TransactionStatus is required." }).min(1),
  CustomerReference: optionalText,
  UserDefinedField: optionalText,
  InvoiceValueInBaseCurrency: amountText.nullish(),
  BaseCurrency: z.string().nullish(),
  InvoiceValueInPayCurrency: amountText.nullish(),
  PayCurrency: z.string().nullish(),
});

const refundDataSchema = z.object({
  RefundId: id,
  RefundReference: z.string().max(200).nullish(),
  CreatedDate: dateTime,
  RefundStatus: z.enum(["REFUNDED", "CANCELED"], { error: "Data.RefundStatus must be REFUNDED or CANCELED." }),
  Amount: amountText,
  Comments: optionalText,
  InvoiceId: id,
  InvoiceRefernce: z.string().max(200).nullish(),
  /** Not in the V1 Refund Data Model; MakeRefund says its ExternalIdentifier comes back in the webhook. */
  ExternalIdentifier: z.string().max(200).nullish(),
  GatewayReference: z
    .object({
      PaymentId: z.string().nullish(),
      AuthorizationId: z.string().nullish(),
      ReferenceId: z.string().nullish(),
      TransactionId: z.string().nullish(),
      RefundAmount: amountText.nullish(),
      Currency: z.string().nullish(),
      PaymentMethod: z.string().nullish(),
    })
    .nullish(),
});

export interface RefundStatusChange {
  refundId: string;
  /** MyFatoorah's own refund reference (RefundReference). */
  reference: string | null;
  /** The ExternalIdentifier given to MakeRefund, when the event carries it. */
  externalIdentifier: string | null;
  status: "refunded" | "canceled";
  /** The refund's amount as MyFatoorah wrote it (major units); `amountIn(currency)` converts it exactly. */
  amountText: string;
  amountIn(currency: CurrencyCode): number;
  invoiceId: string;
  /** The refunded transaction (the payment's providerRef), when MyFatoorah names it. */
  paymentId: string | null;
  currency: string | null;
  comments: string | null;
  createdAt: Date;
}

/** A RefundStatusChanged event's Data (Refund Data Model), parsed. */
export function parseRefundStatusChanged(data: unknown): { ok: true; refund: RefundStatusChange } | { ok: false; message: string } {
  const parsed = refundDataSchema.safeParse(data);
  if (!parsed.success) return { ok: false, message: firstIssue(parsed.error, undefined, "Data.") };
  const d = parsed.data;
  const createdAt = parseMyFatoorahDate(d.CreatedDate);
  if (!createdAt) return { ok: false, message: "Data.CreatedDate is not a real date." };
  const amount = String(d.Amount);
  try {
    // The text must be an amount at all; its currency's decimals are checked when converted.
    myfatoorahAmount(amount, "KWD");
  } catch {
    return { ok: false, message: "Data.Amount is not an amount." };
  }
  return {
    ok: true,
    refund: {
      refundId: d.RefundId,
      reference: d.RefundReference ?? null,
      externalIdentifier: d.ExternalIdentifier?.trim() || null,
      status: d.RefundStatus === "REFUNDED" ? "refunded" : "canceled",
      amountText: amount,
      amountIn: (currency) => myfatoorahAmount(amount, currency),
      invoiceId: d.InvoiceId,
      paymentId: d.GatewayReference?.PaymentId ?? null,
      currency: d.GatewayReference?.Currency ?? null,
      comments: d.Comments ?? null,
      createdAt,
    },
  };
}

const refuse = (status: 400 | 401, message: string): Verification => ({ ok: false, status, message });

/** What a Settle refund id looks like (lib/ids: `re_` and a lower-case ULID). */
const SETTLE_REFUND_ID = /^re_[0-9a-z]{26}$/;

/** A RefundStatusChanged as the refunds ledger reads it; its amount in the account's currency. */
function refundNotice(service: ServiceContext, r: RefundStatusChange): RefundNotice | { message: string } {
  const currency = accountCurrency(service);
  if (!currency) return { message: "This service has no account currency to read the refund's amount in." };
  let amount: number;
  try {
    amount = r.amountIn(currency);
  } catch (err) {
    return { message: `Data.Amount: ${(err as Error).message}` };
  }
  const comments = r.comments?.trim() || undefined;
  return {
    providerRef: r.refundId,
    ...(r.paymentId ? { paymentRef: r.paymentId } : {}),
    ...(r.externalIdentifier && SETTLE_REFUND_ID.test(r.externalIdentifier) ? { reference: r.externalIdentifier } : {}),
    status: r.status === "refunded" ? "succeeded" : "failed",
    amount,
    currency,
    message: r.status === "canceled" ? `MyFatoorah canceled the refund${comments ? `: ${comments}` : "."}` : comments,
  };
}

function verifyWebhook(service: ServiceContext, request: { headers: Headers; body: string }): Verification {
  const secret = service.credentials.webhookSecret;
  if (!secret) return refuse(401, "This service has no webhook secret key.");
  const given = request.headers.get(SIGNATURE_HEADER)?.trim() ?? "";
  if (!given) return refuse(401, `Missing ${SIGNATURE_HEADER} header.`);
  let json: unknown;
  try {
    json = JSON.parse(request.body);
  } catch {
    return refuse(401, "The body is not JSON, so its signature cannot be checked.");
  }
  const raw = json as { Event?: unknown; Data?: unknown } | null;
  if (!raw || typeof raw !== "object" || !raw.Data || typeof raw.Data !== "object" || Array.isArray(raw.Data)) {
    return refuse(401, "The body has no Data object to check the signature over.");
  }
  const event = typeof raw.Event === "string" ? raw.Event : "";
  const expected = Buffer.from(signWebhookData(secret, event, raw.Data as Record<string, unknown>));
  const got = Buffer.from(given);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return refuse(401, "The signature does not match.");

  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return refuse(400, firstIssue(envelope.error));
  const { Event, Data } = envelope.data;

  if (Event === "TransactionsStatusChanged") {
    const data = transactionDataSchema.safeParse(Data);
    if (!data.success) return refuse(400, firstIssue(data.error, undefined, "Data."));
    const d = data.data;
    const value = d.InvoiceValueInBaseCurrency ?? d.InvoiceValueInPayCurrency;
    if (value !== undefined && value !== null) {
      const currency = (d.InvoiceValueInBaseCurrency != null ? d.BaseCurrency : d.PayCurrency) ?? "";
      const known = currency in currencies ? (currency as CurrencyCode) : "KWD";
      let minor: number;
      try {
        minor = myfatoorahAmount(value, known);
      } catch (err) {
        return refuse(400, `Data amount: ${(err as Error).message}`);
      }
      if (minor <= 0) return refuse(400, "The amount must be more than zero.");
    }
    // Confirmed with GetPaymentStatus before anything is recorded.
    return { ok: true, lookup: d.PaymentId };
  }
  if (Event === "RefundStatusChanged") {
    const parsed = parseRefundStatusChanged(Data);
    if (!parsed.ok) return refuse(400, parsed.message);
    const notice = refundNotice(service, parsed.refund);
    return "providerRef" in notice ? { ok: true, refund: notice } : refuse(400, notice.message);
  }
  return { ok: true, ignored: `MyFatoorah event ${Event} is not one Settle acts on.` };
}

// --- the API ---------------------------------------------------------------

const apiUrl = (service: ServiceContext, path: string) => new URL(path, `${(service.config.baseUrl ?? TEST_BASE_URL).replace(/\/+$/, "")}/`);

/** MyFatoorah's answer: its HTTP status, the JSON body (undefined when it is not JSON) and the envelope read from it. */
interface ApiAnswer {
  status: number;
  json: unknown;
  envelope: { IsSuccess?: unknown; Message?: unknown; ValidationErrors?: unknown } | undefined;
}

async function postApi(service: ServiceContext, path: string, body: string): Promise<ApiAnswer> {
  const apiKey = service.credentials.apiKey;
  if (!apiKey) throw new Error("This service has no MyFatoorah API token.");
  const res = await providerRequest(apiUrl(service, path), {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body,
  });
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = undefined;
  }
  const envelope = json && typeof json === "object" && !Array.isArray(json) ? (json as ApiAnswer["envelope"]) : undefined;
  return { status: res.status, json, envelope };
}

/** The envelope's Message, without its closing full stop (Settle's sentence ends it). */
const messageOf = (envelope: ApiAnswer["envelope"]) =>
  typeof envelope?.Message === "string" ? maskPans(envelope.Message.trim().replace(/\.+$/, "")).slice(0, 200) : "";

/** ValidationErrors as "Name: Error" pairs, joined. */
const validationErrorsOf = (envelope: ApiAnswer["envelope"]) =>
  Array.isArray(envelope?.ValidationErrors)
    ? maskPans(
        (envelope.ValidationErrors as Array<{ Name?: unknown; Error?: unknown } | null>)
          .map((e) => [e?.Name, e?.Error].filter((v) => typeof v === "string" && v.trim()).join(": "))
          .filter(Boolean)
          .join("; "),
      ).slice(0, 300)
    : "";

/** A call that must succeed: anything but a 2xx with IsSuccess true is thrown, with MyFatoorah's words. */
async function callApi(service: ServiceContext, path: string, body: string): Promise<unknown> {
  const { status, json, envelope } = await postApi(service, path, body);
  if (status < 200 || status > 299 || envelope?.IsSuccess !== true) {
    const why = messageOf(envelope);
    const fields = validationErrorsOf(envelope);
    throw new Error(`MyFatoorah answered HTTP ${status}${why ? `: ${why}` : ""}${fields ? ` (${fields})` : ""}.`);
  }
  return json;
}

const sendPaymentAnswer = z.object({
  Data: z.object({
    InvoiceId: id,
    InvoiceURL: z.string().url().refine((u) => /^https?:\/\//i.test(u), "not a web address"),
  }),
});

const makeRefundAnswer = z.object({
  Data: z.object({ RefundId: id, RefundReference: z.string().max(200).nullish() }),
});

/** What Settle writes as the refund's Comment: MyFatoorah documents no limit, so a short one. */
const COMMENT_LIMIT = 200;

/**
 * MakeRefund on the payment's transaction (KeyType PaymentId). Accepted is
 * pending under MyFatoorah's RefundId; refused is failed with its reason;
 * no usable answer is thrown.
 */
async function refund(service: ServiceContext, request: RefundRequest): Promise<RefundOutcome> {
  const currency = accountCurrency(service);
  if (!currency) throw new Error("This service has no account currency.");
  if (request.currency !== currency) {
    return { status: "failed", message: `MyFatoorah refunds in the account's currency (${currency}); this payment is in ${request.currency}.` };
  }
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) throw new Error("The refund's amount must be more than zero.");
  const fields = {
    KeyType: "PaymentId",
    Key: request.paymentRef,
    Comment: maskPans(request.reason.trim()).slice(0, COMMENT_LIMIT),
    ServiceChargeOnCustomer: false,
    RefundChargeOnCustomer: false,
    ExternalIdentifier: request.refundId,
  };
  // The decimal goes out as written ("5.250"), never through a float.
  const body = `{"Amount":${toMajorString(request.amount, currency)},${JSON.stringify(fields).slice(1)}`;
  const { status, json, envelope } = await postApi(service, "v2/MakeRefund", body);
  if (status >= 500) {
    const why = messageOf(envelope);
    throw new Error(`MyFatoorah answered HTTP ${status}${why ? `: ${why}` : ""}.`);
  }
  if (!envelope || typeof envelope.IsSuccess !== "boolean") throw new Error(`MyFatoorah's MakeRefund answer (HTTP ${status}) is not understood.`);
  if (status < 200 || status > 299 || !envelope.IsSuccess) {
    const why = validationErrorsOf(envelope) || messageOf(envelope) || `HTTP ${status}`;
    return { status: "failed", message: `MyFatoorah refused the refund: ${why}`, raw: json };
  }
  const parsed = makeRefundAnswer.safeParse(json);
  if (!parsed.success) throw new Error(`MyFatoorah's MakeRefund answer is not understood (${firstIssue(parsed.error)}).`);
  // Reviewed by MyFatoorah (or refunded at once with Auto Refund): RefundStatusChanged ends it either way.
  return { status: "pending", providerRef: parsed.data.Data.RefundId, raw: json };
}

const refundStatusAnswer = z.object({
  Data: z.object({
    RefundStatusResult: z.array(
      z.object({
        RefundId: id,
        RefundStatus: z.string(),
        Amount: amountText,
        ExternalIdentifier: z.string().nullish(),
        BaseCurrency: z.string().nullish(),
      }),
    ),
  }),
});

function refundStatusOf(text: string): RefundStatusReading["status"] | null {
  switch (text.trim().toLowerCase()) {
    case "refunded":
      return "succeeded";
    case "canceled":
    case "cancelled":
      return "failed";
    case "pending":
      return "pending";
    default:
      return null;
  }
}

export interface RefundStatusReading {
  providerRef: string;
  status: "pending" | "succeeded" | "failed";
  /** Minor units of the account's currency. */
  amount: number;
  currency: CurrencyCode;
  /** Settle's refund id, when MyFatoorah kept it as the ExternalIdentifier. */
  reference?: string;
}

/**
 * GetRefundStatus for one refund (KeyType RefundId): where MyFatoorah's
 * review stands, for a "check status" that does not wait for the webhook.
 * Its RefundStatus is title case (Refunded, Canceled, Pending).
 */
export async function fetchRefundStatus(service: ServiceContext, refundId: string): Promise<RefundStatusReading> {
  const currency = accountCurrency(service);
  if (!currency) throw new Error("This service has no account currency.");
  const json = await callApi(service, "v2/GetRefundStatus", JSON.stringify({ KeyType: "RefundId", Key: refundId }));
  const parsed = refundStatusAnswer.safeParse(json);
  if (!parsed.success) throw new Error(`MyFatoorah's refund status is not understood (${firstIssue(parsed.error)}).`);
  const found = parsed.data.Data.RefundStatusResult.find((r) => r.RefundId === refundId);
  if (!found) throw new Error(`MyFatoorah's answer has no refund ${refundId.slice(0, 40)}.`);
  if (found.BaseCurrency && found.BaseCurrency !== currency) throw new Error(`MyFatoorah's refund ${refundId.slice(0, 40)} is in ${found.BaseCurrency.slice(0, 10)}, not ${currency}.`);
  const status = refundStatusOf(found.RefundStatus);
  if (!status) throw new Error(`MyFatoorah's refund status "${found.RefundStatus.slice(0, 40)}" is not understood.`);
  const reference = found.ExternalIdentifier?.trim();
  return {
    providerRef: found.RefundId,
    status,
    amount: myfatoorahAmount(found.Amount, currency),
    currency,
    ...(reference && SETTLE_REFUND_ID.test(reference) ? { reference } : {}),
  };
}

const transactionSchema = z.object({
  PaymentId: id,
  TransactionStatus: z.string(),
  TransationValue: amountText.nullish(),
  PaymentGateway: z.string().nullish(),
  CardNumber: z.string().nullish(),
  Error: z.string().nullish(),
  ErrorCode: z.string().nullish(),
});

const statusAnswer = z.object({
  Data: z.object({
    InvoiceId: id,
    InvoiceStatus: z.string(),
    InvoiceValue: amountText,
    CustomerReference: z.string().nullish(),
    UserDefinedField: z.string().nullish(),
    InvoiceTransactions: z.array(transactionSchema).default([]),
  }),
});

function statusOf(text: string): NotificationFacts["status"] | null {
  switch (text.trim().toLowerCase()) {
    case "succss": // sic: GetPaymentStatus's spelling
    case "success":
      return "succeeded";
    case "failed":
    case "canceled":
    case "cancelled":
    case "expired":
      return "failed";
    case "inprogress":
    case "authorize":
      return "processing";
    default:
      return null;
  }
}

const methodOf = (gateway: string | null | undefined): NotificationFacts["method"] =>
  gateway && /apple|google|stc|wallet/i.test(gateway) ? "ewallet" : "card";

async function fetchStatus(service: ServiceContext, paymentId: string): Promise<NotificationFacts> {
  const currency = accountCurrency(service);
  if (!currency) throw new Error("This service has no account currency.");
  const json = await callApi(service, "v2/getPaymentStatus", JSON.stringify({ Key: paymentId, KeyType: "PaymentId" }));
  const parsed = statusAnswer.safeParse(json);
  if (!parsed.success) throw new Error(`MyFatoorah's payment status is not understood (${firstIssue(parsed.error)}).`);
  const invoice = parsed.data.Data;
  const tx = invoice.InvoiceTransactions.find((t) => t.PaymentId === paymentId);
  if (!tx) throw new Error(`MyFatoorah's invoice ${invoice.InvoiceId} has no transaction ${paymentId}.`);
  const status = statusOf(tx.TransactionStatus);
  if (!status) throw new Error(`MyFatoorah's transaction status "${tx.TransactionStatus.slice(0, 40)}" is not understood.`);
  // A zero amount comes back as it is: the notify handler refuses it (400, kept as rejected), never a payment of 0.
  const amount = myfatoorahAmount(tx.TransationValue ?? invoice.InvoiceValue, currency);
  const last4 = /(\d{4})\s*$/.exec(tx.CardNumber ?? "")?.[1];
  const why = tx.Error?.trim() || (status === "failed" ? `MyFatoorah: ${tx.TransactionStatus}` : "");
  return {
    providerRef: tx.PaymentId,
    status,
    amount,
    currency,
    sessionRef: invoice.CustomerReference || invoice.UserDefinedField || invoice.InvoiceId,
    method: methodOf(tx.PaymentGateway),
    message: why ? maskPans(why).slice(0, 1000) : undefined,
    cardLast4: last4,
  };
}

export const myfatoorahConnector: Connector = {
  kind: "myfatoorah",
  setup: {
    label: "MyFatoorah",
    description:
      "Customers pay on MyFatoorah's hosted page (cards, KNET, mada, Apple Pay). Needs your API token and, from Webhook Settings (Webhook V1, secret key enabled), the webhook secret key; set the webhook endpoint to this service's notify URL.",
    fields: [
      { name: "baseUrl", label: "API address", type: "url", placeholder: TEST_BASE_URL, hint: "Test: https://apitest.myfatoorah.com. Live: your country's API address." },
      { name: "currency", label: "Account currency", placeholder: "KWD", hint: `Your MyFatoorah account's currency (${myfatoorahCurrencies.join(", ")}); links in this currency offer MyFatoorah.` },
      { name: "apiKey", label: "API token", secret: true, hint: "Integration Settings → API Key in the MyFatoorah portal." },
      { name: "webhookSecret", label: "Webhook secret key", secret: true, hint: "Integration Settings → Webhook Settings, with the secret key enabled." },
    ],
    schema: setupSchema,
  },
  flows: (service, currency) =>
    service.config.baseUrl && service.config.currency === currency && service.credentials.apiKey && service.credentials.webhookSecret ? ["redirect"] : [],
  async startPayment(service, link, _flow, session) {
    const currency = link.currency as CurrencyCode;
    if (!(currency in currencies) || service.config.currency !== currency) throw new Error(`MyFatoorah is set up for ${service.config.currency ?? "no currency"}, not ${link.currency}.`);
    if (!Number.isSafeInteger(link.due) || link.due <= 0) throw new Error("Nothing is due on this link.");
    const fields = {
      NotificationOption: "LNK",
      CustomerName: (link.customerName?.trim() || link.merchantName).slice(0, 100),
      ...(link.customerEmail ? { CustomerEmail: link.customerEmail } : {}),
      DisplayCurrencyIso: currency,
      CallBackUrl: session.returnUrl,
      ErrorUrl: session.returnUrl,
      Language: link.locale?.toLowerCase().startsWith("ar") ? "ar" : "en",
      CustomerReference: session.sessionId,
      UserDefinedField: session.sessionId,
    };
    // The decimal goes out as written ("12.345"), never through a float.
    const body = `{"InvoiceValue":${toMajorString(link.due, currency)},${JSON.stringify(fields).slice(1)}`;
    const parsed = sendPaymentAnswer.safeParse(await callApi(service, "v2/SendPayment", body));
    if (!parsed.success) throw new Error(`MyFatoorah's SendPayment answer is not understood (${firstIssue(parsed.error)}).`);
    return { instruction: { kind: "redirect", url: parsed.data.Data.InvoiceURL }, providerRef: parsed.data.Data.InvoiceId };
  },
  verifyNotification: verifyWebhook,
  fetchStatus,
  refund,
  async refundStatus(service, providerRef) {
    const reading = await fetchRefundStatus(service, providerRef);
    const message = reading.status === "failed" ? "MyFatoorah canceled this refund." : undefined;
    return { status: reading.status, providerRef: reading.providerRef, message, raw: reading };
  },
};
