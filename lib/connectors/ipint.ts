/**
 * iPint: crypto payments on iPint's hosted checkout page.
 *
 * Sources (public):
 * - The iPint README, github.com/devbitfia/iPint: `/checkout` (POST, header
 *   `apikey`, JSON body; answers `session_id` and `payment_process_url`),
 *   `/invoice?id=` (GET, headers `apikey`, `nonce`, `signature`), the signing
 *   scheme (hex HMAC-SHA384 with the API secret of `"/api/" + nonce + path`,
 *   the path with its query, no body for a GET), the `transaction_status`
 *   values, the invoice callback (`{invoice_id, status}`, unsigned, a trigger
 *   only; iPint expects 200 with an empty body and retries anything else).
 * - iPint support, "How to check payment status and details?" (seed doc
 *   ../shared/reference/ipint-payment-status.txt): CHECKING / PROCESSING (fewer
 *   than 3 confirmations) / COMPLETED / FAILED / CANCELLED, and "compare
 *   invoice_amount_* with received_amount_*" to tell a full payment.
 * - iPint's WooCommerce plugin, github.com/devbitfia/iPint-WooCommerce-Plugin:
 *   the nonce is the time in microseconds; the customer comes back to
 *   `merchant_website` after "Paid & Confirm".
 *
 * Choices where the docs are silent:
 * - Money in: the payment is the received local-currency amount
 *   (`received_amount_in_local_currency`), in the invoice's currency
 *   (`local_currency_code`), converted exactly to minor units; digits past the
 *   currency's minor unit are dropped (never credit more than received). A
 *   payment short on any pair (local, USD, crypto) is partial; when the local
 *   amount still looks whole but the crypto is short, the local amount is
 *   scaled by received/invoiced crypto (rounded down).
 * - PROCESSING and CHECKING are a `processing` payment (not counted as paid)
 *   with `blockchain_confirmations`: "n/m" as in the README's sample, or a
 *   bare "n" out of 3 (the support page's "less than 3"). A CHECKING invoice
 *   with nothing received yet shows the invoiced amount, since a payment of 0
 *   is never recorded.
 * - COMPLETED with nothing received is passed on with an amount of 0, which
 *   the notify handler refuses (stored as rejected, answered 400): never a
 *   payment of 0. So is CHECKING/PROCESSING with no amount at all.
 * - `success_url` and `failure_url` are sent with `merchant_website` (the
 *   README's required redirect field): all three are Settle's return URL,
 *   where the checkout shows what happened.
 * - `client_email_id` (required, "for unique reference id") is the invoice's
 *   customer email, else `<Settle's session id>@settle.invalid`.
 * - Offered only in currencies with at most two decimals (the README: "amount
 *   in local currency upto two decimal places").
 * - The answer to a callback is always an empty body (the README's "empty
 *   body"); only the status carries meaning: 200 once handled (recorded,
 *   duplicate, unmatched…), 502 when /invoice could not be read, so iPint's
 *   retry is the next chance to confirm, 400 for a body or status Settle
 *   cannot act on. iPint reads nothing but the status; the reason is kept on
 *   the stored notification for staff.
 * - The callback's own `status` word is never trusted: only /invoice counts.
 * - The payment method is "other" (Settle has no crypto method, and adding
 *   one is a migration); the message names the coin and amount received.
 */
import { createHmac } from "node:crypto";
import { z } from "zod";
import { maskPans } from "@/lib/log/redact";
import { type CurrencyCode, currencies, exponentOf, toMajorString } from "@/lib/money";
import { providerRequest } from "./provider-http";
import type { Connector, NotificationFacts, ServiceContext } from "./types";
import { parseJson, firstIssue } from "./parse";

export const IPINT_TESTNET_URL = "https://api.ipint.io:8002";
/** Confirmations after which iPint calls a transaction final (support page: PROCESSING is "less than 3"). */
export const IPINT_CONFIRMATIONS = 3;

const baseUrl = z.url({ protocol: /^https?$/, error: "Enter iPint's API URL, like https://api.ipint.io:8002 (testnet)." });
const apiKey = z.string({ error: "Enter your iPint API key." }).trim().min(8, "Enter your iPint API key.").max(200, "The API key can be at most 200 characters.");
const apiSecret = z
  .string({ error: "Enter your iPint API secret." })
  .trim()
  .min(8, "Enter your iPint API secret.")
  .max(200, "The API secret can be at most 200 characters.");

