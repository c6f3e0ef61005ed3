import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { escapeHtml, readBody, sendJson as json } from "./http";

/**
 * Foloosi played from its public docs, on 127.0.0.1 (a real HTTP server, for
 * vitest and Playwright alike):
 * - POST /aggregatorapi/web/initialize-setup (header `merchant_key`; JSON or form body with
 *   `transaction_amount` in major units, `currency`, `customer_*`, `site_return_url`, `optional1-3`)
 *   → `{ message, data: { reference_token } }`;
 * - GET /v1/api/transaction-detail/{transaction_no} (header `secret_key`) → `{ message, data: { … } }`;
 * - the hosted page GET /?{"reference_token":…,"secret_key":<merchant key>} (widget.foloosi.com):
 *   a card form with the amount (a customer may pay less), "Pay" and "Decline";
 * - the webhook (docs.foloosi.com/webhooks): `{ data: { transfer: { transaction_status, transaction_no,
 *   payment_reference, transaction_amount, transaction_currency, transaction_message, api: { optional1-3,
 *   customer_email, customer_mobile, card_last_four } } } }`, unsigned, POSTed to the URL set in the
 *   merchant's panel (`setWebhook`), then the browser goes back to `site_return_url` with a form POST
 *   of `status` and `transaction_no` (what Foloosi's PrestaShop module reads there).
 */

export interface FoloosiOrder {
  referenceToken: string;
  amount: string;
  currency: string;
  customerName: string;
  customerEmail: string;
  returnUrl: string | null;
  optional1: string | null;
  optional2: string | null;
  optional3: string | null;
}

export interface FoloosiTransaction {
  transactionNo: string;
  paymentReference: string;
  status: "success" | "failed";
  amount: string;
  currency: string;
  order: FoloosiOrder;
  message: string;
  cardNumber: string;
}

export interface Transfer {
  transaction_status: "success" | "failed";
  transaction_no: string | null;
  payment_reference: string | null;
  transaction_amount: string;
  transaction_currency: string;
  transaction_message: string;
  api: { optional1: string | null; optional2: string | null; optional3: string | null; customer_email: string; customer_mobile: string; card_last_four: string };
}

/** Where the merchant's panel sends webhooks: a URL, or (vitest, no Next server) a function handed the raw body. */
export type WebhookTarget = string | ((body: string) => Promise<{ status: number; body: string }>);

export interface PayOptions {
  /** What the customer pays, in major units as typed ("40", "12.50"); the order's amount when absent. */
  amount?: string;
  outcome?: "success" | "failed";
  /** The card number typed on the page; the webhook carries only its last four. */
  cardNumber?: string;
  message?: string;
  /** Foloosi's "sometimes it get null" on a failure. */
  nullTransactionNo?: boolean;
  nullPaymentReference?: boolean;
}

export interface FoloosiSimulator {
  url: string;
  merchantKey: string;
  secretKey: string;
  orders: Map<string, FoloosiOrder>;
  transactions: Map<string, FoloosiTransaction>;
  /** Every webhook sent, with Settle's answer. */
  deliveries: Array<{ body: string; status: number; answer: string }>;
  /** Transaction-detail requests received (the status pulls). */
  detailRequests: string[];
  setWebhook(target: WebhookTarget): void;
  /** Down: every API call answers 503 (Foloosi unreachable during a status pull). */
  setDown(down: boolean): void;
  /** The customer on the hosted page: a transaction, its webhook sent and answered. */
  pay(referenceToken: string, options?: PayOptions): Promise<{ transaction: FoloosiTransaction; transfer: Transfer; status: number; answer: string }>;
  /** Sends any body to the webhook target, as the panel would. */
  sendWebhook(body: unknown): Promise<{ status: number; answer: string }>;
  /** The webhook body Foloosi sends for a transaction. */
  webhookBody(transaction: FoloosiTransaction, options?: Pick<PayOptions, "nullTransactionNo" | "nullPaymentReference">): { data: { transfer: Transfer } };
  close(): Promise<void>;
}

const id = (prefix: string, bytes = 8) => `${prefix}${randomBytes(bytes).toString("hex")}`;


