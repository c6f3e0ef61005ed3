/**
 * FuratPay: an Iraqi aggregator (ZainCash, FIB, FastPay, PayTabs…) in front of
 * its own invoices. Settle creates a FuratPay invoice per checkout session,
 * asks FuratPay to pay it with one of the organisation's linked payment
 * services, and hears back through FuratPay's invoice webhook.
 *
 * Sources (public):
 * - FuratPay GitBook, "Payment flow" and "Overview" (furatpay.gitbook.io/home):
 *   create an invoice, list the linked payment services, request payment for a
 *   chosen service (a redirect URL for ZainCash, a QR for FIB), and a webhook
 *   on an invoice's status change (`INVOICE_PAID` with the invoice data).
 * - FuratPay's WooCommerce plugin (github.com/AramRafeq/furatpay-woocommerce,
 *   includes/class-furatpay-api-handler.php and class-furatpay-ipn-handler.php):
 *   the `x-api-key` header; POST /invoice (code, number, order_number,
 *   currency_id 3 = IQD / 1 = USD, total, items, customer); GET
 *   /payment_service/linked/list → {data: [{id, name, status}]}; POST
 *   /public/invoice/pay {payment_service_id, invoice_id} → `data.redirect_uri`
 *   (or `url`, `data.url`) for a hosted page, or FIB's `qrCode`,
 *   `readableCode`, `personalAppLink`…; GET /invoice/{id} → {status}; and the
 *   webhook `{type, data}` signed in `X-Signature` as the hex HMAC-SHA256, keyed
 *   with the webhook secret, of data.id + data.code + data.order_number +
 *   the `X-Timestamp` header (unix seconds, refused beyond 5 minutes).
 *
 * Choices where the sources are silent:
 * - Settings: the API base URL (the plugin's placeholder
 *   https://api.furatpay.com/v1), the API key and the webhook secret (both
 *   secret), and the id of the linked payment service to use per flow:
 *   `redirectServiceId` (a service that answers with a payment page, like
 *   ZainCash) and `qrServiceId` (one that answers with a QR, like FIB); at least
 *   one. Ids are FuratPay's numeric ids (the plugin sends `intval`). At start,
 *   the id is checked against the linked-services list, so an unlinked service
 *   fails with a clear message instead of an opaque payment error.
 * - The webhook URL is set in FuratPay's dashboard (its doc: "your predefined
 *   endpoint"); the merchant copies Settle's notify URL there. FuratPay's API
 *   takes no return URL: Settle puts it in the invoice's free-form `meta_data`
 *   (`return_url`), and the customer can always come back to the checkout page.
 * - Invoice `code`, `number` and `order_number` are Settle's session id (the
 *   plugin uses its order id for all three); the webhook's `order_number` is
 *   what finds the link again, with FuratPay's invoice id as fallback.
 * - Amounts are sent as the shortest exact major-unit decimal ("1500000",
 *   "12.5"); amounts read back may carry trailing zeros beyond the currency's
 *   exponent ("25000.0000") and are converted exactly, never through a float.
 *   Only IQD and USD are offered (the currencies the plugin maps to ids).
 * - The signature covers only ids and the timestamp, not the status or the
 *   amount, so (as the plugin does) a verified webhook is confirmed with
 *   GET /invoice/{id}: its `status` (paid/completed → succeeded;
 *   failed/canceled/cancelled/expired → failed; anything else is pending:
 *   an INVOICE_UPDATED is then ignored, an INVOICE_PAID answered 502 so
 *   FuratPay retries) and its `total` (what the invoice asked when it was paid: less
 *   than the link's due, e.g. edited in FuratPay, is a partial payment) are
 *   what is recorded. `INVOICE_PAID` and `INVOICE_UPDATED` are acted on (the
 *   plugin's two); other types are stored as ignored.
 * - The signed string is built from the body, so the headers and timestamp
 *   are checked first (401), then the body's shape (400), then the signature.
 * - A paid invoice with a total ≤ 0 is refused (400), never a payment of 0.
 * - Method: `ewallet` for the redirect flow's wallets and `qr` when the paid
 *   invoice names the configured QR service (`payment_service_id`), else
 *   `ewallet`. The QR payload is FIB's `personalAppLink` (what a phone camera
 *   opens in the bank's app); `qrCode` is an image, not a payload.
 * - The invoice's `remarks` becomes the payment's message, card numbers masked.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { maskPans } from "@/lib/log/redact";
import { type CurrencyCode, currencies, exponentOf, toMajorString } from "@/lib/money";
import { providerRequest } from "./provider-http";
import type { Connector, Flow, NotificationFacts, ServiceContext, Verification } from "./types";
import { parseJson, firstIssue } from "./parse";

/** FuratPay's currency ids (the plugin's map). */
const CURRENCY_IDS: Partial<Record<CurrencyCode, number>> = { IQD: 3, USD: 1 };
const currencyOfId = (id: unknown): CurrencyCode | undefined =>
  (Object.entries(CURRENCY_IDS) as [CurrencyCode, number][]).find(([, v]) => String(v) === String(id))?.[0];

