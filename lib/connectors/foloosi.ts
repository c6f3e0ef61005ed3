/**
 * Foloosi (UAE card gateway): a hosted card payment.
 *
 * Sources (public):
 * - docs.foloosi.com/webhooks (seed: ../shared/reference/foloosi-webhooks.txt): the webhook body
 *   `data.transfer.{transaction_status, transaction_no, payment_reference, transaction_amount,
 *   transaction_currency, transaction_message, api.{optional1-3, card_last_four}}`, events
 *   order.success / order.cancel; "transaction_no … sometimes it get null" on a failure.
 * - docs.foloosi.com "Create Payment Token" / "Api Subscription" (properties table) and Foloosi's own
 *   integrations (FoloosiTech/prestashop-foloosi, the "Foloosi for WooCommerce" plugin): the
 *   initialize call `POST …/initialize-setup` with the `merchant_key` header, body `transaction_amount`
 *   (major units), `currency`, `customer_*`, `site_return_url`, `optional1-3`, answering
 *   `{ data: { reference_token } }`; the transaction lookup `GET …/transaction-detail/{transaction_no}`
 *   with the `secret_key` header, answering `{ data: { status, optional1, … } }` (the WooCommerce
 *   plugin accepts a payment only when `data.status == "success"` and `data.optional1` is its order).
 * - FoloosiTech/foloosi-react-native-webview-sample: the hosted payment page
 *   `https://widget.foloosi.com/?{"reference_token":"…","secret_key":"<merchant key>"}`.
 *
 * Choices where the docs are silent:
 * - Authenticity: Foloosi documents no webhook signature. A webhook is only a trigger: its
 *   `transaction_no` is looked up with the merchant's secret key (fetchStatus) and only what
 *   Foloosi's transaction API answers is recorded (status, amount, currency, optional1), as iPint's
 *   callbacks are. A forged webhook can at most make Settle ask Foloosi about a transaction.
 * - A failed transfer whose `transaction_no` is null cannot be looked up. It moves no money, so it is
 *   recorded as a failed attempt straight from the body (so the merchant sees the decline), with a
 *   stable providerRef: `payment_reference:<payment_reference>` when Foloosi gave one, else
 *   `failed:<sha256 of optional1, amount, currency, message and card last four, 24 hex digits>`, so
 *   Foloosi's retries of the same webhook are one row. A success without `transaction_no` is refused (400).
 * - Settle's session id is `optional1` (Foloosi echoes it in the webhook and the lookup); `optional2`
 *   is the invoice number, `optional3` the merchant's name. The session's providerRef is the
 *   `reference_token`.
 * - Endpoints: `aggregatorapi/web/initialize-setup` and `v1/api/transaction-detail/{no}` on the
 *   configured API base URL (default https://api.foloosi.com/); the hosted page on the configured
 *   widget URL (default https://widget.foloosi.com/). Test and live are the same hosts with
 *   test_/live_ keys. The merchant key is public (it travels in the customer's page URL); the
 *   secret key is sealed.
 * - Amounts in the lookup: `request_amount`/`request_currency` (as Foloosi's v2 transaction detail
 *   names them), else `transaction_amount`/`transaction_currency`; decimal strings (or JSON
 *   numbers as written) in major units, converted exactly; more decimals than the currency has are
 *   refused unless they are zeros. Card: `card_last_four`, else the last four digits of the
 *   (masked) `card.pan`.
 * - Statuses: `success` succeeds; `failed`, `failure`, `error`, `declined`, `cancelled`/`canceled`
 *   fail; anything else (pending…) is not final and the lookup fails (502: Foloosi's retry is the
 *   next chance to confirm).
 * - The webhook URL is set in the Foloosi panel for both events (order.success, order.cancel): the
 *   body does not name the event, `transaction_status` does. An optional top-level `event` field,
 *   if present, must be one of the two.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { maskPans } from "@/lib/log/redact";
import { type CurrencyCode, currencyCodes, exponentOf, toMajorString } from "@/lib/money";
import { providerRequest } from "./provider-http";
import type { Connector, NotificationFacts, ServiceContext, Verification } from "./types";
import { parseJson, firstIssue } from "./parse";

export const FOLOOSI_API_URL = "https://api.foloosi.com/";
export const FOLOOSI_WIDGET_URL = "https://widget.foloosi.com/";
export const INITIALIZE_PATH = "aggregatorapi/web/initialize-setup";
export const DETAIL_PATH = "v1/api/transaction-detail/";

const httpUrl = (what: string, example: string) =>
  z
    .url({ error: `Enter Foloosi's ${what}, like ${example}.` })
    .refine((u) => /^https?:\/\//.test(u), `The ${what} must start with https:// (or http:// for a local test).`)
    .optional();

const key = (what: string) =>
  z
    .string({ error: `Enter your Foloosi ${what}.` })
    .trim()
    .min(8, `Paste your Foloosi ${what} from the panel's API settings.`)
    .max(300, `The ${what} can be at most 300 characters.`)
    .regex(/^\S+$/, `The ${what} has no spaces.`);

const setupSchema = z.object({
  merchantKey: key("merchant key"),
  secretKey: key("secret key"),
  apiBaseUrl: httpUrl("API base URL", FOLOOSI_API_URL),
  widgetUrl: httpUrl("payment page URL", FOLOOSI_WIDGET_URL),
});

const withSlash = (u: string) => u.replace(/\/?$/, "/");
const apiBase = (service: ServiceContext) => withSlash(service.config.apiBaseUrl || FOLOOSI_API_URL);
const widgetBase = (service: ServiceContext) => withSlash(service.config.widgetUrl || FOLOOSI_WIDGET_URL);

/** A decimal in major units ("100", "12.50", 12.5 as JSON wrote it) → minor units, exactly; null when it is not one. */
export function majorToMinor(value: string | number, currency: CurrencyCode): number | null {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const exp = exponentOf(currency);
  const frac = m[2] ?? "";
  // "100.000" for AED is 100.00; "100.005" is not an amount in AED.
  if (frac.length > exp && /[1-9]/.test(frac.slice(exp))) return null;
  const minor = BigInt(m[1]! + frac.slice(0, exp).padEnd(exp, "0"));
  return minor > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(minor);
}