const ipintSchema = z.object({ baseUrl, apiKey, apiSecret });

const base = (service: ServiceContext) => (service.config.baseUrl ?? "").replace(/\/?$/, "/");

function credentials(service: ServiceContext) {
  const key = service.credentials.apiKey;
  const secret = service.credentials.apiSecret;
  if (!key || !secret) throw new Error("This iPint service has no API key or secret.");
  return { key, secret };
}

/** The README's scheme: hex HMAC-SHA384, keyed with the API secret, of "/api/" + nonce + path (with its query) + body (POST only). */
export function ipintSignature(secret: string, nonce: string, apiPath: string, body = ""): string {
  return createHmac("sha384", secret).update(`/api/${nonce}${apiPath}${body}`).digest("hex");
}

/** Microseconds since the epoch, as iPint's WooCommerce plugin sends it; strictly increasing within this process. */
let lastNonce = 0;
function nextNonce(): string {
  lastNonce = Math.max(Date.now() * 1000, lastNonce + 1);
  return String(lastNonce);
}

const invoiceIdSchema = z
  .string({ error: "invoice_id is required." })
  .trim()
  .min(1, "invoice_id must not be empty.")
  .max(200, "invoice_id must be at most 200 characters.")
  .regex(/^[A-Za-z0-9_-]+$/, "invoice_id must be letters, digits, - or _.");

/** The callback: only `invoice_id` matters (it is iPint's session_id); other keys may come and are kept, never used. */
const callbackSchema = z.looseObject({ invoice_id: invoiceIdSchema, status: z.string().max(50).optional() });

const checkoutAnswer = z.object({
  session_id: invoiceIdSchema,
  payment_process_url: z.url().refine((u) => /^https?:\/\//.test(u), "not a web address"),
});

const decimal = z.union([z.string(), z.number()]).transform((v) => String(v).trim());
const invoiceAnswer = z.object({
  data: z.looseObject({
    invoice_id: z.string(),
    transaction_status: z.string(),
    local_currency_code: z.string().optional(),
    invoice_amount_in_local_currency: decimal.optional(),
    invoice_amount_in_usd: decimal.optional(),
    invoice_crypto_amount: decimal.optional(),
    received_amount_in_local_currency: decimal.optional(),
    received_amount_in_usd: decimal.optional(),
    received_crypto_amount: decimal.optional(),
    blockchain_confirmations: decimal.optional(),
    blockchain_transaction_status: z.string().optional(),
    transaction_crypto: z.string().optional(),
    transaction_hash: z.string().optional(),
  }),
});
type IpintInvoice = z.infer<typeof invoiceAnswer>["data"];

/** A plain decimal ("4999.65", "0.11065324", "100") as an integer scaled by 10^scale, extra digits dropped; null when not one. */
export function scaledDecimal(text: string | undefined, scale: number): bigint | null {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text?.trim() ?? "");
  if (!m) return null;
  const frac = (m[2] ?? "").slice(0, scale).padEnd(scale, "0");
  return BigInt(m[1]! + frac);
}

