/**
 * FuratPay, played from its public doc (GitBook "Payment flow") and its
 * WooCommerce plugin: a real HTTP server on 127.0.0.1 answering the calls the
 * plugin makes (x-api-key), a ZainCash-style payment page and an FIB-style app
 * link, and the invoice webhook `{type, data}` signed with X-Timestamp /
 * X-Signature (hex HMAC-SHA256 of id + code + order_number + timestamp).
 *
 *   GET  /v1/payment_service/linked/list   → {data: [{id, name, status, logo}]}
 *   POST /v1/invoice                        → the invoice object (201)
 *   GET  /v1/invoice/{id}                   → the invoice object
 *   POST /v1/public/invoice/pay             → {data: {redirect_uri}} (ZainCash) | {qrCode, readableCode, personalAppLink…} (FIB)
 *   GET  /pay/{invoiceId}                   → the customer's page: Pay / Decline
 *
 * FuratPay's webhook URL is set in its dashboard, so the simulator is told it
 * (`setWebhook`); `deliver` lets vitest hand the request to Settle in-process.
 */
import { createHmac, randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { escapeHtml, readBody, sendJson } from "./http";

export interface FuratInvoice {
  id: number;
  code: string;
  number: string;
  order_number: string;
  currency_id: number;
  total: string;
  status: "pending" | "paid" | "failed" | "canceled";
  subject: string;
  remarks: string;
  payment_service_id: number | null;
  meta_data: Record<string, unknown>;
  customer: unknown;
}

export interface FuratWebhook {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface FuratPaySimulatorOptions {
  apiKey?: string;
  webhookSecret?: string;
  /** How a webhook reaches Settle: by default an HTTP POST to the webhook URL. */
  deliver?: (hook: FuratWebhook) => Promise<{ status: number; body: string }>;
}

export const ZAINCASH_ID = 1;
export const FIB_ID = 2;

/** The plugin's signature: hex HMAC-SHA256 of data.id + data.code + data.order_number + timestamp, trimmed. */
export function signFuratPay(secret: string, data: { id: unknown; code: unknown; order_number: unknown }, timestamp: string): string {
  const s = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  return createHmac("sha256", secret)
    .update((s(data.id) + s(data.code) + s(data.order_number) + timestamp).trim())
    .digest("hex");
}



export async function startFuratPaySimulator(options: FuratPaySimulatorOptions = {}) {
  const apiKey = options.apiKey ?? "fp_test_api_key_0001";
  const webhookSecret = options.webhookSecret ?? "fp_test_webhook_secret_0001";
  const invoices = new Map<number, FuratInvoice>();
  const requests: { method: string; path: string; body: string; apiKey: string | undefined }[] = [];
  const sent: { hook: FuratWebhook; answer: { status: number; body: string } }[] = [];
  let nextId = 7001 + randomInt(1000);
  let down = false;
  let webhookUrl: string | null = null;
  const services = [
    { id: ZAINCASH_ID, name: "ZainCash", status: "active", logo: null },
    { id: FIB_ID, name: "First Iraqi Bank (FIB)", status: "active", logo: null },
    { id: 4, name: "FastPay", status: "inactive", logo: null },
  ];

  const deliver =
    options.deliver ??
    (async (hook: FuratWebhook) => {
      const res = await fetch(hook.url, { method: "POST", headers: hook.headers, body: hook.body });
      return { status: res.status, body: await res.text() };
    });

  /** The webhook FuratPay sends on a status change, signed now (or as the options say, to forge one). */
  function webhookFor(invoice: FuratInvoice, opts: { type?: string; timestamp?: number; secret?: string; data?: Partial<Record<string, unknown>> } = {}): FuratWebhook {
    if (!webhookUrl) throw new Error("FuratPay simulator: no webhook URL set (setWebhook).");
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const data = { ...invoice, ...opts.data };
    const body = JSON.stringify({ type: opts.type ?? (invoice.status === "paid" ? "INVOICE_PAID" : "INVOICE_UPDATED"), data });
    return {
      url: webhookUrl,
      headers: { "content-type": "application/json", "x-timestamp": timestamp, "x-signature": signFuratPay(opts.secret ?? webhookSecret, data, timestamp) },
      body,
    };
  }

  async function notify(invoiceId: number, opts: Parameters<typeof webhookFor>[1] = {}) {
    const hook = webhookFor(invoiceOf(invoiceId), opts);
    const answer = await deliver(hook);
    sent.push({ hook, answer });
    return answer;
  }

  function invoiceOf(id: number): FuratInvoice {
    const inv = invoices.get(id);
    if (!inv) throw new Error(`FuratPay simulator: no invoice ${id}`);
    return inv;
  }

  /** The customer pays (or declines) on the service's page; FuratPay then sends its webhook. */
  async function settle(invoiceId: number, outcome: "paid" | "failed") {
    const inv = invoiceOf(invoiceId);
    inv.status = outcome;
    return notify(invoiceId);
  }

  const json = sendJson;

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = await readBody(req);
      const key = req.headers["x-api-key"];
      requests.push({ method: req.method ?? "GET", path: url.pathname + url.search, body, apiKey: typeof key === "string" ? key : undefined });

      const page = /^\/pay\/(\d+)$/.exec(url.pathname);
      if (page) {
        const inv = invoices.get(Number(page[1]));
        if (!inv) return json(res, 404, { message: "Invoice not found" });
        if (req.method === "POST") {
          const form = new URLSearchParams(body);
          await settle(inv.id, form.get("action") === "decline" ? "failed" : "paid");
          const back = typeof inv.meta_data.return_url === "string" ? inv.meta_data.return_url : null;
          if (back) {
            res.writeHead(303, { location: back });
            return res.end();
          }
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          return res.end(`<!doctype html><title>FuratPay</title><h1>Invoice ${inv.status}</h1>`);
        }
        const service = services.find((s) => s.id === inv.payment_service_id)?.name ?? "FuratPay";
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(service)} — FuratPay</title></head><body>
<main><h1>${escapeHtml(service)}</h1><p>Invoice ${inv.id}: ${escapeHtml(inv.subject)}</p>
<p>Amount: <strong data-testid="amount">${escapeHtml(inv.total)} ${inv.currency_id === 3 ? "IQD" : "USD"}</strong></p>
<form method="post"><button name="action" value="pay">Pay</button> <button name="action" value="decline">Decline</button></form></main></body></html>`);
      }

      if (!url.pathname.startsWith("/v1/")) return json(res, 404, { message: "Not found" });
      if (down) return json(res, 503, { message: "Service Unavailable" });
      if (key !== apiKey) return json(res, 401, { message: "Invalid API key" });
      const path = url.pathname.slice(3);

      if (req.method === "GET" && path === "/payment_service/linked/list") return json(res, 200, { data: services, total: services.length });

      if (req.method === "POST" && path === "/invoice") {
        const b = JSON.parse(body) as Record<string, unknown>;
        if (typeof b.total !== "string" && typeof b.total !== "number") return json(res, 422, { message: "total is required" });
        if (!b.order_number || !b.currency_id) return json(res, 422, { message: "order_number and currency_id are required" });
        const inv: FuratInvoice = {
          id: nextId++,
          code: String(b.code),
          number: String(b.number),
          order_number: String(b.order_number),
          currency_id: Number(b.currency_id),
          total: String(b.total),
          status: "pending",
          subject: String(b.subject ?? ""),
          remarks: typeof b.remarks === "string" ? b.remarks : "",
          payment_service_id: null,
          meta_data: (b.meta_data ?? {}) as Record<string, unknown>,
          customer: b.customer ?? null,
        };
        invoices.set(inv.id, inv);
        return json(res, 201, inv);
      }

      const one = /^\/invoice\/(\d+)$/.exec(path);
      if (req.method === "GET" && one) {
        const inv = invoices.get(Number(one[1]));
        return inv ? json(res, 200, inv) : json(res, 404, { message: "Invoice not found" });
      }

      if (req.method === "POST" && path === "/public/invoice/pay") {
        const b = JSON.parse(body) as { payment_service_id?: unknown; invoice_id?: unknown };
        const inv = invoices.get(Number(b.invoice_id));
        if (!inv) return json(res, 404, { message: "Invoice not found" });
        const service = services.find((s) => s.id === Number(b.payment_service_id) && s.status === "active");
        if (!service) return json(res, 422, { message: "Payment service is not available" });
        inv.payment_service_id = service.id;
        const pageUrl = `${origin}/pay/${inv.id}`;
        if (service.id === FIB_ID) {
          return json(res, 200, {
            paymentId: `fib-${inv.id}`,
            qrCode: "data:image/png;base64,iVBORw0KGgo=",
            readableCode: `FIB${inv.id}`,
            personalAppLink: pageUrl,
            businessAppLink: pageUrl,
            corporateAppLink: pageUrl,
            validUntil: new Date(Date.now() + 15 * 60_000).toISOString(),
          });
        }
        return json(res, 200, { data: { redirect_uri: pageUrl } });
      }
      return json(res, 404, { message: "Not found" });
    } catch (err) {
      json(res, 500, { message: (err as Error).message });
    }
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    /** The API base URL a merchant enters in Settle. */
    baseUrl: `${origin}/v1`,
    apiKey,
    webhookSecret,
    invoices,
    requests,
    sent,
    /** FuratPay's dashboard setting: where its webhooks go. */
    setWebhook: (url: string) => {
      webhookUrl = url;
    },
    /** Every API call answers 503 while down. */
    setDown: (value: boolean) => {
      down = value;
    },
    /** The last invoice created. */
    lastInvoice: () => [...invoices.values()].at(-1),
    invoiceOf,
    /** Edits an invoice as FuratPay's dashboard does (a lower total: the customer pays less than the link asks). */
    editInvoice: (id: number, patch: Partial<Pick<FuratInvoice, "total" | "remarks" | "status" | "currency_id">>) => Object.assign(invoiceOf(id), patch),
    pay: (id: number) => settle(id, "paid"),
    decline: (id: number) => settle(id, "failed"),
    notify,
    webhookFor,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FuratPaySimulator = Awaited<ReturnType<typeof startFuratPaySimulator>>;
