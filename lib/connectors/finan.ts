import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { maskPans } from "@/lib/log/redact";
import { remarkFor } from "@/lib/payment-links/code";
import { bankByBin } from "./banks";
import { providerRequest } from "./provider-http";
import type { Connector, NotificationFacts, PaymentInstruction, ServiceContext, Verification } from "./types";
import { buildVietQr, parseEmvco, toRemark } from "./vietqr";
import { parseJson, firstIssue } from "./parse";

/**
 * Finan (finan.one): a merchant's bank account linked in Finan, paid by VietQR.
 *
 * Sources: the seed doc ../shared/reference/finan-payment-gateway.txt (Finan's
 * "Payment Gateway" page: POST/GET /open/api/v1/payments, the payment webhook,
 * its retries and expected 200 answer) and Finan's public "Generating signature"
 * pages (open.finan.one/docs/api/generating-signature, finan.readme.io/reference/
 * generating-signature): x-signature = hex(SHA-256(
 * `{secret}_{METHOD}_{path}_{compact JSON body}_{timestamp}`)) — a plain hash
 * with the secret inside, not an HMAC, and not Settle's own /api/v1 scheme;
 * the path is the one after `/open` (query string included), the body is "" for
 * a GET, the timestamp is unix seconds, the same as x-timestamp.
 *
 * Choices (where the docs are silent or leave a choice):
 * - Remote, not local. The doc offers a static account QR or a payment request
 *   per transaction. The webhook carries no transfer remark, only `reference_id`
 *   ("your unique transaction ID") and `payment_request_id`, so only a payment
 *   request ties a transfer to a link reliably: startPayment POSTs
 *   /api/v1/payments (bank_transfer, reference_id = Settle's session id,
 *   description = the link's remark via remarkFor) and shows Finan's answer.
 *   Finan's `qr_code` is shown when it is a well-formed EMVCo payload; else the
 *   VietQR is built from the linked account (BIN + number) with Finan's
 *   `remark`, which is what Finan matches the transfer by.
 * - The notification finds its link by `reference_id` (the session), and falls
 *   back to a link code in it (remark) for a transfer to the account's static QR.
 * - Webhook signature: the doc's sample verifies with method POST and the path
 *   of the receiving endpoint; Settle's is /api/providers/{serviceId}/notify.
 *   The body is compacted (whitespace outside strings removed, as Go's
 *   json.Compact in Finan's sample) before hashing; a signature over the body
 *   exactly as sent is accepted too. x-client-id must be the linked client id.
 * - Replay window: the doc requires requests to Finan within 30 s of its clock;
 *   it does not say whether a webhook retry is signed again, so Settle accepts
 *   x-timestamp within 5 minutes either way and refuses (401) anything older.
 * - A signed webhook with a payment_request_id is confirmed with
 *   GET /api/v1/payments/{payment_request_id} (the doc's status pull): the
 *   payment must be in its `payments`, and that amount is recorded. A request
 *   that does not list the payment records it as failed. Finan down: 502, and
 *   Finan's retry (5, 10, 15 min) is the next chance.
 * - Amounts are integer VND (the doc's "smallest currency unit"); a digit string
 *   is read exactly too; <= 0 is refused. Only VND links are offered.
 * - Finan expects HTTP 200 `{status: "success"}`: a handled notification is
 *   answered that way; refusals keep Settle's status and JSON.
 */

/** Finan's production API (its signature path is what follows `/open`). */
export const FINAN_DEFAULT_BASE_URL = "https://api.finan.one/open";
/** How far x-timestamp may be from Settle's clock, in seconds. */
export const FINAN_MAX_SKEW_S = 300;
/** Finan keeps a payment description to 30 characters. */
const DESCRIPTION_MAX = 30;

/** Removes whitespace outside JSON strings, keeping everything else byte for byte (Go's json.Compact). */
export function compactJson(raw: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (inString) {
      out += c;
      if (c === "\\") out += raw[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r") {
      out += c;
    }
  }
  return out;
}

/** Finan's x-signature: hex SHA-256 of secret_METHOD_path_payload_timestamp. */
export function finanSignature(secret: string, method: string, path: string, payload: string, timestamp: string): string {
  return createHash("sha256").update(`${secret}_${method}_${path}_${payload}_${timestamp}`, "utf8").digest("hex");
}

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const trimmed = (label: string, max: number) =>
  z.string({ error: `Enter the ${label}.` }).trim().min(1, `Enter the ${label}.`).max(max, `The ${label} is at most ${max} characters.`);

