import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { finanSign } from "./simulators/finan";
import { signFuratPay } from "./simulators/furatpay";
import { mfSign } from "./simulators/myfatoorah";

/**
 * Merchants' webhook receivers, each written from its gateway's public docs
 * (never from Settle's formats), as real HTTP servers on 127.0.0.1. Each
 * checks what that gateway's docs tell its merchants to check (the
 * signature, the timestamp, the body's fields and types) and answers as the
 * docs ask; what it accepted and why it refused are kept for the test to read.
 * The signatures come from the simulators' doc-derived signers.
 */
export interface GatewayRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** The parsed body when the receiver accepted it. */
  accepted: unknown;
  /** Why it was refused, as a merchant's log would say. */
  refused: string | null;
  status: number;
}

type Check = (req: { path: string; headers: IncomingMessage["headers"]; body: string }) => { ok: true; parsed: unknown; answer?: string } | { ok: false; status: number; why: string };

async function serve(check: Check) {
  const received: GatewayRequest[] = [];
  let fail = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "";
      const result = check({ path: path.split("?")[0]!, headers: req.headers, body });
      const status = fail ? 500 : result.ok ? 200 : result.status;
      received.push({ path, headers: req.headers, body, accepted: result.ok ? result.parsed : null, refused: result.ok ? null : result.why, status });
      res.writeHead(status, { "content-type": "application/json" }).end(result.ok ? (result.answer ?? "{}") : JSON.stringify({ error: result.why }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhooks/gateway`,
    received,
    /** Answer 500 to everything (the check still runs and is kept). */
    failing(on: boolean) {
      fail = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type GatewayReceiver = Awaited<ReturnType<typeof serve>>;

const json = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};
const header = (h: IncomingMessage["headers"], name: string) => {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};
const shapeError = (e: z.ZodError) => `${e.issues[0]?.path.join(".")}: ${e.issues[0]?.message}`;

// --- Finan: "Payment Gateway" page (payload, field table, Go verifier) and "Generating signature" ---

const finanWebhook = z.object({
  id: z.string().min(1),
  amount: z.number().int().positive(),
  created_at: z.iso.datetime(),
  payment_method: z.enum(["bank_transfer", "card", "ewallet_momo"]),
  payment_request_id: z.string(),
  reference_type: z.string().optional(),
  reference_id: z.string(),
});

/** Finan's webhookHandler: x-signature over (secret, "POST", the route's path, the body, x-timestamp); always 200 `{status: "success"}`. */
export function finanReceiver(opts: { secret: string; clientId: string }) {
  return serve(({ path, headers, body }) => {
    const ts = header(headers, "x-timestamp") ?? "";
    if (header(headers, "x-client-id") !== opts.clientId) return { ok: false, status: 401, why: "unknown x-client-id" };
    if (finanSign(opts.secret, "POST", path, body, ts) !== header(headers, "x-signature")) return { ok: false, status: 401, why: "Invalid signature" };
    const parsed = finanWebhook.safeParse(json(body));
    if (!parsed.success) return { ok: false, status: 400, why: shapeError(parsed.error) };
    return { ok: true, parsed: parsed.data, answer: JSON.stringify({ status: "success", message: "Payment processed successfully", timestamp: new Date().toISOString() }) };
  });
}

// --- MyFatoorah: "Webhook V1", "Transaction Data Model", "Refund Data Model", "Webhook Signature" ---

const ddMMyyyyHHmmss = z.string().regex(/^(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{4}([01]\d|2[0-3])[0-5]\d[0-5]\d$/);
const mfDecimal = z.string().regex(/^\d+(\.\d+)?$/);
const mfTransaction = z.object({
  InvoiceId: z.number().int(),
  InvoiceReference: z.string(),
  CreatedDate: ddMMyyyyHHmmss,
  CustomerReference: z.string().nullable(),
  CustomerName: z.string().nullable(),
  CustomerMobile: z.string().nullable(),
  CustomerEmail: z.string().nullable(),
  TransactionStatus: z.enum(["SUCCESS", "FAILED", "CANCELED", "AUTHORIZE"]),
  PaymentMethod: z.string().nullable(),
  UserDefinedField: z.string().nullable(),
  ReferenceId: z.string().nullable(),
  TrackId: z.string().nullable(),
  PaymentId: z.string(),
  AuthorizationId: z.string().nullable(),
  InvoiceValueInBaseCurrency: mfDecimal,
  BaseCurrency: z.string(),
  InvoiceValueInDisplayCurreny: mfDecimal,
  DisplayCurrency: z.string(),
  InvoiceValueInPayCurrency: mfDecimal,
  PayCurrency: z.string(),
});
const mfRefund = z.object({
  // The doc types RefundId as a number; Settle's ids are strings (its documented choice).
  RefundId: z.union([z.number(), z.string()]),
  RefundReference: z.string().nullable(),
  CreatedDate: ddMMyyyyHHmmss,
  RefundStatus: z.enum(["REFUNDED", "CANCELED"]),
  Amount: mfDecimal,
  Comments: z.string().nullable(),
  InvoiceId: z.string(),
  InvoiceRefernce: z.string(),
  GatewayReference: z.object({
    PaymentId: z.string().nullable(),
    AuthorizationId: z.string().nullable(),
    ReferenceId: z.string().nullable(),
    TransactionId: z.string().nullable(),
    RefundAmount: mfDecimal.nullable(),
    Currency: z.string().nullable(),
    PaymentMethod: z.string().nullable(),
  }),
});
const mfEvent = z.discriminatedUnion("EventType", [
  z.object({ EventType: z.literal(1), Event: z.literal("TransactionsStatusChanged"), DateTime: ddMMyyyyHHmmss, CountryIsoCode: z.string().length(3), Data: mfTransaction }),
  z.object({ EventType: z.literal(2), Event: z.literal("RefundStatusChanged"), DateTime: ddMMyyyyHHmmss, CountryIsoCode: z.string().length(3), Data: mfRefund }),
]);

/** MyFatoorah's sample receiver: the signature over Data (GatewayReference unset for a refund), then the event by name. */
export function myFatoorahReceiver(opts: { secret: string }) {
  return serve(({ headers, body }) => {
    const raw = json(body) as { Event?: string; Data?: Record<string, unknown> } | undefined;
    if (!raw?.Data) return { ok: false, status: 400, why: "no Data" };
    const data = { ...raw.Data };
    if (raw.Event === "RefundStatusChanged") delete data.GatewayReference;
    if (mfSign(opts.secret, data) !== header(headers, "MyFatoorah-Signature")) return { ok: false, status: 401, why: "signature mismatch" };
    const parsed = mfEvent.safeParse(raw);
    if (!parsed.success) return { ok: false, status: 400, why: shapeError(parsed.error) };
    return { ok: true, parsed: parsed.data };
  });
}

// --- Foloosi: docs.foloosi.com/webhooks (no signature documented) ---

const foloosiWebhook = z.object({
  data: z.object({
    transfer: z.object({
      transaction_status: z.enum(["success", "failed"]),
      transaction_no: z.string().nullable(),
      payment_reference: z.string().nullable(),
      transaction_amount: z.string().regex(/^\d+(\.\d+)?$/),
      transaction_currency: z.string().length(3),
      transaction_message: z.string(),
      api: z.object({
        optional1: z.string(),
        optional2: z.string(),
        optional3: z.string(),
        customer_email: z.string(),
        customer_mobile: z.string(),
        card_last_four: z.string(),
      }),
    }),
  }),
});

/** A Foloosi receiver: the shape only (Foloosi signs nothing); with `standardSecret`, also the Standard Webhooks headers Settle adds. */
export function foloosiReceiver(opts: { standardSecret?: string } = {}) {
  return serve(({ headers, body }) => {
    const parsed = foloosiWebhook.safeParse(json(body));
    if (!parsed.success) return { ok: false, status: 400, why: shapeError(parsed.error) };
    if (opts.standardSecret) {
      try {
        new Webhook(opts.standardSecret).verify(body, {
          "webhook-id": String(header(headers, "webhook-id")),
          "webhook-timestamp": String(header(headers, "webhook-timestamp")),
          "webhook-signature": String(header(headers, "webhook-signature")),
        });
      } catch {
        return { ok: false, status: 401, why: "Standard Webhooks signature mismatch" };
      }
    }
    return { ok: true, parsed: parsed.data };
  });
}

// --- FuratPay: its WooCommerce plugin's IPN handler ---

const furatpayWebhook = z.object({
  type: z.string(),
  data: z.looseObject({ id: z.union([z.string(), z.number()]), code: z.string(), order_number: z.string(), status: z.string(), total: z.string() }),
});

/** The plugin's handle_ipn: a 5-minute timestamp window, the HMAC of id + code + order_number + timestamp, INVOICE_PAID / INVOICE_UPDATED only. */
export function furatpayReceiver(opts: { secret: string }) {
  return serve(({ headers, body }) => {
    const payload = json(body) as { type?: string; data?: { id?: unknown; code?: unknown; order_number?: unknown } } | undefined;
    if (!payload) return { ok: false, status: 400, why: "Invalid JSON received" };
    const ts = header(headers, "x-timestamp");
    if (!ts || Math.abs(Date.now() / 1000 - Number.parseInt(ts, 10)) > 300) return { ok: false, status: 400, why: "Invalid or expired timestamp" };
    const d = payload.data ?? {};
    if (signFuratPay(opts.secret, { id: d.id, code: d.code, order_number: d.order_number }, ts) !== header(headers, "x-signature")) {
      return { ok: false, status: 400, why: "Invalid payload signature or webhook secret" };
    }
    if (payload.type !== "INVOICE_PAID" && payload.type !== "INVOICE_UPDATED") return { ok: false, status: 400, why: "webhook type is ignored" };
    const parsed = furatpayWebhook.safeParse(payload);
    if (!parsed.success) return { ok: false, status: 400, why: shapeError(parsed.error) };
    return { ok: true, parsed: parsed.data, answer: JSON.stringify({ success: true }) };
  });
}