const isCurrency = (c: string): c is CurrencyCode => (currencyCodes as readonly string[]).includes(c);
const amountValue = z.union([z.string().max(40), z.number()]);
const nullableText = (max: number) => z.string().max(max).nullish();

/** The webhook body (docs.foloosi.com/webhooks). Unknown fields are allowed: Foloosi adds customer details. */
const webhookSchema = z.object({
  event: z.enum(["order.success", "order.cancel"], { error: "event must be order.success or order.cancel." }).optional(),
  data: z.object(
    {
      transfer: z.object(
        {
          transaction_status: z.enum(["success", "failed"], { error: "transaction_status must be success or failed." }),
          transaction_no: nullableText(100),
          payment_reference: nullableText(100),
          transaction_amount: amountValue,
          transaction_currency: z.string({ error: "transaction_currency is required." }).regex(/^[A-Za-z]{3}$/, "transaction_currency must be a three-letter code."),
          transaction_message: nullableText(1000),
          api: z
            .object({
              optional1: nullableText(200),
              optional2: nullableText(500),
              optional3: nullableText(500),
              card_last_four: nullableText(4),
            })
            .nullish(),
        },
        { error: "data.transfer is required." },
      ),
    },
    { error: "data.transfer is required." },
  ),
});

const bad = (message: string): Verification => ({ ok: false, status: 400, message });


const lastFour = (s: string | null | undefined) => {
  const digits = (s ?? "").replace(/\D/g, "");
  return digits.length >= 4 ? digits.slice(-4) : undefined;
};

/** A provider's message as Settle keeps it: never a full card number. */
const safeMessage = (s: string | null | undefined) => (s ? maskPans(s).slice(0, 1000) : undefined);

