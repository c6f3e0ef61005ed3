import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildVietQr } from "../../lib/connectors/vietqr";
import { escapeHtml as esc, readBody, sendJson as json } from "./http";

/**
 * Finan's open API as its public docs describe it (../shared/reference/
 * finan-payment-gateway.txt and Finan's "Generating signature" page), on
 * 127.0.0.1: POST/GET /open/api/v1/payments signed with x-client-id /
 * x-timestamp / x-signature = hex SHA-256 of secret_METHOD_path_payload_timestamp
 * (path after /open, payload "" for a GET, 30 s window); a bank page standing in
 * for the customer's banking app (Pay, pay less, Decline); and the payment
 * webhook `{id, reference_id, payment_method, payment_request_id, amount,
 * created_at}`, signed the same way with the receiving URL's path.
 */

export interface FinanPaymentRequest {
  payment_request_id: string;
  payment_request_code: string;
  amount: number;
  paid_amount: number;
  status: "unpaid" | "partial_paid" | "paid" | "extra_paid";
  payment_method: string;
  description: string;
  reference_id: string;
  reference_type: string | null;
  success_redirect_url: string | null;
  failure_redirect_url: string | null;
  payments: { id: string; amount: number; method: string; created_at: string }[];
  account_id: string | null;
}

export interface FinanBankAccount {
  bin: string;
  bankName: string;
  accountNumber: string;
  accountName: string;
}

export interface WebhookOptions {
  /** Sign with another secret (a forgery). */
  secret?: string;
  /** Unix seconds to put in x-timestamp (a replay). */
  timestamp?: number;
  clientId?: string;
}

export interface FinanSimulatorOptions {
  clientId: string;
  secretKey: string;
  account?: FinanBankAccount;
  /** Where Finan posts its webhook (the merchant registers it in Finan's settings); can be set later. */
  webhookUrl?: string;
  /** Delivers a webhook; default: an HTTP POST (fetch). Vitest hands it to the notify handler in-process. */
  deliver?: (request: Request) => Promise<Response>;
  /** Answer without `qr_code` (the connector then builds the VietQR from the linked account). */
  omitQrCode?: boolean;
}

export function finanSign(secret: string, method: string, path: string, payload: string, timestamp: string): string {
  return createHash("sha256").update(`${secret}_${method}_${path}_${payload}_${timestamp}`).digest("hex");
}

const DEFAULT_ACCOUNT: FinanBankAccount = { bin: "970422", bankName: "MB", accountNumber: "0933450210", accountName: "TRAN TU THIEN" };
const CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";




const finanError = (res: ServerResponse, status: number, content: string) =>
  json(res, status, { message: { content }, code: status * 1000 + 1, request_id: randomUUID().replace(/-/g, "") });

