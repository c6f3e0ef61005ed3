/**
 * An iPint server on 127.0.0.1, written from iPint's public docs (the
 * github.com/devbitfia/iPint README and iPint's support page "How to check
 * payment status and details?"), never from Settle's own format:
 * - POST /checkout (header `apikey`; JSON with client_email_id,
 *   client_preferred_fiat_currency, amount up to two decimals,
 *   merchant_website, invoice_callback_url) → `{session_id, payment_process_url}`,
 *   or 400 `{error: true, message}`;
 * - GET /invoice?id= (headers `apikey`, `nonce`, `signature` = hex
 *   HMAC-SHA384 of "/api/" + nonce + path-with-query under the API secret) →
 *   `{data: {...}, user_data: {...}}` with the README sample's keys, all strings;
 * - the hosted page /test-checkout?id= with "Pay", "Pay this amount" (a short
 *   payment) and "Decline"; afterwards the browser goes back to
 *   merchant_website (with invoice_id and transaction_status added, as the
 *   WooCommerce plugin reads them);
 * - the invoice callback: POST `{invoice_id, status}` as JSON, unsigned, to
 *   invoice_callback_url; anything but 200 is a failed delivery, kept for
 *   `retryFailed()` (iPint "attempts to send request multiple times").
 *
 * The docs list callbacks for COMPLETED and FAILED only. `alertProcessing`
 * (default true) also alerts when the invoice moves to PROCESSING or gains a
 * confirmation, as the callback's stated purpose is "to alert the merchant's
 * server that the status of an invoice has changed": Settle trusts /invoice,
 * never the body, so the status word in it changes nothing. With
 * `alertProcessing: false` only the documented statuses are sent.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { escapeHtml, readBody, sendJson } from "./http";

export type IpintStatus = "CHECKING" | "PROCESSING" | "COMPLETED" | "FAILED" | "CANCELLED";

export interface IpintInvoice {
  invoice_id: string;
  client_email_id: string;
  local_currency_code: string;
  invoice_amount_in_local_currency: string;
  invoice_amount_in_usd: string;
  invoice_crypto_amount: string;
  received_amount_in_local_currency: string;
  received_amount_in_usd: string;
  received_crypto_amount: string;
  transaction_status: IpintStatus;
  blockchain_confirmations: string;
  blockchain_transaction_status: string;
  transaction_crypto: string;
  transaction_hash: string;
  merchant_website: string;
  invoice_callback_url: string;
  /** What was posted to /checkout, as sent. */
  request: Record<string, unknown>;
}

export interface Delivery {
  invoiceId: string;
  body: string;
  status: number;
  responseBody: string;
}

type Deliver = (url: string, body: string) => Promise<{ status: number; body: string }>;

export interface IpintSimulatorOptions {
  apiKey: string;
  apiSecret: string;
  /** How a callback reaches Settle: a real POST by default; tests may hand it to the route handler in-process. */
  deliver?: Deliver;
  alertProcessing?: boolean;
  /** Confirmations the chain shows once the customer pays (default 1; 3 or more completes at once). */
  confirmationsOnPay?: number;
}

const REQUIRED = 3;
const COIN = "TBTC";
/** Fixed test rates: local units per USD, and USD per coin. */
const LOCAL_PER_USD: Record<string, string> = { USD: "1", VND: "25000", AED: "3.6725", SAR: "3.75", EUR: "0.92", GBP: "0.79", QAR: "3.64", EGP: "48.5", JPY: "150" };
const USD_PER_COIN = "50000";

/** Exact decimal arithmetic on strings, enough for the simulator's rates. */
function toScaled(text: string, scale: number): bigint {
  const [whole, frac = ""] = text.split(".");
  return BigInt(whole! + frac.slice(0, scale).padEnd(scale, "0"));
}
function fromScaled(v: bigint, scale: number): string {
  const s = v.toString().padStart(scale + 1, "0");
  return scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s;
}
/** a * num / den, rounded down, with `scale` decimals. */
function mulDiv(a: string, num: string, den: string, scale: number): string {
  const S = 18;
  const r = (toScaled(a, S) * toScaled(num, S) * 10n ** BigInt(scale)) / (toScaled(den, S) * 10n ** BigInt(S));
  return fromScaled(r, scale);
}