function verifyWebhook(raw: string): Verification {
  const json = parseJson(raw);
  if (json === undefined) return bad("The body is not valid JSON.");
  const parsed = webhookSchema.safeParse(json);
  if (!parsed.success) return bad(firstIssue(parsed.error, "not a Foloosi webhook."));
  const { event } = parsed.data;
  const t = parsed.data.data.transfer;
  if (event && (event === "order.success") !== (t.transaction_status === "success")) {
    return bad(`event ${event} contradicts transaction_status ${t.transaction_status}.`);
  }
  const currency = t.transaction_currency.toUpperCase();
  if (!isCurrency(currency)) return bad(`transaction_currency ${currency} is not a currency Settle records.`);
  const amount = majorToMinor(t.transaction_amount, currency);
  if (amount === null) return bad(`transaction_amount ${JSON.stringify(t.transaction_amount)} is not an amount in ${currency}.`);
  if (amount <= 0) return bad("transaction_amount must be more than zero.");

  const transactionNo = t.transaction_no?.trim();
  // Unsigned: only Foloosi's transaction API says what happened to a transaction it can name.
  if (transactionNo) return { ok: true, lookup: transactionNo };
  if (t.transaction_status === "success") return bad("A successful transfer must name its transaction_no.");

  // A decline Foloosi gave no number: no money moves, so it is kept as a failed attempt the merchant can see.
  const reference = t.payment_reference?.trim();
  const cardLast4 = lastFour(t.api?.card_last_four);
  const message = safeMessage(t.transaction_message);
  const providerRef = reference
    ? `payment_reference:${reference}`
    : `failed:${createHash("sha256")
        .update(JSON.stringify([t.api?.optional1 ?? "", String(t.transaction_amount), currency, t.transaction_message ?? "", cardLast4 ?? ""]))
        .digest("hex")
        .slice(0, 24)}`;
  return {
    ok: true,
    facts: {
      providerRef,
      status: "failed",
      amount,
      currency,
      sessionRef: t.api?.optional1?.trim() || undefined,
      method: "card",
      message,
      cardLast4,
    },
  };
}

/** The transaction-detail answer: `{ message, data: { … } }`; only what Settle reads is checked. */
const detailSchema = z.object({
  data: z.object(
    {
      transaction_no: z.string().max(100).nullish(),
      status: z.string({ error: "data.status is missing." }).max(40),
      optional1: nullableText(200),
      request_amount: amountValue.nullish(),
      request_currency: z.string().max(3).nullish(),
      transaction_amount: amountValue.nullish(),
      transaction_currency: z.string().max(3).nullish(),
      currency: z.string().max(3).nullish(),
      payment_failed_reason: nullableText(1000),
      transaction_message: nullableText(1000),
      card_last_four: z.string().max(20).nullish(),
      card: z.object({ pan: z.string().max(40).nullish() }).nullish(),
    },
    { error: "data is missing." },
  ),
});

const FAILED = new Set(["failed", "failure", "error", "declined", "cancelled", "canceled"]);