/** The plugin refuses a webhook whose timestamp is more than 5 minutes away. */
export const FURATPAY_TIMESTAMP_TOLERANCE_S = 300;

const serviceId = (label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z.string().regex(/^\d{1,12}$/, `${label} is FuratPay's number for the service (Payment services → the service's id).`).optional(),
  );

const setupSchema = z
  .object({
    baseUrl: z
      .url({ error: "Enter FuratPay's API URL, like https://api.furatpay.com/v1." })
      .refine((u) => /^https?:\/\//i.test(u), "The API URL must start with https:// or http://.")
      .max(500, "The API URL must be at most 500 characters."),
    apiKey: z.string({ error: "Enter your FuratPay API key." }).trim().min(8, "The API key is at least 8 characters.").max(500, "The API key is at most 500 characters."),
    webhookSecret: z
      .string({ error: "Enter the webhook secret from FuratPay's webhook settings." })
      .trim()
      .min(8, "The webhook secret is at least 8 characters.")
      .max(500, "The webhook secret is at most 500 characters."),
    redirectServiceId: serviceId("The payment page service id"),
    qrServiceId: serviceId("The QR service id"),
  })
  .refine((v) => v.redirectServiceId || v.qrServiceId, {
    message: "Enter the id of at least one linked payment service (a payment page like ZainCash, or a QR like FIB).",
    path: ["redirectServiceId"],
  });

const base = (service: ServiceContext) => {
  if (!service.config.baseUrl) throw new Error("This FuratPay service has no API URL.");
  return service.config.baseUrl.replace(/\/?$/, "/");
};
const apiUrl = (service: ServiceContext, path: string) => new URL(path, base(service));
const headersFor = (service: ServiceContext): Record<string, string> => {
  const key = service.credentials.apiKey;
  if (!key) throw new Error("This FuratPay service has no API key.");
  return { "x-api-key": key, "content-type": "application/json" };
};

/** Exact major-unit decimal → minor units; trailing zeros past the exponent are fine, other digits are not. */
export function furatpayMinor(value: unknown, currency: CurrencyCode): number | null {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : typeof value === "string" ? value.trim() : "";
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const exp = exponentOf(currency);
  const frac = (m[3] ?? "").replace(/0+$/, "");
  if (frac.length > exp) return null;
  const minor = BigInt(m[2]! + frac.padEnd(exp, "0")) * (m[1] ? -1n : 1n);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(minor);
}

/** Minor units → the shortest exact decimal ("1500000", "12.5"). */
export function furatpayDecimal(minor: number, currency: CurrencyCode): string {
  const s = toMajorString(minor, currency);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** The webhook signature as the plugin checks it. */
export function furatpaySignature(secret: string, data: { id?: unknown; code?: unknown; order_number?: unknown }, timestamp: string): string {
  const part = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  const payload = (part(data.id) + part(data.code) + part(data.order_number) + timestamp).trim();
  return createHmac("sha256", secret).update(payload).digest("hex");
}

const scalar = z.union([z.string(), z.number()]);
const webhookSchema = z.object({
  type: z.string({ error: "type is required." }).min(1).max(100),
  data: z.looseObject({
    id: scalar.refine((v) => String(v).length > 0 && String(v).length <= 200, "data.id must be 1 to 200 characters."),
    code: scalar.nullish(),
    order_number: scalar.nullish(),
    total: scalar.nullish(),
  }, { error: "data (the invoice) is required." }),
});

const invoiceSchema = z.looseObject({
  id: scalar,
  status: z.string(),
  total: scalar.nullish(),
  code: scalar.nullish(),
  order_number: scalar.nullish(),
  currency_id: scalar.nullish(),
  payment_service_id: scalar.nullish(),
  remarks: z.string().nullish(),
});
type FuratInvoice = z.infer<typeof invoiceSchema>;


function failure(what: string, res: { status: number; body: string }): Error {
  const json = parseJson(res.body) as { message?: unknown } | undefined;
  const detail = typeof json?.message === "string" ? `: ${maskPans(json.message).slice(0, 200)}` : "";
  return new Error(`FuratPay answered ${res.status} to ${what}${detail}.`);
}

async function getInvoice(service: ServiceContext, id: string): Promise<FuratInvoice> {
  const res = await providerRequest(apiUrl(service, `invoice/${encodeURIComponent(id)}`), { headers: headersFor(service) });
  if (res.status < 200 || res.status > 299) throw failure(`the status of invoice ${id}`, res);
  const parsed = invoiceSchema.safeParse(parseJson(res.body));
  if (!parsed.success) throw new Error(`FuratPay's invoice ${id} is not understood (id and status are required).`);
  return parsed.data;
}

type Reading = { kind: "facts"; facts: NotificationFacts } | { kind: "pending"; status: string } | { kind: "refused"; message: string };

/** What a FuratPay invoice, as GET /invoice/{id} answers, says about its payment. */
function readInvoice(service: ServiceContext, invoice: FuratInvoice, fallbackCurrency?: CurrencyCode): Reading {
  const id = String(invoice.id);
  const status = invoice.status.trim().toLowerCase();
  const result = status === "paid" || status === "completed" ? "succeeded" : ["failed", "canceled", "cancelled", "expired"].includes(status) ? "failed" : null;
  if (!result) return { kind: "pending", status };
  const currency = currencyOfId(invoice.currency_id) ?? fallbackCurrency ?? "IQD";
  const amount = furatpayMinor(invoice.total, currency);
  if (amount === null) return { kind: "refused", message: `FuratPay invoice ${id}'s total (${String(invoice.total)}) is not an exact ${currency} amount.` };
  if (result === "succeeded" && amount <= 0) return { kind: "refused", message: `FuratPay reports invoice ${id} paid with an amount of ${String(invoice.total)}; an amount of 0 or less is never recorded.` };
  const qr = service.config.qrServiceId;
  const method = qr && invoice.payment_service_id !== null && invoice.payment_service_id !== undefined && String(invoice.payment_service_id) === qr ? "qr" : "ewallet";
  const order = invoice.order_number === null || invoice.order_number === undefined ? "" : String(invoice.order_number).trim();
  const remarks = invoice.remarks?.trim();
  return {
    kind: "facts",
    facts: {
      providerRef: id,
      status: result,
      amount: Math.max(0, amount),
      currency: currencyOfId(invoice.currency_id),
      sessionRef: order || id,
      method,
      message: remarks ? maskPans(remarks).slice(0, 1000) : result === "failed" ? `FuratPay invoice ${status}.` : undefined,
    },
  };
}

function header(headers: Headers, name: string): string | null {
  const v = headers.get(name);
  return v === null ? null : v.trim();
}

async function verify(service: ServiceContext, request: { headers: Headers; body: string; now?: Date }): Promise<Verification> {
  const secret = service.credentials.webhookSecret;
  if (!secret) return { ok: false, status: 401, message: "This FuratPay service has no webhook secret." };
  const timestamp = header(request.headers, "x-timestamp");
  const signature = header(request.headers, "x-signature");
  if (!timestamp || !signature) return { ok: false, status: 401, message: "The X-Timestamp and X-Signature headers are required." };
  const now = Math.floor((request.now ?? new Date()).getTime() / 1000);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > FURATPAY_TIMESTAMP_TOLERANCE_S) {
    return { ok: false, status: 401, message: "The X-Timestamp is missing, malformed or more than 5 minutes away." };
  }
  const json = parseJson(request.body);
  if (json === undefined) return { ok: false, status: 400, message: "The body is not valid JSON." };
  const parsed = webhookSchema.safeParse(json);
  if (!parsed.success) return { ok: false, status: 400, message: firstIssue(parsed.error, "The body is not a FuratPay webhook.") };
  const { type, data } = parsed.data;
  const expected = Buffer.from(furatpaySignature(secret, data, timestamp));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, status: 401, message: "The X-Signature does not match." };

  if (type !== "INVOICE_PAID" && type !== "INVOICE_UPDATED") return { ok: true, ignored: `FuratPay ${type} is not a payment event.` };
  if (data.total !== null && data.total !== undefined) {
    const total = furatpayMinor(data.total, currencyOfId(data.currency_id) ?? "IQD");
    if (type === "INVOICE_PAID" && total !== null && total <= 0) {
      return { ok: false, status: 400, message: `FuratPay invoice ${String(data.id)} has a total of ${String(data.total)}; an amount of 0 or less is never a payment.` };
    }
  }
  // The signature covers ids, not the status or amount: the invoice itself says what happened (as the plugin asks it).
  const id = String(data.id);
  let invoice: FuratInvoice;
  try {
    invoice = await getInvoice(service, id);
  } catch {
    // FuratPay is unreachable now: Settle's own status pull records the failure and answers 502, so FuratPay retries.
    return { ok: true, lookup: id };
  }
  const reading = readInvoice(service, invoice);
  if (reading.kind === "pending") {
    // INVOICE_PAID but the invoice still reads pending: Settle's status pull fails (502) so FuratPay sends it again.
    if (type === "INVOICE_PAID") return { ok: true, lookup: id };
    return { ok: true, ignored: `FuratPay invoice ${id} is ${reading.status || "pending"}: nothing paid yet.` };
  }
  if (reading.kind === "refused") return { ok: false, status: 400, message: reading.message };
  return { ok: true, facts: reading.facts };
}