const setupSchema = z.object({
  baseUrl: z
    .string()
    .trim()
    .url("Enter Finan's API URL, like https://api.finan.one/open.")
    .refine((u) => /^https?:\/\//.test(u), "The API URL starts with https:// (or http:// for a test server).")
    .default(FINAN_DEFAULT_BASE_URL),
  clientId: trimmed("client id Finan gave you", 200),
  secretKey: trimmed("secret key Finan gave you", 500),
  accountId: z
    .string()
    .trim()
    .uuid("The Finan account id is a UUID from Finan's bank accounts list.")
    .optional(),
  bankBin: z
    .string({ error: "Choose the account's bank." })
    .trim()
    .regex(/^\d{6}$/, "The bank is named by its six-digit BIN.")
    .refine((bin) => bankByBin(bin) !== undefined, "No Vietnamese bank receives VietQR transfers with this BIN."),
  accountNumber: z
    .string({ error: "Enter the account number." })
    .trim()
    .regex(/^[0-9A-Za-z]{1,19}$/, "An account number is 1–19 letters or digits."),
  accountName: trimmed("account holder's name", 100),
});

/** Finan's payment webhook (its doc's Webhook Payload). */
const webhookSchema = z.object({
  id: z.string({ error: "id (Finan's payment id) is required." }).trim().min(1, "id must not be empty.").max(200, "id must be at most 200 characters."),
  reference_id: z.string().max(200, "reference_id must be at most 200 characters.").nullish(),
  reference_type: z.string().max(50).nullish(),
  payment_method: z.string().max(50).nullish(),
  payment_request_id: z.string().max(200, "payment_request_id must be at most 200 characters.").nullish(),
  amount: z.union([z.number(), z.string()], { error: "amount (integer VND) is required." }),
  created_at: z.string().max(100).nullish(),
});

/** A VND amount as Finan sends it: an integer, or a string of digits; exact, never through a float. */
export function finanAmount(value: number | string): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : null;
  const s = value.trim();
  if (!/^-?\d{1,15}$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

const methodOf = (m: string | null | undefined): NotificationFacts["method"] =>
  m === "card" ? "card" : m === "ewallet_momo" || m?.startsWith("ewallet") ? "ewallet" : "bank_transfer";

const baseOf = (service: ServiceContext) => (service.config.baseUrl ?? FINAN_DEFAULT_BASE_URL).replace(/\/+$/, "");

/** A signed call to Finan's open API: `path` is what follows `/open` (the signature's path). */
async function callFinan(service: ServiceContext, method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const clientId = service.config.clientId;
  const secret = service.credentials.secretKey;
  if (!clientId || !secret) throw new Error("The Finan service has no client id or secret key.");
  const payload = body === undefined ? "" : JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const res = await providerRequest(new URL(baseOf(service) + path), {
    method,
    headers: {
      "content-type": "application/json",
      "x-client-id": clientId,
      "x-timestamp": timestamp,
      "x-signature": finanSignature(secret, method, path, payload, timestamp),
    },
    body: body === undefined ? undefined : payload,
  });
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw new Error(`Finan answered ${res.status} with a body that is not JSON.`);
  }
  if (res.status < 200 || res.status > 299) {
    const content = (json as { message?: { content?: unknown } })?.message?.content;
    throw new Error(`Finan answered ${res.status}${typeof content === "string" ? `: ${maskPans(content).slice(0, 200)}` : "."}`);
  }
  return json;
}

const createdSchema = z.object({
  data: z.object({
    payment_request_id: z.string().min(1),
    payment_request_code: z.string().nullish(),
    bank_transfer_detail: z
      .object({
        qr_code: z.string().nullish(),
        bank_name: z.string().nullish(),
        account_name: z.string().nullish(),
        account_number: z.string().nullish(),
        remark: z.string().nullish(),
      })
      .nullish(),
  }),
});

const paymentRequestSchema = z.object({
  payment_request_id: z.string(),
  amount: z.union([z.number(), z.string()]).nullish(),
  status: z.string().nullish(),
  description: z.string().nullish(),
  reference_id: z.string().nullish(),
  payments: z
    .array(z.object({ id: z.string(), amount: z.union([z.number(), z.string()]), method: z.string().nullish(), created_at: z.string().nullish() }))
    .nullish(),
});
const statusAnswerSchema = z.object({ data: z.union([paymentRequestSchema, z.array(paymentRequestSchema)]) });

function qrInstruction(service: ServiceContext, due: number, detail: z.infer<typeof createdSchema>["data"]["bank_transfer_detail"], fallbackRemark: string): PaymentInstruction {
  const { bankBin = "", accountNumber = "", accountName = "" } = service.config;
  const remark = detail?.remark?.trim() || fallbackRemark;
  let payload = detail?.qr_code?.trim() ?? "";
  try {
    if (payload) parseEmvco(payload);
  } catch {
    payload = "";
  }
  if (!payload) payload = buildVietQr({ bin: bankBin, accountNumber, amount: due > 0 ? due : undefined, remark });
  return {
    kind: "qr",
    payload,
    bank: {
      bankName: detail?.bank_name?.trim() || (bankByBin(bankBin)?.shortName ?? bankBin),
      accountNumber: detail?.account_number?.trim() || accountNumber,
      accountName: detail?.account_name?.trim() || accountName,
      remark,
    },
  };
}

function verifyHeaders(service: ServiceContext, request: { headers: Headers; body: string; now?: Date }): string | null {
  const clientId = request.headers.get("x-client-id");
  const timestamp = request.headers.get("x-timestamp");
  const signature = request.headers.get("x-signature");
  const secret = service.credentials.secretKey;
  if (!secret || !service.config.clientId) return "This Finan service has no client id or secret key.";
  if (!clientId || !timestamp || !signature) return "x-client-id, x-timestamp and x-signature are required.";
  if (clientId !== service.config.clientId) return "x-client-id is not this service's Finan client.";
  if (!/^\d{1,12}$/.test(timestamp)) return "x-timestamp is not a unix timestamp.";
  const now = Math.floor((request.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - Number(timestamp)) > FINAN_MAX_SKEW_S) return "x-timestamp is outside the accepted window (a replay, or a clock far off).";
  const path = `/api/providers/${service.id}/notify`;
  const given = signature.trim().toLowerCase();
  // Finan's sample hashes the compacted JSON; a body sent exactly as it was hashed is accepted as is too.
  const compact = compactJson(request.body);
  const bodies = compact === request.body ? [compact] : [compact, request.body];
  if (!bodies.some((b) => sameHex(finanSignature(secret, "POST", path, b, timestamp), given))) return "x-signature does not match.";
  return null;
}

const LOOKUP_SEPARATOR = "|";

export const finanConnector: Connector = {
  kind: "finan",
  setup: {
    label: "Finan",
    description: "Customers pay by VietQR into your bank account linked in Finan; Finan's signed webhook confirms each transfer.",
    fields: [
      { name: "baseUrl", label: "API URL", type: "url", placeholder: FINAN_DEFAULT_BASE_URL, hint: "Finan's open API, up to /open.", optional: true },
      { name: "clientId", label: "Client ID", placeholder: "Your Finan client id" },
      { name: "secretKey", label: "Secret key", secret: true, hint: "Signs Settle's requests to Finan and checks Finan's webhooks." },
      { name: "accountId", label: "Finan account ID", optional: true, hint: "From Finan's bank accounts list; required for Shinhan accounts." },
      { name: "bankBin", label: "Bank BIN", placeholder: "970422", hint: "The six-digit BIN of the account's bank." },
      { name: "accountNumber", label: "Account number" },
      { name: "accountName", label: "Account holder" },
    ],
    schema: setupSchema,
  },
  flows: (service, currency) =>
    currency === "VND" && service.config.clientId && service.credentials.secretKey && service.config.bankBin && service.config.accountNumber ? ["qr"] : [],

  async startPayment(service, link, _flow, session) {
    if (link.due <= 0) throw new Error("Nothing is due on this link.");
    const remark = remarkFor(link.code);
    const body = {
      payment_method: "bank_transfer",
      ...(service.config.accountId ? { account_id: service.config.accountId } : {}),
      amount: link.due,
      description: toRemark(remark).slice(0, DESCRIPTION_MAX),
      reference_id: session.sessionId,
      items: [{ name: (link.invoiceNumber ? `Invoice ${link.invoiceNumber}` : link.merchantName).slice(0, 100), price: link.due, quantity: 1, amount: link.due }],
      ...(link.customerName ? { customer: { name: link.customerName, ...(link.customerEmail ? { email: link.customerEmail } : {}) } } : {}),
      success_redirect_url: session.returnUrl,
      failure_redirect_url: session.returnUrl,
    };
    const parsed = createdSchema.safeParse(await callFinan(service, "POST", "/api/v1/payments", body));
    if (!parsed.success) throw new Error("Finan's answer has no payment_request_id.");
    const { data } = parsed.data;
    return { instruction: qrInstruction(service, link.due, data.bank_transfer_detail, remark), providerRef: data.payment_request_id };
  },

  verifyNotification(service, request): Verification {
    const refused = verifyHeaders(service, request);
    if (refused) return { ok: false, status: 401, message: refused };
    const json = parseJson(request.body);
    if (json === undefined) return { ok: false, status: 400, message: "The body is not valid JSON." };
    const parsed = webhookSchema.safeParse(json);
    if (!parsed.success) return { ok: false, status: 400, message: firstIssue(parsed.error, "not Finan's payment webhook.") };
    const b = parsed.data;
    const amount = finanAmount(b.amount);
    if (amount === null) return { ok: false, status: 400, message: "amount must be a whole number of đồng." };
    if (amount <= 0) return { ok: false, status: 400, message: `amount must be more than 0 (got ${amount}); nothing is recorded.` };
    const prid = b.payment_request_id?.trim();
    // A payment request's payment is confirmed with Finan's status pull; a transfer to the static account QR has none.
    if (prid) return { ok: true, lookup: `${prid}${LOOKUP_SEPARATOR}${b.id}` };
    const ref = b.reference_id?.trim() || undefined;
    return { ok: true, facts: { providerRef: b.id, status: "succeeded", amount, currency: "VND", sessionRef: ref, remark: ref, method: methodOf(b.payment_method) } };
  },

  async fetchStatus(service, lookup) {
    const cut = lookup.lastIndexOf(LOOKUP_SEPARATOR);
    const prid = cut > 0 ? lookup.slice(0, cut) : lookup;
    const paymentId = cut > 0 ? lookup.slice(cut + 1) : undefined;
    const answer = statusAnswerSchema.safeParse(await callFinan(service, "GET", `/api/v1/payments/${encodeURIComponent(prid)}`));
    if (!answer.success) throw new Error(`Finan's status for payment request ${prid} is not understood.`);
    const data = Array.isArray(answer.data.data) ? answer.data.data.find((r) => r.payment_request_id === prid) : answer.data.data;
    if (!data) throw new Error(`Finan does not list payment request ${prid}.`);
    const ref = data.reference_id?.trim() || undefined;
    const payment = paymentId ? data.payments?.find((p) => p.id === paymentId) : data.payments?.at(-1);
    const description = data.description ? maskPans(data.description) : undefined;
    if (!payment) {
      const asked = data.amount == null ? null : finanAmount(data.amount);
      if (!asked || asked <= 0) throw new Error(`Finan's payment request ${prid} lists no payment ${paymentId ?? ""} and no amount.`);
      return {
        providerRef: paymentId ?? prid,
        status: "failed",
        amount: asked,
        currency: "VND",
        sessionRef: ref ?? prid,
        method: "bank_transfer",
        message: `Finan's payment request ${prid} (${data.status ?? "unknown"}) lists no payment ${paymentId ?? ""}`.trim(),
      };
    }
    const amount = finanAmount(payment.amount);
    if (amount === null || amount <= 0) throw new Error(`Finan reports an amount of ${String(payment.amount)} for payment ${payment.id}.`);
    return { providerRef: payment.id, status: "succeeded", amount, currency: "VND", sessionRef: ref ?? prid, remark: ref, method: methodOf(payment.method), message: description };
  },

  acknowledge: ({ status, body }) =>
    status === 200
      ? { status: 200, contentType: "application/json", body: JSON.stringify({ status: "success", message: `Notification ${String(body.outcome ?? "received")}`, timestamp: new Date().toISOString() }) }
      : { status, contentType: "application/json", body: JSON.stringify(body) },
};