/** Exact comparison of two decimals: -1, 0, 1; null when either is not a number. */
function compareDecimals(a: string | undefined, b: string | undefined): number | null {
  const places = Math.max(...[a, b].map((t) => (t?.split(".")[1] ?? "").length));
  const x = scaledDecimal(a, places);
  const y = scaledDecimal(b, places);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** "1/3" as in the README's sample ("0/6"), or a bare count out of 3 (the support page). */
export function parseConfirmations(text: string | undefined): { seen: number; required: number } | undefined {
  const m = /^\s*(\d{1,4})\s*(?:\/\s*(\d{1,4}))?\s*$/.exec(text ?? "");
  if (!m) return undefined;
  const required = m[2] ? Math.max(1, Number(m[2])) : IPINT_CONFIRMATIONS;
  return { seen: Number(m[1]), required };
}

const MAX_MINOR = BigInt(Number.MAX_SAFE_INTEGER);

/** What one /invoice answer means for the ledger; its free text never carries a card number. */
export function factsFromInvoice(invoice: IpintInvoice, expectedRef: string): NotificationFacts {
  const facts = readInvoice(invoice, expectedRef);
  return facts.message ? { ...facts, message: maskPans(facts.message) } : facts;
}

function readInvoice(invoice: IpintInvoice, expectedRef: string): NotificationFacts {
  const ref = invoice.invoice_id.trim();
  if (ref !== expectedRef) throw new Error(`iPint answered for invoice ${ref.slice(0, 60)}, not ${expectedRef}.`);
  const code = (invoice.local_currency_code ?? "").trim().toUpperCase();
  if (!(code in currencies)) throw new Error(`iPint's invoice is in ${code || "no currency"}, which Settle does not know.`);
  const currency = code as CurrencyCode;
  const exp = exponentOf(currency);
  const state = invoice.transaction_status.trim().toUpperCase();
  const invoiced = scaledDecimal(invoice.invoice_amount_in_local_currency, exp);
  const received = scaledDecimal(invoice.received_amount_in_local_currency, exp);
  const common = { providerRef: ref, sessionRef: ref, currency, method: "other" as const };
  const coin = invoice.transaction_crypto?.trim().slice(0, 20);

  if (state === "FAILED" || state === "CANCELLED") {
    const why = state === "CANCELLED" ? "The customer closed iPint's page before paying." : "iPint reports the invoice unpaid";
    const chain = invoice.blockchain_transaction_status?.trim().slice(0, 40);
    const amount = Number(invoiced !== null && invoiced > 0n && invoiced <= MAX_MINOR ? invoiced : 0n);
    return { ...common, status: "failed", amount, message: state === "FAILED" ? `${why}${chain ? ` (blockchain: ${chain})` : ""}.` : why };
  }

  if (state === "CHECKING" || state === "PROCESSING") {
    const seenAmount = received !== null && received > 0n ? received : invoiced;
    if (seenAmount !== null && seenAmount > MAX_MINOR) throw new Error("iPint's amount is too large.");
    const confirmations = parseConfirmations(invoice.blockchain_confirmations) ?? { seen: 0, required: IPINT_CONFIRMATIONS };
    return {
      ...common,
      status: "processing",
      amount: seenAmount !== null && seenAmount > 0n ? Number(seenAmount) : 0,
      confirmations,
      message: state === "CHECKING" ? "iPint is looking for the transaction on the blockchain." : `${coin ? `${coin} transaction` : "Transaction"} seen on the blockchain, ${confirmations.seen} of ${confirmations.required} confirmations.`,
    };
  }

  if (state !== "COMPLETED") throw new Error(`iPint's transaction_status ${state.slice(0, 30) || "(empty)"} is not one Settle knows.`);
  if (received === null) throw new Error("iPint's completed invoice has no received_amount_in_local_currency.");
  const nothing = { ...common, status: "succeeded" as const, amount: 0, message: "iPint reports the invoice COMPLETED with nothing received." };
  if (received <= 0n) return nothing;

  // The support page: compare each invoiced amount with its received one; any short pair makes it a partial payment.
  const pairs = [
    ["local", invoice.invoice_amount_in_local_currency, invoice.received_amount_in_local_currency],
    ["USD", invoice.invoice_amount_in_usd, invoice.received_amount_in_usd],
    ["crypto", invoice.invoice_crypto_amount, invoice.received_crypto_amount],
  ] as const;
  const short = pairs.filter(([, asked, got]) => compareDecimals(got, asked) === -1).map(([name]) => name);
  let amount = received;
  if (short.length && invoiced !== null && received >= invoiced) {
    // The local figure looks whole but the coin is short: scale the invoiced amount by what arrived.
    const places = 18;
    const askedCrypto = scaledDecimal(invoice.invoice_crypto_amount, places);
    const gotCrypto = scaledDecimal(invoice.received_crypto_amount, places);
    amount = askedCrypto && gotCrypto !== null && askedCrypto > 0n ? (invoiced * gotCrypto) / askedCrypto : invoiced - 1n;
  }
  if (amount <= 0n) return nothing;
  if (amount > MAX_MINOR) throw new Error("iPint's received amount is too large.");
  const cryptoNote = coin && invoice.received_crypto_amount ? ` (${invoice.received_crypto_amount.slice(0, 30)} ${coin})` : "";
  return {
    ...common,
    status: "succeeded",
    amount: Number(amount),
    message: short.length
      ? `Short payment: received ${toMajorString(Number(amount), currency)} ${currency} of ${invoice.invoice_amount_in_local_currency ?? "?"}${cryptoNote}.`
      : `Paid in crypto${cryptoNote}.`,
  };
}

/** GET /invoice?id=…, signed as the README says. */
async function fetchInvoice(service: ServiceContext, invoiceId: string): Promise<IpintInvoice> {
  const { key, secret } = credentials(service);
  const apiPath = `/invoice?id=${encodeURIComponent(invoiceId)}`;
  const url = new URL(apiPath.slice(1), base(service));
  const nonce = nextNonce();
  const res = await providerRequest(url, {
    method: "GET",
    headers: { "content-type": "application/json", apikey: key, nonce, signature: ipintSignature(secret, nonce, apiPath) },
  });
  if (res.status < 200 || res.status > 299) throw new Error(`iPint answered ${res.status} for invoice ${invoiceId}.`);
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw new Error("iPint's /invoice answer is not JSON.");
  }
  const parsed = invoiceAnswer.safeParse(json);
  if (!parsed.success) throw new Error(`iPint's /invoice answer is not understood: ${firstIssue(parsed.error)}`);
  return parsed.data.data;
}