function parseFields(req: IncomingMessage, raw: string): Record<string, string> {
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    try {
      const json = JSON.parse(raw) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}


export async function startFoloosiSimulator(
  opts: {
    merchantKey?: string;
    secretKey?: string;
    webhook?: WebhookTarget;
    /** How the browser goes back to `site_return_url`: Foloosi's form POST (default), or a plain redirect. */
    returnMethod?: "post" | "get";
  } = {},
): Promise<FoloosiSimulator> {
  const returnMethod = opts.returnMethod ?? "post";
  const merchantKey = opts.merchantKey ?? `test_${randomBytes(12).toString("hex")}`;
  const secretKey = opts.secretKey ?? `test_${randomBytes(16).toString("hex")}`;
  const orders = new Map<string, FoloosiOrder>();
  const transactions = new Map<string, FoloosiTransaction>();
  const deliveries: FoloosiSimulator["deliveries"] = [];
  const detailRequests: string[] = [];
  let webhook: WebhookTarget | undefined = opts.webhook;
  let down = false;

  function webhookBody(t: FoloosiTransaction, o: Pick<PayOptions, "nullTransactionNo" | "nullPaymentReference"> = {}) {
    const transfer: Transfer = {
      transaction_status: t.status,
      transaction_no: o.nullTransactionNo ? null : t.transactionNo,
      payment_reference: o.nullPaymentReference ? null : t.paymentReference,
      transaction_amount: t.amount,
      transaction_currency: t.currency,
      transaction_message: t.message,
      api: {
        optional1: t.order.optional1,
        optional2: t.order.optional2,
        optional3: t.order.optional3,
        customer_email: t.order.customerEmail,
        customer_mobile: "555534533",
        card_last_four: t.cardNumber.replace(/\D/g, "").slice(-4),
      },
    };
    return { data: { transfer } };
  }

  async function sendWebhook(body: unknown) {
    const raw = typeof body === "string" ? body : JSON.stringify(body);
    if (!webhook) throw new Error("No webhook URL is set in the simulated Foloosi panel.");
    let status: number;
    let answer: string;
    if (typeof webhook === "function") {
      ({ status, body: answer } = await webhook(raw));
    } else {
      const res = await fetch(webhook, { method: "POST", headers: { "content-type": "application/json" }, body: raw });
      status = res.status;
      answer = await res.text();
    }
    deliveries.push({ body: raw, status, answer });
    return { status, answer };
  }

  async function pay(referenceToken: string, o: PayOptions = {}) {
    const order = orders.get(referenceToken);
    if (!order) throw new Error(`No Foloosi order ${referenceToken}.`);
    const outcome = o.outcome ?? "success";
    const transaction: FoloosiTransaction = {
      transactionNo: id("FLSAPI", 10),
      paymentReference: `${randomBytes(4).toString("hex")}-${randomBytes(2).toString("hex")}-${randomBytes(2).toString("hex")}-${randomBytes(2).toString("hex")}-${randomBytes(6).toString("hex")}`,
      status: outcome,
      amount: o.amount ?? order.amount,
      currency: order.currency,
      order,
      message: o.message ?? (outcome === "success" ? "approved" : "Insufficient funds/declined"),
      cardNumber: o.cardNumber ?? "4111 1111 1111 1111",
    };
    transactions.set(transaction.transactionNo, transaction);
    const body = webhookBody(transaction, o);
    const { status, answer } = await sendWebhook(body);
    return { transaction, transfer: body.data.transfer, status, answer };
  }

  function page(order: FoloosiOrder) {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Foloosi payment</title></head>
<body><main><h1>Foloosi</h1>
<p data-testid="foloosi-amount">${escapeHtml(order.currency)} ${escapeHtml(order.amount)}</p>
<form method="post" action="/widget/pay">
<input type="hidden" name="reference_token" value="${escapeHtml(order.referenceToken)}">
<label>Card number <input name="card_number" value="4111 1111 1111 1111" autocomplete="off"></label>
<label>Amount to pay <input name="amount" value="${escapeHtml(order.amount)}"></label>
<button type="submit" name="outcome" value="success">Pay</button>
<button type="submit" name="outcome" value="failed">Decline</button>
</form></main></body></html>`;
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(req);
      const isApi = url.pathname.startsWith("/aggregatorapi/") || url.pathname.startsWith("/v1/api/");
      if (isApi && down) return json(res, 503, { message: "Service unavailable" });

      if (req.method === "POST" && url.pathname === "/aggregatorapi/web/initialize-setup") {
        if (req.headers["merchant_key"] !== merchantKey) return json(res, 401, { message: "Invalid merchant key" });
        const f = parseFields(req, raw);
        if (!/^\d+(\.\d+)?$/.test(f.transaction_amount ?? "") || Number(f.transaction_amount) <= 0) return json(res, 400, { message: "transaction_amount is required" });
        if (!/^[A-Z]{3}$/.test(f.currency ?? "")) return json(res, 400, { message: "currency is required" });
        const order: FoloosiOrder = {
          referenceToken: id("U0000", 16),
          amount: f.transaction_amount!,
          currency: f.currency!,
          customerName: f.customer_name ?? "",
          customerEmail: f.customer_email ?? "",
          returnUrl: f.site_return_url || null,
          optional1: f.optional1 || null,
          optional2: f.optional2 || null,
          optional3: f.optional3 || null,
        };
        orders.set(order.referenceToken, order);
        return json(res, 200, { message: "Application setup successfully", data: { reference_token: order.referenceToken } });
      }

      const detail = /^\/v1\/api\/transaction-detail\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && detail) {
        const no = decodeURIComponent(detail[1]!);
        detailRequests.push(no);
        if (req.headers["secret_key"] !== secretKey) return json(res, 401, { message: "Invalid secret key" });
        const t = transactions.get(no);
        if (!t) return json(res, 404, { message: "Transaction not found" });
        const digits = t.cardNumber.replace(/\D/g, "");
        return json(res, 200, {
          message: "Transaction detail",
          data: {
            transaction_no: t.transactionNo,
            status: t.status,
            optional1: t.order.optional1,
            optional2: t.order.optional2,
            optional3: t.order.optional3,
            request_amount: t.amount,
            request_currency: t.currency,
            customer_amount: t.amount,
            customer_currency: t.currency,
            payment_failed_reason: t.status === "failed" ? t.message : null,
            created: new Date().toISOString(),
            customer: { name: t.order.customerName, email: t.order.customerEmail, phone_number: "555534533" },
            card: { pan: `${digits.slice(0, 6)}******${digits.slice(-4)}`, card_type: "VISA" },
          },
        });
      }

      // The hosted page: widget.foloosi.com/?{"reference_token":…,"secret_key":<merchant key>}.
      if (req.method === "GET" && url.pathname === "/") {
        let options: { reference_token?: string; secret_key?: string } = {};
        try {
          options = JSON.parse(decodeURIComponent(url.search.slice(1)));
        } catch {
          // answered below
        }
        const order = options.reference_token ? orders.get(options.reference_token) : undefined;
        if (!order || options.secret_key !== merchantKey) {
          res.writeHead(404, { "content-type": "text/html" });
          return res.end("<!doctype html><title>Foloosi</title><p>Invalid payment token</p>");
        }
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(page(order));
      }

      if (req.method === "POST" && url.pathname === "/widget/pay") {
        const f = Object.fromEntries(new URLSearchParams(raw));
        const order = orders.get(f.reference_token ?? "");
        if (!order) return json(res, 404, { message: "Invalid payment token" });
        const outcome = f.outcome === "failed" ? "failed" : "success";
        const { transaction } = await pay(order.referenceToken, { outcome, amount: f.amount?.trim() || undefined, cardNumber: f.card_number });
        const result = outcome === "success" ? "success" : "error";
        if (order.returnUrl && returnMethod === "get") {
          const back = new URL(order.returnUrl);
          back.searchParams.set("status", result);
          back.searchParams.set("transaction_no", transaction.transactionNo);
          res.writeHead(303, { location: back.toString() });
          return res.end();
        }
        if (order.returnUrl) {
          // Back to the merchant's site as Foloosi's integrations read it: a form POST of status and transaction_no.
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          return res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Foloosi</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(order.returnUrl)}">
<input type="hidden" name="status" value="${result}"><input type="hidden" name="transaction_no" value="${escapeHtml(transaction.transactionNo)}">
<noscript><button type="submit">Return to the merchant</button></noscript></form></body></html>`);
        }
        res.writeHead(200, { "content-type": "text/html" });
        return res.end(`<!doctype html><title>Foloosi</title><p>Payment ${outcome}</p>`);
      }

      json(res, 404, { message: "Not found" });
    })().catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { message: (err as Error).message });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    merchantKey,
    secretKey,
    orders,
    transactions,
    deliveries,
    detailRequests,
    setWebhook: (target) => {
      webhook = target;
    },
    setDown: (d) => {
      down = d;
    },
    pay,
    sendWebhook,
    webhookBody,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