function paymentInstruction(flow: Flow, body: string): { kind: "redirect"; url: string } | { kind: "qr"; payload: string } {
  const json = parseJson(body) as Record<string, unknown> | undefined;
  const data = (json?.data ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && /^https?:\/\//i.test(v) && v.length <= 2000 ? v : undefined);
  const pageUrl = str(data.redirect_uri) ?? str(json?.redirect_url) ?? str(json?.url) ?? str(data.url);
  const appLink = typeof json?.personalAppLink === "string" && json.personalAppLink.length <= 2000 ? json.personalAppLink : undefined;
  if (flow === "qr") {
    const payload = appLink ?? pageUrl;
    if (!payload) throw new Error("FuratPay's answer has no QR (personalAppLink) for this service.");
    return { kind: "qr", payload };
  }
  const url = pageUrl ?? (appLink && str(appLink));
  if (!url) throw new Error("FuratPay's answer has no payment page URL for this service.");
  return { kind: "redirect", url };
}

export const furatpayConnector: Connector = {
  kind: "furatpay",
  setup: {
    label: "FuratPay",
    description:
      "Customers pay through a payment service linked in your FuratPay account (a ZainCash page or an FIB QR). Needs your FuratPay API key, its webhook secret, and the service ids; set this service's notify URL as FuratPay's webhook.",
    fields: [
      { name: "baseUrl", label: "API URL", type: "url", placeholder: "https://api.furatpay.com/v1", hint: "FuratPay's API endpoint for your organisation." },
      { name: "apiKey", label: "API key", secret: true, hint: "FuratPay → API Keys." },
      { name: "webhookSecret", label: "Webhook secret", secret: true, hint: "FuratPay → Webhook: signs each notification (X-Signature)." },
      {
        name: "redirectServiceId",
        label: "Payment page service id",
        optional: true,
        placeholder: "1",
        hint: "The id of a linked service that answers with a payment page (ZainCash, FastPay). Leave empty to offer no redirect.",
      },
      {
        name: "qrServiceId",
        label: "QR service id",
        optional: true,
        placeholder: "2",
        hint: "The id of a linked service that answers with a QR (FIB). Leave empty to offer no QR.",
      },
    ],
    schema: setupSchema,
  },
  flows(service, currency) {
    if (!(currency in CURRENCY_IDS) || !service.config.baseUrl || !service.credentials.apiKey) return [];
    const out: Flow[] = [];
    if (service.config.redirectServiceId) out.push("redirect");
    if (service.config.qrServiceId) out.push("qr");
    return out;
  },
  async startPayment(service, link, flow, session) {
    const currency = link.currency as CurrencyCode;
    const currencyId = CURRENCY_IDS[currency];
    if (!currencyId || !(currency in currencies)) throw new Error(`FuratPay does not take ${link.currency}.`);
    if (link.due <= 0) throw new Error("Nothing is due on this link.");
    const chosen = flow === "qr" ? service.config.qrServiceId : service.config.redirectServiceId;
    if (!chosen) throw new Error(`No FuratPay service is set for the ${flow} flow.`);
    const headers = headersFor(service);

    const listed = await providerRequest(apiUrl(service, "payment_service/linked/list?limit=100&offset=0&status=production,testing"), { headers });
    if (listed.status < 200 || listed.status > 299) throw failure("the list of linked payment services", listed);
    const services = (parseJson(listed.body) as { data?: unknown } | undefined)?.data;
    if (!Array.isArray(services)) throw new Error("FuratPay's list of linked payment services is not understood.");
    const linked = services.find((s) => String((s as { id?: unknown })?.id) === chosen) as { status?: unknown } | undefined;
    if (!linked) throw new Error(`Payment service ${chosen} is not linked to this FuratPay account.`);
    if (typeof linked.status === "string" && /^(inactive|disabled)$/i.test(linked.status)) throw new Error(`Payment service ${chosen} is ${linked.status} in FuratPay.`);

    const total = furatpayDecimal(link.due, currency);
    const now = new Date().toISOString().slice(0, 19).replace("T", " ");
    const title = link.invoiceNumber ? `Invoice ${link.invoiceNumber}` : `Payment to ${link.merchantName}`;
    const invoiceBody = {
      code: session.sessionId,
      number: session.sessionId,
      order_number: session.sessionId,
      currency_id: currencyId,
      base_currency_id: currencyId,
      rate_id: -1,
      rate: 1,
      at: now,
      due_at: now,
      terms: "due_on_recept",
      subject: title,
      notes: link.description ?? " ",
      customer_notes: " ",
      terms_and_conditions: " ",
      remarks: " ",
      discount: 0,
      discount_type: "percentage",
      subtotal: total,
      total,
      status: "pending",
      items: [{ item: title, description: link.description ?? " ", rate: total, quantity: 1, discount: 0 }],
      customer: { name: link.customerName ?? link.merchantName, email: link.customerEmail ?? undefined },
      attachments: [],
      meta_data: { settle_session: session.sessionId, return_url: session.returnUrl },
    };
    const created = await providerRequest(apiUrl(service, "invoice"), { method: "POST", headers, body: JSON.stringify(invoiceBody) });
    if (created.status < 200 || created.status > 299) throw failure("creating the invoice", created);
    const invoiceId = (parseJson(created.body) as { id?: unknown } | undefined)?.id;
    if (typeof invoiceId !== "string" && typeof invoiceId !== "number") throw new Error("FuratPay's invoice has no id.");

    const pay = await providerRequest(apiUrl(service, "public/invoice/pay"), {
      method: "POST",
      headers,
      body: JSON.stringify({ payment_service_id: Number(chosen), invoice_id: invoiceId }),
    });
    if (pay.status < 200 || pay.status > 299) throw failure(`the payment request for invoice ${String(invoiceId)}`, pay);
    return { instruction: paymentInstruction(flow, pay.body), providerRef: String(invoiceId) };
  },
  verifyNotification: verify,
  async fetchStatus(service, providerRef) {
    const reading = readInvoice(service, await getInvoice(service, providerRef));
    if (reading.kind === "pending") throw new Error(`FuratPay invoice ${providerRef} is still ${reading.status || "pending"}.`);
    if (reading.kind === "refused") throw new Error(reading.message);
    return reading.facts;
  },
};