export const ipintConnector: Connector = {
  kind: "ipint",
  setup: {
    label: "iPint",
    description: "Customers pay in crypto on iPint's page; Settle confirms each payment with iPint's /invoice call and counts it once it has 3 confirmations.",
    fields: [
      { name: "baseUrl", label: "API URL", type: "url", placeholder: IPINT_TESTNET_URL, hint: "Testnet: https://api.ipint.io:8002 · Mainnet: https://api.ipint.io:8003" },
      { name: "apiKey", label: "API key", secret: true },
      { name: "apiSecret", label: "API secret", secret: true, hint: "Signs the status lookups (HMAC-SHA384)." },
    ],
    schema: ipintSchema,
  },
  flows: (service, currency) => (service.config.baseUrl && currency in currencies && exponentOf(currency as CurrencyCode) <= 2 ? ["redirect"] : []),

  async startPayment(service, link, _flow, session) {
    const { key } = credentials(service);
    const currency = link.currency as CurrencyCode;
    if (link.due <= 0) throw new Error("Nothing is due on this link.");
    const body = JSON.stringify({
      client_email_id: link.customerEmail || `${session.sessionId}@settle.invalid`,
      client_preferred_fiat_currency: currency,
      amount: toMajorString(link.due, currency),
      merchant_website: session.returnUrl,
      success_url: session.returnUrl,
      failure_url: session.returnUrl,
      invoice_callback_url: session.notifyUrl,
    });
    const res = await providerRequest(new URL("checkout", base(service)), {
      method: "POST",
      headers: { "content-type": "application/json", apikey: key },
      body,
    });
    let json: unknown = null;
    try {
      json = JSON.parse(res.body);
    } catch {
      // reported below
    }
    const message = (json as { message?: unknown } | null)?.message;
    if (res.status < 200 || res.status > 299 || (json as { error?: unknown } | null)?.error) {
      throw new Error(`iPint answered ${res.status}${typeof message === "string" ? `: ${message.slice(0, 200)}` : ""}`);
    }
    const parsed = checkoutAnswer.safeParse(json);
    if (!parsed.success) throw new Error("iPint's /checkout answer has no session_id and payment_process_url.");
    return { instruction: { kind: "redirect", url: parsed.data.payment_process_url }, providerRef: parsed.data.session_id };
  },

  verifyNotification(_service, request) {
    const json = parseJson(request.body);
    if (json === undefined) return { ok: false, status: 400, message: "The callback is not JSON." };
    const parsed = callbackSchema.safeParse(json);
    if (!parsed.success) return { ok: false, status: 400, message: firstIssue(parsed.error, "not an iPint callback.") };
    // Unsigned: the callback only says which invoice to look up.
    return { ok: true, lookup: parsed.data.invoice_id };
  },

  async fetchStatus(service, providerRef) {
    try {
      return factsFromInvoice(await fetchInvoice(service, providerRef), providerRef);
    } catch (err) {
      // Whatever iPint put in a field we quote, a card number never reaches the stored notification.
      throw new Error(maskPans((err as Error).message), { cause: err });
    }
  },

  /** iPint reads only the status: an empty body always (see the header). */
  acknowledge: ({ status }) => ({ status, body: "" }),
};