const realDeliver: Deliver = async (url, body) => {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: res.status, body: await res.text() };
};

export async function startIpintSimulator(options: IpintSimulatorOptions) {
  const { apiKey, apiSecret, alertProcessing = true } = options;
  const deliver = options.deliver ?? realDeliver;
  const invoices = new Map<string, IpintInvoice>();
  const deliveries: Delivery[] = [];
  const failed: { invoiceId: string; body: string }[] = [];
  /** Every API call, with what it was answered, for the tests' checks of signing. */
  const calls: { path: string; status: number; headers: Record<string, string | undefined> }[] = [];
  let isDown = false;
  let lastNonce = 0n;
  let url = "";

  const json = (res: ServerResponse, status: number, body: unknown) => {
    sendJson(res, status, body);
    return status;
  };

  async function sendCallback(inv: IpintInvoice, status: string = inv.transaction_status) {
    const body = JSON.stringify({ invoice_id: inv.invoice_id, status });
    let answer: { status: number; body: string };
    try {
      answer = await deliver(inv.invoice_callback_url, body);
    } catch (err) {
      answer = { status: 0, body: String(err) };
    }
    deliveries.push({ invoiceId: inv.invoice_id, body, status: answer.status, responseBody: answer.body });
    // The README: "Any other HTTP response is considered by iPint as a failed delivery."
    if (answer.status !== 200) failed.push({ invoiceId: inv.invoice_id, body });
    return answer;
  }

  const alerts = (s: IpintStatus) => s === "COMPLETED" || s === "FAILED" || (alertProcessing && s === "PROCESSING");

  function get(id: string): IpintInvoice {
    const inv = invoices.get(id);
    if (!inv) throw new Error(`no iPint invoice ${id}`);
    return inv;
  }

  /** The chain shows `n` confirmations: PROCESSING below 3, COMPLETED at 3. */
  async function confirmTo(inv: IpintInvoice, n: number) {
    const seen = Math.min(n, REQUIRED);
    inv.blockchain_confirmations = `${seen}/${REQUIRED}`;
    inv.blockchain_transaction_status = seen >= REQUIRED ? "CONFIRMED" : "PENDING";
    inv.transaction_status = seen >= REQUIRED ? "COMPLETED" : "PROCESSING";
    if (alerts(inv.transaction_status)) await sendCallback(inv);
  }

  /** The customer sends coins worth `amount` in local currency (all that was asked when absent). */
  async function pay(id: string, opts: { amount?: string } = {}) {
    const inv = get(id);
    const local = opts.amount ?? inv.invoice_amount_in_local_currency;
    if (opts.amount === undefined) {
      inv.received_amount_in_local_currency = inv.invoice_amount_in_local_currency;
      inv.received_amount_in_usd = inv.invoice_amount_in_usd;
      inv.received_crypto_amount = inv.invoice_crypto_amount;
    } else {
      inv.received_amount_in_local_currency = local;
      inv.received_amount_in_usd = mulDiv(inv.invoice_amount_in_usd, local, inv.invoice_amount_in_local_currency, 2);
      inv.received_crypto_amount = mulDiv(inv.invoice_crypto_amount, local, inv.invoice_amount_in_local_currency, 8);
    }
    inv.transaction_hash = randomBytes(32).toString("hex");
    await confirmTo(inv, options.confirmationsOnPay ?? 1);
    return inv;
  }

  async function decline(id: string) {
    const inv = get(id);
    inv.transaction_status = "FAILED";
    inv.blockchain_transaction_status = "NOT_FOUND";
    await sendCallback(inv);
    return inv;
  }

  const returnTo = (inv: IpintInvoice) => {
    const u = new URL(inv.merchant_website);
    u.searchParams.set("invoice_id", inv.invoice_id);
    u.searchParams.set("transaction_status", inv.transaction_status);
    return u.toString();
  };

  function checkSigned(req: IncomingMessage, path: string): string | null {
    const h = (n: string) => {
      const v = req.headers[n];
      return Array.isArray(v) ? v[0] : v;
    };
    if (h("apikey") !== apiKey) return "invalid apikey";
    const nonce = h("nonce") ?? "";
    if (!/^\d{1,25}$/.test(nonce)) return "nonce required";
    const expected = createHmac("sha384", apiSecret).update(`/api/${nonce}${path}`).digest();
    const given = Buffer.from(h("signature") ?? "", "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid signature";
    if (BigInt(nonce) <= lastNonce) return "nonce must increase";
    lastNonce = BigInt(nonce);
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const path = req.url ?? "/";
    const u = new URL(path, url);
    if (u.pathname === "/checkout" && req.method === "POST") {
      if (isDown) return json(res, 503, { error: true, message: "Service unavailable" });
      if (req.headers.apikey !== apiKey) return json(res, 401, { error: true, message: "invalid apikey" });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      } catch {
        return json(res, 400, { error: true, message: "invalid json" });
      }
      for (const f of ["client_email_id", "client_preferred_fiat_currency", "merchant_website"]) {
        if (typeof body[f] !== "string" || !body[f]) return json(res, 400, { error: true, message: `${f} is required` });
      }
      const currency = String(body.client_preferred_fiat_currency);
      const rate = LOCAL_PER_USD[currency];
      if (!rate) return json(res, 400, { error: true, message: `${currency} is not supported` });
      const amount = String(body.amount ?? "");
      if (!/^\d+(\.\d{1,2})?$/.test(amount) || Number(amount) <= 0) return json(res, 400, { error: true, message: "amount must be a positive number with up to two decimals" });
      const id = randomBytes(24).toString("base64url").replace(/[-_]/g, "x").slice(0, 33);
      const usd = mulDiv(amount, "1", rate, 2);
      invoices.set(id, {
        invoice_id: id,
        client_email_id: String(body.client_email_id),
        local_currency_code: currency,
        invoice_amount_in_local_currency: amount,
        invoice_amount_in_usd: usd,
        invoice_crypto_amount: mulDiv(amount, "1", toPlain(Number(rate) * Number(USD_PER_COIN)), 8),
        received_amount_in_local_currency: "0",
        received_amount_in_usd: "0",
        received_crypto_amount: "0",
        transaction_status: "CHECKING",
        blockchain_confirmations: `0/${REQUIRED}`,
        blockchain_transaction_status: "PENDING",
        transaction_crypto: COIN,
        transaction_hash: "",
        merchant_website: String(body.merchant_website),
        invoice_callback_url: String(body.invoice_callback_url ?? ""),
        request: body,
      });
      return json(res, 200, { session_id: id, payment_process_url: `${url}/test-checkout?id=${id}` });
    }

    if (u.pathname === "/invoice" && req.method === "GET") {
      if (isDown) return json(res, 503, { error: true, message: "Service unavailable" });
      const refused = checkSigned(req, path);
      if (refused) return json(res, 401, { error: true, message: refused });
      const inv = invoices.get(u.searchParams.get("id") ?? "");
      if (!inv) return json(res, 400, { error: true, message: "invoice not found" });
      const { merchant_website, invoice_callback_url, request, client_email_id, ...data } = inv;
      void invoice_callback_url;
      void request;
      return json(res, 200, {
        data: { ...data, depositor_email_id: client_email_id, invoice_creation_time: "1633960704", transaction_onclick: "", transaction_time: "", wallet_address: "tb1qsimulatorwallet0000000000000000000000" },
        user_data: { company_name: "merchant-name", depositor_id: client_email_id, email_id: client_email_id, website: merchant_website },
      });
    }

    if (u.pathname === "/test-checkout" && req.method === "GET") {
      const inv = invoices.get(u.searchParams.get("id") ?? "");
      if (!inv) return json(res, 404, { error: true, message: "invoice not found" });
      const id = escapeHtml(inv.invoice_id);
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iPint test checkout</title></head>
<body>
<h1>iPint test checkout</h1>
<p>Pay <strong data-testid="ipint-amount">${escapeHtml(inv.invoice_amount_in_local_currency)} ${escapeHtml(inv.local_currency_code)}</strong>
(${escapeHtml(inv.invoice_crypto_amount)} ${COIN}) to <code>tb1qsimulatorwallet</code>.</p>
<form method="post" action="/test-checkout/pay"><input type="hidden" name="id" value="${id}"><button type="submit">Pay</button></form>
<form method="post" action="/test-checkout/pay">
  <input type="hidden" name="id" value="${id}">
  <label>Amount in ${escapeHtml(inv.local_currency_code)} <input name="amount" inputmode="decimal"></label>
  <button type="submit">Pay this amount</button>
</form>
<form method="post" action="/test-checkout/decline"><input type="hidden" name="id" value="${id}"><button type="submit">Decline</button></form>
</body></html>`);
      return 200;
    }

    if ((u.pathname === "/test-checkout/pay" || u.pathname === "/test-checkout/decline") && req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      const inv = invoices.get(form.get("id") ?? "");
      if (!inv) return json(res, 404, { error: true, message: "invoice not found" });
      if (u.pathname.endsWith("/decline")) await decline(inv.invoice_id);
      else {
        const amount = form.get("amount")?.trim();
        await pay(inv.invoice_id, amount ? { amount } : {});
      }
      res.writeHead(303, { location: returnTo(inv) }).end();
      return 303;
    }
    return json(res, 404, { error: true, message: "not found" });
  }

  const server = createServer((req, res) => {
    handle(req, res)
      .then((status) => {
        if (!req.url?.startsWith("/test-checkout")) {
          calls.push({ path: req.url ?? "", status, headers: { apikey: req.headers.apikey as string | undefined, nonce: req.headers.nonce as string | undefined, signature: req.headers.signature as string | undefined } });
        }
      })
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(err));
      });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    invoices,
    deliveries,
    calls,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
    /** Down: every API call answers 503 (the hosted page stays up). */
    down: (on = true) => {
      isDown = on;
    },
    invoice: get,
    /** The last invoice opened with /checkout. */
    latest: () => [...invoices.values()].at(-1),
    pay,
    decline,
    /** One more confirmation on the chain; at 3 the invoice is COMPLETED. */
    confirm: (id: string) => {
      const inv = get(id);
      const seen = Number(inv.blockchain_confirmations.split("/")[0]);
      return confirmTo(inv, seen + 1);
    },
    /** Sets fields of an invoice as iPint would show them (no callback). */
    set: (id: string, patch: Partial<IpintInvoice>) => Object.assign(get(id), patch),
    /** Sends the callback now, with the invoice's status or another word in `status` (a forged or stale one). */
    callback: (id: string, status?: string) => sendCallback(get(id), status),
    /** iPint's retry of every failed delivery, in order. */
    retryFailed: async () => {
      const pending = failed.splice(0);
      for (const f of pending) {
        const answer = await deliver(get(f.invoiceId).invoice_callback_url, f.body).catch((err: unknown) => ({ status: 0, body: String(err) }));
        deliveries.push({ invoiceId: f.invoiceId, body: f.body, status: answer.status, responseBody: answer.body });
        if (answer.status !== 200) failed.push(f);
      }
    },
  };
}
export type IpintSimulator = Awaited<ReturnType<typeof startIpintSimulator>>;

/** A positive rate product as a plain decimal string (no exponent). */
function toPlain(n: number): string {
  return n.toFixed(6).replace(/\.?0+$/, "");
}