export async function startFinanSimulator(options: FinanSimulatorOptions) {
  const account = options.account ?? DEFAULT_ACCOUNT;
  const requests = new Map<string, FinanPaymentRequest>();
  const received: { method: string; path: string; body: string; headers: Record<string, string | undefined> }[] = [];
  const deliveries: { body: string; status: number; answer: string }[] = [];
  let down = false;
  let webhookUrl = options.webhookUrl;
  let seq = 0;

  const deliver = options.deliver ?? ((request: Request) => fetch(request));

  /** Finan's check of a request to its open API: who, when, and the signature over what was sent. */
  function authenticate(req: IncomingMessage, path: string, body: string): string | null {
    const clientId = req.headers["x-client-id"];
    const ts = req.headers["x-timestamp"];
    const sig = req.headers["x-signature"];
    if (typeof clientId !== "string" || typeof ts !== "string" || typeof sig !== "string") return "missing authentication headers";
    if (clientId !== options.clientId) return "unknown client";
    if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 30) return "timestamp expired";
    if (finanSign(options.secretKey, req.method ?? "", path, body, ts) !== sig) return "invalid signature";
    return null;
  }

  function statusOf(r: FinanPaymentRequest): FinanPaymentRequest["status"] {
    if (r.paid_amount === 0) return "unpaid";
    if (r.paid_amount < r.amount) return "partial_paid";
    return r.paid_amount === r.amount ? "paid" : "extra_paid";
  }

  /** Finan's payment webhook, signed for the receiving URL's path, sent to the registered URL. */
  async function sendWebhook(body: Record<string, unknown> | string, opts: WebhookOptions = {}) {
    if (!webhookUrl) throw new Error("No webhook URL is registered with the Finan simulator.");
    const payload = typeof body === "string" ? body : JSON.stringify(body);
    const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const path = new URL(webhookUrl).pathname;
    const request = new Request(webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-client-id": opts.clientId ?? options.clientId,
        "x-timestamp": ts,
        "x-signature": finanSign(opts.secret ?? options.secretKey, "POST", path, payload, ts),
      },
      body: payload,
    });
    const res = await deliver(request);
    const answer = await res.text();
    deliveries.push({ body: payload, status: res.status, answer });
    return { status: res.status, body: answer, payload };
  }

  /** The customer's bank transfer reaches the account: Finan records it on the request and notifies. */
  async function pay(paymentRequestId: string, amount?: number, opts: WebhookOptions = {}) {
    const r = requests.get(paymentRequestId);
    if (!r) throw new Error(`No payment request ${paymentRequestId}.`);
    const paid = amount ?? r.amount - r.paid_amount;
    const payment = { id: `PAY-${String(++seq).padStart(3, "0")}-${randomUUID().slice(0, 8)}`, amount: paid, method: r.payment_method, created_at: new Date().toISOString() };
    r.payments.push(payment);
    r.paid_amount += paid;
    r.status = statusOf(r);
    const body = {
      id: payment.id,
      reference_id: r.reference_id,
      reference_type: r.reference_type ?? undefined,
      payment_method: r.payment_method,
      payment_request_id: r.payment_request_id,
      amount: paid,
      created_at: payment.created_at,
    };
    return { payment, ...(await sendWebhook(body, opts)) };
  }

  function bankPage(): string {
    const open = [...requests.values()];
    const rows = open
      .map(
        (r) => `<section data-request="${esc(r.payment_request_id)}">
  <h2>${esc(r.description)} — ${r.amount.toLocaleString("en")} VND (${r.status})</h2>
  <p>To ${esc(account.accountName)} · ${esc(account.bankName)} ${esc(account.accountNumber)} · remark ${esc(r.payment_request_code)}</p>
  <form method="post" action="/bank/${encodeURIComponent(r.payment_request_id)}/pay"><button type="submit">Pay</button></form>
  <form method="post" action="/bank/${encodeURIComponent(r.payment_request_id)}/pay">
    <label>Amount <input name="amount" inputmode="numeric" value="${r.amount - r.paid_amount}"></label>
    <button type="submit">Pay this amount</button>
  </form>
  <form method="post" action="/bank/${encodeURIComponent(r.payment_request_id)}/decline"><button type="submit">Decline</button></form>
</section>`,
      )
      .join("\n");
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bank app (Finan simulator)</title></head><body><main><h1>Bank app</h1>${rows || "<p>No payment requests.</p>"}</main></body></html>`;
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = await readBody(req);
      received.push({ method: req.method ?? "", path: url.pathname + url.search, body, headers: { "x-client-id": req.headers["x-client-id"] as string | undefined } });

      if (url.pathname.startsWith("/open/")) {
        if (down) return finanError(res, 503, "Service unavailable");
        const sigPath = url.pathname.slice("/open".length) + url.search;
        const refused = authenticate(req, sigPath, req.method === "GET" ? "" : body);
        if (refused) return finanError(res, 401, refused);

        if (req.method === "POST" && url.pathname === "/open/api/v1/payments") {
          let input: Record<string, unknown>;
          try {
            input = JSON.parse(body) as Record<string, unknown>;
          } catch {
            return finanError(res, 400, "invalid body");
          }
          const amount = input.amount;
          if (typeof amount !== "number" || !Number.isInteger(amount) || amount <= 0) return finanError(res, 400, "amount is required");
          if (typeof input.reference_id !== "string" || !input.reference_id) return finanError(res, 400, "reference_id is required");
          if (!["bank_transfer", "card", "ewallet_momo"].includes(String(input.payment_method))) return finanError(res, 400, "payment_method is invalid");
          const description = typeof input.description === "string" ? input.description : "";
          if (description.length > 30) return finanError(res, 400, "description is at most 30 characters");
          let code = "";
          for (let i = 0; i < 8; i++) code += CODE_CHARS[Math.floor(Math.random() * CODE_CHARS.length)];
          const r: FinanPaymentRequest = {
            payment_request_id: randomUUID(),
            payment_request_code: `PR${code}`,
            amount,
            paid_amount: 0,
            status: "unpaid",
            payment_method: String(input.payment_method),
            description,
            reference_id: input.reference_id,
            reference_type: typeof input.reference_type === "string" ? input.reference_type : null,
            success_redirect_url: typeof input.success_redirect_url === "string" ? input.success_redirect_url : null,
            failure_redirect_url: typeof input.failure_redirect_url === "string" ? input.failure_redirect_url : null,
            payments: [],
            account_id: typeof input.account_id === "string" ? input.account_id : null,
          };
          requests.set(r.payment_request_id, r);
          const remark = r.payment_request_code;
          return json(res, 200, {
            message: { content: "Tạo thành công" },
            code: 102001,
            request_id: randomUUID().replace(/-/g, ""),
            data: {
              payment_request_id: r.payment_request_id,
              payment_request_code: r.payment_request_code,
              payment_url: "",
              bank_transfer_detail: {
                ...(options.omitQrCode ? {} : { qr_code: buildVietQr({ bin: account.bin, accountNumber: account.accountNumber, amount, remark }) }),
                bank_name: account.bankName,
                account_name: account.accountName,
                account_number: account.accountNumber,
                remark,
              },
            },
          });
        }

        const one = /^\/open\/api\/v1\/payments\/([^/]+)$/.exec(url.pathname);
        if (req.method === "GET" && (one || url.pathname === "/open/api/v1/payments")) {
          const view = (r: FinanPaymentRequest) => ({ ...r, merchant: { name: "Finan pte" } });
          if (one) {
            const r = requests.get(decodeURIComponent(one[1]!));
            if (!r) return finanError(res, 404, "payment request not found");
            return json(res, 200, { message: { content: "Thực thi API thành công" }, code: 102000, request_id: randomUUID().replace(/-/g, ""), data: view(r) });
          }
          const refId = url.searchParams.get("reference_id");
          const list = [...requests.values()].filter((r) => !refId || r.reference_id === refId).map(view);
          return json(res, 200, { message: { content: "Thực thi API thành công" }, code: 102000, request_id: randomUUID().replace(/-/g, ""), data: list });
        }
        return finanError(res, 404, "not found");
      }

      if (req.method === "GET" && url.pathname === "/bank") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(bankPage());
      }
      const action = /^\/bank\/([^/]+)\/(pay|decline)$/.exec(url.pathname);
      if (req.method === "POST" && action) {
        const r = requests.get(decodeURIComponent(action[1]!));
        if (!r) return finanError(res, 404, "payment request not found");
        if (action[2] === "decline") {
          res.writeHead(303, { location: r.failure_redirect_url ?? "/bank" });
          return res.end();
        }
        const typed = new URLSearchParams(body).get("amount");
        const amount = typed ? Number(typed) : undefined;
        if (amount !== undefined && (!Number.isInteger(amount) || amount <= 0)) return finanError(res, 400, "amount must be a whole number of đồng");
        try {
          await pay(r.payment_request_id, amount);
        } catch (err) {
          return finanError(res, 502, (err as Error).message);
        }
        res.writeHead(303, { location: r.success_redirect_url ?? "/bank" });
        return res.end();
      }
      finanError(res, 404, "not found");
    })().catch((err: unknown) => {
      if (!res.headersSent) finanError(res, 500, (err as Error).message);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    /** The API base URL a merchant enters (Finan's is https://api.finan.one/open). */
    url: `${base}/open`,
    bankUrl: `${base}/bank`,
    account,
    requests,
    received,
    deliveries,
    pay,
    sendWebhook,
    setWebhookUrl(url: string) {
      webhookUrl = url;
    },
    /** Finan down: every API call answers 503. */
    setDown(value: boolean) {
      down = value;
    },
    latestRequest(): FinanPaymentRequest | undefined {
      return [...requests.values()].at(-1);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FinanSimulator = Awaited<ReturnType<typeof startFinanSimulator>>;