async function fetchTransaction(service: ServiceContext, transactionNo: string): Promise<NotificationFacts> {
  const secretKey = service.credentials.secretKey;
  if (!secretKey) throw new Error("This Foloosi service has no secret key.");
  const url = new URL(DETAIL_PATH + encodeURIComponent(transactionNo), apiBase(service));
  const res = await providerRequest(url, { method: "GET", headers: { secret_key: secretKey } });
  if (res.status < 200 || res.status > 299) throw new Error(`Foloosi answered ${res.status} for transaction ${transactionNo}.`);
  const parsed = detailSchema.safeParse(parseJson(res.body));
  if (!parsed.success) throw new Error(`Foloosi's transaction detail is not understood: ${firstIssue(parsed.error, "not a Foloosi webhook.")}`);
  const d = parsed.data.data;
  if (d.transaction_no && d.transaction_no !== transactionNo) throw new Error(`Foloosi answered for ${d.transaction_no}, not ${transactionNo}.`);
  const state = d.status.trim().toLowerCase();
  const status = state === "success" ? "succeeded" : FAILED.has(state) ? "failed" : null;
  if (!status) throw new Error(`Transaction ${transactionNo} is ${d.status} at Foloosi, not final yet.`);
  const currency = (d.request_currency ?? d.transaction_currency ?? d.currency ?? "").toUpperCase();
  if (!isCurrency(currency)) throw new Error(`Foloosi's transaction ${transactionNo} is in ${currency || "no currency"}, which Settle does not record.`);
  const rawAmount = d.request_amount ?? d.transaction_amount;
  const amount = rawAmount === null || rawAmount === undefined ? null : majorToMinor(rawAmount, currency);
  if (amount === null || amount <= 0) throw new Error(`Foloosi's transaction ${transactionNo} has no amount above zero in ${currency}.`);
  return {
    providerRef: transactionNo,
    status,
    amount,
    currency,
    sessionRef: d.optional1?.trim() || undefined,
    method: "card",
    message: safeMessage(status === "failed" ? (d.payment_failed_reason ?? d.transaction_message) : d.transaction_message),
    cardLast4: lastFour(d.card_last_four) ?? lastFour(d.card?.pan),
  };
}

const initializeAnswer = z.object({ data: z.object({ reference_token: z.string().min(1).max(2000) }) });

export const foloosiConnector: Connector = {
  kind: "foloosi",
  setup: {
    label: "Foloosi",
    description: "Customers pay by card on Foloosi's hosted page; Settle confirms every webhook with Foloosi's transaction API.",
    fields: [
      { name: "merchantKey", label: "Merchant key", placeholder: "test_$2y$10$…", hint: "Foloosi panel → API settings. Public: it opens Foloosi's payment page." },
      { name: "secretKey", label: "Secret key", secret: true, placeholder: "test_$2y$10$…", hint: "Foloosi panel → API settings. Settle uses it to confirm each transaction." },
      { name: "apiBaseUrl", label: "API base URL", type: "url", optional: true, placeholder: FOLOOSI_API_URL },
      { name: "widgetUrl", label: "Payment page URL", type: "url", optional: true, placeholder: FOLOOSI_WIDGET_URL },
    ],
    schema: setupSchema,
  },
  flows: (service) => (service.config.merchantKey && service.credentials.secretKey ? ["redirect"] : []),

  async startPayment(service, link, _flow, session) {
    const merchantKey = service.config.merchantKey;
    if (!merchantKey) throw new Error("This Foloosi service has no merchant key.");
    const currency = link.currency as CurrencyCode;
    const body: Record<string, string> = {
      transaction_amount: toMajorString(link.due, currency),
      currency,
      customer_name: link.customerName || "Customer",
      customer_email: link.customerEmail || "",
      site_return_url: session.returnUrl,
      optional1: session.sessionId,
      optional2: link.invoiceNumber ?? link.code,
      optional3: link.merchantName.slice(0, 200),
    };
    if (link.description) body.description = link.description.slice(0, 500);
    const res = await providerRequest(new URL(INITIALIZE_PATH, apiBase(service)), {
      method: "POST",
      headers: { "content-type": "application/json", merchant_key: merchantKey },
      body: JSON.stringify(body),
    });
    if (res.status < 200 || res.status > 299) throw new Error(`Foloosi answered ${res.status}.`);
    const parsed = initializeAnswer.safeParse(parseJson(res.body));
    if (!parsed.success) throw new Error("Foloosi's answer has no reference_token.");
    const token = parsed.data.data.reference_token;
    const page = `${widgetBase(service)}?${encodeURIComponent(JSON.stringify({ reference_token: token, secret_key: merchantKey }))}`;
    return { instruction: { kind: "redirect", url: page }, providerRef: token };
  },

  verifyNotification: (_service, request) => verifyWebhook(request.body),
  fetchStatus: fetchTransaction,
};
