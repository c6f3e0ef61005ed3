/**
 * MyFatoorah, played from its public docs (docs.myfatoorah.com): the v2 API
 * calls a merchant makes (SendPayment, getPaymentStatus, MakeRefund,
 * GetRefundStatus, bearer token), the hosted invoice page, refunds reviewed
 * (or made) in the portal, and Webhook V1 events (TransactionsStatusChanged,
 * RefundStatusChanged per the "Refund Data Model") signed as "Webhook
 * Signature" describes, sent to the endpoint set in the (simulated) portal.
 * Its own shapes only; nothing of Settle's. Usable from vitest and from Playwright.
 */
import { createHmac, randomInt } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody, sendJson } from "./http";

export interface SimTransaction {
  PaymentId: string;
  TransactionStatus: "Succss" | "Failed" | "InProgress" | "Canceled" | "Authorize";
  /** Decimal text in the invoice's currency, as the docs' samples write it. */
  TransationValue: string;
  PaymentGateway: string;
  CardNumber: string | null;
  Error: string | null;
  TransactionDate: string;
}

export interface SimInvoice {
  InvoiceId: number;
  /** The raw JSON number sent as InvoiceValue, exactly as it arrived ("12.345"). */
  invoiceValueText: string;
  currency: string;
  customerName: string;
  customerReference: string | null;
  userDefinedField: string | null;
  callBackUrl: string;
  errorUrl: string;
  language: string;
  createdAt: Date;
  transactions: SimTransaction[];
}

export interface SimRefund {
  RefundId: number;
  RefundReference: string;
  paymentId: string;
  invoiceId: number;
  /** Decimal text in the account's currency, as MakeRefund's Amount arrived (or the portal's). */
  amountText: string;
  comment: string | null;
  externalIdentifier: string | null;
  /** GetRefundStatus's spelling; the webhook writes REFUNDED / CANCELED. */
  status: "Pending" | "Refunded" | "Canceled";
  createdAt: Date;
  /** Made by the merchant in the portal, not through MakeRefund. */
  fromPortal: boolean;
}

/** How MakeRefund answers: accept (a refund request to review), refuse with a validation error, or fail with a 500. */
export type RefundAnswer = "accept" | { refuse: { Name: string; Error: string } } | "server-error";

export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}
export type Deliver = (delivery: Delivery) => Promise<{ status: number; body: string }>;

export interface MyFatoorahSimulatorOptions {
  apiKey: string;
  webhookSecret: string;
  /** The portal's webhook endpoint (Integration Settings → Webhook Settings); can be set later. */
  webhookUrl?: string;
  /** How an event reaches Settle: an HTTP POST by default; vitest passes one that calls the handler in-process. */
  deliver?: Deliver;
  countryIsoCode?: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
/** "ddMMyyyyHHmmss", as Webhook V1 writes DateTime and CreatedDate. */
export const mfDate = (d: Date) =>
  `${pad(d.getUTCDate())}${pad(d.getUTCMonth() + 1)}${d.getUTCFullYear()}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

/**
 * The signature, written from the doc independently of the connector: Data's
 * properties by name in alphabetical order ignoring case, `key=value` joined
 * by commas, null as "", HMAC-SHA256 with the secret key, base64.
 */
export function mfSign(secret: string, data: Record<string, unknown>): string {
  const keys = Object.keys(data).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), "en"));
  const text = keys.map((k) => `${k}=${data[k] === null || data[k] === undefined ? "" : String(data[k])}`).join(",");
  return createHmac("sha256", secret).update(text, "utf8").digest("base64");
}

/** Decimals of the currencies of MyFatoorah's countries (ISO 4217). */
const decimals: Record<string, number> = { KWD: 3, BHD: 3, OMR: 3, JOD: 3, SAR: 2, AED: 2, QAR: 2, EGP: 2 };

/** A plain decimal ("5.25") as whole minor units, in text arithmetic (no float). */
const minorOf = (text: string, exponent: number) => {
  const [whole, frac = ""] = text.split(".");
  return BigInt(whole!) * 10n ** BigInt(exponent) + BigInt((frac + "0".repeat(exponent)).slice(0, exponent) || "0");
};

const httpDeliver: Deliver = async ({ url, headers, body }) => {
  const res = await fetch(url, { method: "POST", headers, body });
  return { status: res.status, body: await res.text() };
};

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);


const json = (res: ServerResponse, status: number, body: unknown) => sendJson(res, status, body, "application/json; charset=utf-8");
const apiError = (res: ServerResponse, status: number, message: string, validation: Array<{ Name: string; Error: string }> | null = null) =>
  json(res, status, { IsSuccess: false, Message: message, ValidationErrors: validation, Data: null });

export async function startMyFatoorahSimulator(options: MyFatoorahSimulatorOptions) {
  const invoices = new Map<number, SimInvoice>();
  const deliveries: Array<Delivery & { response?: { status: number; body: string } }> = [];
  const requests: Array<{ path: string; authorization: string | undefined; body: string }> = [];
  const refunds = new Map<number, SimRefund>();
  let nextInvoice = 586170;
  let nextRefund = 2840;
  let refundAnswer: RefundAnswer = "accept";
  let down = false;
  let webhookUrl = options.webhookUrl;
  const deliver = options.deliver ?? httpDeliver;

  function transactionData(inv: SimInvoice, tx: SimTransaction) {
    // Transaction Data Model, in the doc's order; values as its sample writes them.
    return {
      InvoiceId: inv.InvoiceId,
      InvoiceReference: `2026${pad(inv.InvoiceId % 1_000_000, 6)}`,
      CreatedDate: mfDate(inv.createdAt),
      CustomerReference: inv.customerReference,
      CustomerName: inv.customerName,
      CustomerMobile: "96512345678",
      CustomerEmail: null,
      TransactionStatus: tx.TransactionStatus === "Succss" ? "SUCCESS" : tx.TransactionStatus === "Failed" ? "FAILED" : tx.TransactionStatus.toUpperCase(),
      PaymentMethod: tx.PaymentGateway,
      UserDefinedField: inv.userDefinedField,
      ReferenceId: `1063${tx.PaymentId.slice(-8)}`,
      TrackId: `${mfDate(inv.createdAt).slice(0, 8)}_${tx.PaymentId.slice(-6)}`,
      PaymentId: tx.PaymentId,
      AuthorizationId: tx.TransactionStatus === "Succss" ? "B68413" : null,
      InvoiceValueInBaseCurrency: inv.invoiceValueText,
      BaseCurrency: inv.currency,
      InvoiceValueInDisplayCurreny: inv.invoiceValueText,
      DisplayCurrency: inv.currency,
      InvoiceValueInPayCurrency: inv.invoiceValueText,
      PayCurrency: inv.currency,
    };
  }

  /** Sends one Webhook V1 event, signed (or tampered with, to play a forger). */
  async function sendEvent(event: { EventType: number; Event: string; Data: Record<string, unknown> }, opts: { signature?: string; tamper?: (body: Record<string, unknown>) => void } = {}) {
    if (!webhookUrl) throw new Error("no webhook endpoint is set in the portal");
    const body: Record<string, unknown> = { EventType: event.EventType, Event: event.Event, DateTime: mfDate(new Date()), CountryIsoCode: options.countryIsoCode ?? "KWT", Data: event.Data };
    const signature = opts.signature ?? mfSign(options.webhookSecret, stripForSignature(event.Event, event.Data));
    opts.tamper?.(body);
    const delivery: Delivery = { url: webhookUrl, headers: { "content-type": "application/json", "MyFatoorah-Signature": signature }, body: JSON.stringify(body) };
    const entry: (typeof deliveries)[number] = { ...delivery };
    deliveries.push(entry);
    entry.response = await deliver(delivery);
    return entry.response;
  }

  const stripForSignature = (event: string, data: Record<string, unknown>) => {
    if (event !== "RefundStatusChanged") return data;
    const { GatewayReference: _left, ...rest } = data;
    return rest;
  };

  /** The TransactionsStatusChanged event for one transaction (sent again, or with another status, to play the docs' "two events"). */
  async function sendTransactionEvent(paymentId: string, opts: { status?: string; signature?: string; tamper?: (body: Record<string, unknown>) => void } = {}) {
    const found = findTransaction(paymentId);
    if (!found) throw new Error(`no transaction ${paymentId}`);
    const data: Record<string, unknown> = transactionData(found.invoice, found.tx);
    if (opts.status) data.TransactionStatus = opts.status;
    return sendEvent({ EventType: 1, Event: "TransactionsStatusChanged", Data: data }, opts);
  }

  /** A refund's Data as the "Refund Data Model" lists it (RefundId a number, Amount and InvoiceId strings). */
  function refundData(refund: SimRefund, opts: { withExternalIdentifier?: boolean }) {
    const found = findTransaction(refund.paymentId)!;
    return {
      RefundId: refund.RefundId,
      RefundReference: refund.RefundReference,
      CreatedDate: mfDate(refund.createdAt),
      RefundStatus: refund.status === "Refunded" ? "REFUNDED" : "CANCELED",
      Amount: refund.amountText,
      Comments: refund.comment,
      InvoiceId: String(refund.invoiceId),
      InvoiceRefernce: `2026${pad(refund.invoiceId % 1_000_000, 6)}`,
      // Not in the V1 model; MakeRefund's doc says its ExternalIdentifier "will be received in the webhook".
      ...(opts.withExternalIdentifier ? { ExternalIdentifier: refund.externalIdentifier } : {}),
      GatewayReference: {
        PaymentId: refund.paymentId,
        AuthorizationId: "B68413",
        ReferenceId: `1063${refund.paymentId.slice(-8)}`,
        TransactionId: String(refund.RefundId * 7),
        RefundAmount: refund.amountText,
        Currency: found.invoice.currency,
        PaymentMethod: found.tx.PaymentGateway,
      },
    };
  }

  /**
   * MyFatoorah ends a refund (its review, or the bank's answer): REFUNDED or
   * CANCELED, and the RefundStatusChanged event for it. Sent again as is when
   * the refund has ended already (a repeat).
   */
  async function endRefund(refundId: number, status: "REFUNDED" | "CANCELED", opts: { withExternalIdentifier?: boolean; comments?: string | null } = {}) {
    const refund = refunds.get(refundId);
    if (!refund) throw new Error(`no refund ${refundId}`);
    if (refund.status === "Pending") refund.status = status === "REFUNDED" ? "Refunded" : "Canceled";
    if (opts.comments !== undefined) refund.comment = opts.comments;
    return sendEvent({ EventType: 2, Event: "RefundStatusChanged", Data: refundData(refund, opts) });
  }

  /** What a transaction can still give back, in minor units: its value less its refunds that are not canceled. */
  function refundableOf(paymentId: string, exponent: number): bigint {
    const found = findTransaction(paymentId)!;
    const taken = [...refunds.values()].filter((r) => r.paymentId === paymentId && r.status !== "Canceled").reduce((sum, r) => sum + minorOf(r.amountText, exponent), 0n);
    return minorOf(found.tx.TransationValue, exponent) - taken;
  }

  /** A refund the merchant makes in MyFatoorah's portal (not through MakeRefund): pending until `endRefund`. */
  function portalRefund(paymentId: string, amountText: string, comment: string | null = null) {
    const found = findTransaction(paymentId);
    if (!found) throw new Error(`no transaction ${paymentId}`);
    return openRefund(found, amountText, comment, null, true);
  }

  function openRefund(found: { invoice: SimInvoice; tx: SimTransaction }, amountText: string, comment: string | null, externalIdentifier: string | null, fromPortal: boolean) {
    const refund: SimRefund = {
      RefundId: nextRefund++,
      RefundReference: `2026${pad(nextRefund % 1_000_000, 6)}`,
      paymentId: found.tx.PaymentId,
      invoiceId: found.invoice.InvoiceId,
      amountText,
      comment,
      externalIdentifier,
      status: "Pending",
      createdAt: new Date(),
      fromPortal,
    };
    refunds.set(refund.RefundId, refund);
    return refund;
  }

  function findTransaction(paymentId: string) {
    for (const invoice of invoices.values()) {
      const tx = invoice.transactions.find((t) => t.PaymentId === paymentId);
      if (tx) return { invoice, tx };
    }
    return undefined;
  }

  /** The customer pays (or fails to) on the hosted page: a transaction, its webhook, then the browser goes back. */
  async function attempt(invoiceId: number, outcome: { status: SimTransaction["TransactionStatus"]; value?: string; error?: string; card?: string; gateway?: string }) {
    const inv = invoices.get(invoiceId);
    if (!inv) throw new Error(`no invoice ${invoiceId}`);
    const tx: SimTransaction = {
      PaymentId: `0708${String(invoiceId)}${String(randomInt(10_000_000, 99_999_999))}`,
      TransactionStatus: outcome.status,
      TransationValue: outcome.value ?? inv.invoiceValueText,
      PaymentGateway: outcome.gateway ?? "VISA/MASTER",
      CardNumber: outcome.card ?? "450875xxxxxx1019",
      Error: outcome.error ?? (outcome.status === "Succss" ? null : "Declined by the issuer"),
      TransactionDate: new Date().toISOString().slice(0, 19),
    };
    inv.transactions.push(tx);
    const webhook = webhookUrl ? await sendTransactionEvent(tx.PaymentId) : undefined;
    const back = new URL(tx.TransactionStatus === "Succss" ? inv.callBackUrl : inv.errorUrl);
    back.searchParams.set("paymentId", tx.PaymentId);
    back.searchParams.set("Id", tx.PaymentId);
    return { paymentId: tx.PaymentId, redirect: back.toString(), webhook };
  }

  /** MakeRefund: the doc's request model checked field by field, then a refund request to review (or the answer a test asked for). */
  function makeRefund(res: ServerResponse, input: Record<string, unknown>, body: string) {
    if (refundAnswer === "server-error") return apiError(res, 500, "An error has occurred.");
    const errors: Array<{ Name: string; Error: string }> = [];
    if (input.KeyType !== "PaymentId" && input.KeyType !== "InvoiceId") errors.push({ Name: "KeyType", Error: "KeyType must be InvoiceId or PaymentId" });
    if (typeof input.Key !== "string" || !input.Key.trim()) errors.push({ Name: "Key", Error: "Key is required" });
    // "Amount: decimal": a JSON number, read from the text as it arrived (never through a float).
    const amountText = /"Amount"\s*:\s*(-?[0-9.eE+-]+)\s*[,}]/.exec(body)?.[1];
    if (!amountText || !/^\d+(\.\d+)?$/.test(amountText) || !(Number(amountText) > 0)) errors.push({ Name: "Amount", Error: "Amount must be a decimal greater than zero" });
    if (typeof input.ServiceChargeOnCustomer !== "boolean") errors.push({ Name: "ServiceChargeOnCustomer", Error: "ServiceChargeOnCustomer must be true or false" });
    if (input.RefundChargeOnCustomer !== undefined && typeof input.RefundChargeOnCustomer !== "boolean") errors.push({ Name: "RefundChargeOnCustomer", Error: "RefundChargeOnCustomer must be true or false" });
    for (const f of ["Comment", "ExternalIdentifier"]) {
      if (input[f] !== undefined && input[f] !== null && typeof input[f] !== "string") errors.push({ Name: f, Error: `${f} must be a string` });
    }
    if (errors.length) return apiError(res, 400, "Invalid data", errors);
    if (typeof refundAnswer === "object") return apiError(res, 400, "Invalid data", [refundAnswer.refuse]);

    const key = String(input.Key).trim();
    const found =
      input.KeyType === "PaymentId"
        ? findTransaction(key)
        : (() => {
            const invoice = invoices.get(Number(key));
            const tx = invoice?.transactions.find((t) => t.TransactionStatus === "Succss");
            return invoice && tx ? { invoice, tx } : undefined;
          })();
    if (!found) return apiError(res, 400, "Invalid Key", [{ Name: "Key", Error: "No data match" }]);
    if (found.tx.TransactionStatus !== "Succss") return apiError(res, 400, "Invalid data", [{ Name: "Key", Error: "Only a paid transaction can be refunded" }]);
    const exponent = decimals[found.invoice.currency] ?? 2;
    const [, frac = ""] = amountText!.split(".");
    if (frac.replace(/0+$/, "").length > exponent) return apiError(res, 400, "Invalid data", [{ Name: "Amount", Error: `Amount has more than ${exponent} decimals` }]);
    if (minorOf(amountText!, exponent) > refundableOf(found.tx.PaymentId, exponent)) return apiError(res, 400, "Invalid data", [{ Name: "Amount", Error: "The refund amount is more than the available amount" }]);

    const refund = openRefund(found, amountText!, (input.Comment as string | null | undefined) ?? null, (input.ExternalIdentifier as string | null | undefined) ?? null, false);
    return json(res, 200, {
      IsSuccess: true,
      Message: "Refund request submitted",
      ValidationErrors: null,
      Data: { Key: key, RefundId: refund.RefundId, RefundReference: refund.RefundReference, Amount: Number(amountText), Comment: refund.comment },
    });
  }

  /** GetRefundStatus: `{KeyType: "RefundId" | "InvoiceId", Key}` → Data.RefundStatusResult[]. */
  function refundStatus(res: ServerResponse, input: Record<string, unknown>) {
    const key = String(input.Key ?? "");
    const list =
      input.KeyType === "RefundId"
        ? [refunds.get(Number(key))].filter((r): r is SimRefund => !!r)
        : input.KeyType === "InvoiceId"
          ? [...refunds.values()].filter((r) => String(r.invoiceId) === key)
          : undefined;
    if (!list) return apiError(res, 400, "Invalid data", [{ Name: "KeyType", Error: "KeyType must be RefundId or InvoiceId" }]);
    if (!list.length) return apiError(res, 400, "Invalid Key", [{ Name: "Key", Error: "No data match" }]);
    return json(res, 200, {
      IsSuccess: true,
      Message: "",
      ValidationErrors: null,
      Data: {
        RefundStatusResult: list.map((r) => ({
          RefundId: r.RefundId,
          RefundStatus: r.status,
          InvoiceId: r.invoiceId,
          Amount: Number(r.amountText),
          RefundReference: r.RefundReference,
          ExternalIdentifier: r.externalIdentifier,
          RefundAmount: Number(r.amountText),
          BaseCurrency: findTransaction(r.paymentId)!.invoice.currency,
        })),
      },
    });
  }

  const invoiceStatus = (inv: SimInvoice) => (inv.transactions.some((t) => t.TransactionStatus === "Succss") ? "Paid" : "Pending");

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = req.method === "POST" ? await readBody(req) : "";
      const page = /^\/invoice\/(\d+)(?:\/(pay|decline))?$/.exec(url.pathname);
      if (page) {
        const inv = invoices.get(Number(page[1]));
        if (!inv) return apiError(res, 404, "Invoice not found");
        if (!page[2]) {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          return res.end(`<!doctype html><html lang="${html(inv.language)}"><head><title>MyFatoorah invoice ${inv.InvoiceId}</title></head><body>
<h1>Invoice ${inv.InvoiceId}</h1><p>Amount due: <span data-testid="amount">${html(inv.invoiceValueText)} ${html(inv.currency)}</span></p>
<form method="post" action="/invoice/${inv.InvoiceId}/pay"><label>Amount to pay <input name="amount" value="${html(inv.invoiceValueText)}"></label>
<label>Card number <input name="card" value="4508 7500 0000 1019"></label><button type="submit">Pay</button></form>
<form method="post" action="/invoice/${inv.InvoiceId}/decline"><button type="submit">Decline</button></form></body></html>`);
        }
        const form = new URLSearchParams(body);
        const card = (form.get("card") ?? "").replace(/\D/g, "");
        const masked = card.length >= 10 ? `${card.slice(0, 6)}xxxxxx${card.slice(-4)}` : undefined;
        const done =
          page[2] === "pay"
            ? await attempt(inv.InvoiceId, { status: "Succss", value: form.get("amount")?.trim() || undefined, card: masked })
            : await attempt(inv.InvoiceId, { status: "Failed", card: masked });
        res.writeHead(302, { location: done.redirect });
        return res.end();
      }

      const call = url.pathname.toLowerCase();
      if (call === "/v2/sendpayment" || call === "/v2/getpaymentstatus" || call === "/v2/makerefund" || call === "/v2/getrefundstatus") {
        requests.push({ path: url.pathname, authorization: req.headers.authorization, body });
        if (down) return apiError(res, 503, "Service Unavailable");
        if (req.method !== "POST") return apiError(res, 405, "Method not allowed");
        if (req.headers.authorization !== `Bearer ${options.apiKey}`) return apiError(res, 401, "Unauthorized");
        let input: Record<string, unknown>;
        try {
          input = JSON.parse(body) as Record<string, unknown>;
        } catch {
          return apiError(res, 400, "Invalid JSON");
        }
        if (call === "/v2/makerefund") return makeRefund(res, input, body);
        if (call === "/v2/getrefundstatus") return refundStatus(res, input);
        if (url.pathname === "/v2/SendPayment") {
          const valueText = /"InvoiceValue"\s*:\s*(-?[0-9.eE+-]+)/.exec(body)?.[1];
          const errors: Array<{ Name: string; Error: string }> = [];
          if (!valueText || !(Number(valueText) > 0)) errors.push({ Name: "InvoiceValue", Error: "Invoice value must be greater than zero" });
          for (const f of ["CustomerName", "NotificationOption", "CallBackUrl", "ErrorUrl", "DisplayCurrencyIso"]) {
            if (typeof input[f] !== "string" || !input[f]) errors.push({ Name: f, Error: `${f} is required` });
          }
          if (errors.length) return apiError(res, 400, "Invalid data", errors);
          const inv: SimInvoice = {
            InvoiceId: nextInvoice++,
            invoiceValueText: valueText!,
            currency: String(input.DisplayCurrencyIso),
            customerName: String(input.CustomerName),
            customerReference: (input.CustomerReference as string | undefined) ?? null,
            userDefinedField: (input.UserDefinedField as string | undefined) ?? null,
            callBackUrl: String(input.CallBackUrl),
            errorUrl: String(input.ErrorUrl),
            language: String(input.Language ?? "en"),
            createdAt: new Date(),
            transactions: [],
          };
          invoices.set(inv.InvoiceId, inv);
          return json(res, 200, {
            IsSuccess: true,
            Message: "Invoice Created Successfully!",
            ValidationErrors: null,
            Data: { InvoiceId: inv.InvoiceId, InvoiceURL: `${base}/invoice/${inv.InvoiceId}`, CustomerReference: inv.customerReference, UserDefinedField: inv.userDefinedField },
          });
        }
        const key = String(input.Key ?? "");
        const inv =
          input.KeyType === "InvoiceId"
            ? invoices.get(Number(key))
            : input.KeyType === "PaymentId"
              ? findTransaction(key)?.invoice
              : input.KeyType === "CustomerReference"
                ? [...invoices.values()].find((i) => i.customerReference === key)
                : undefined;
        if (!inv) return apiError(res, 400, "Invalid Key", [{ Name: "Key", Error: "No data match" }]);
        return json(res, 200, {
          IsSuccess: true,
          Message: "",
          ValidationErrors: null,
          Data: {
            InvoiceId: inv.InvoiceId,
            InvoiceStatus: invoiceStatus(inv),
            InvoiceReference: `2026${pad(inv.InvoiceId % 1_000_000, 6)}`,
            CustomerReference: inv.customerReference,
            CreatedDate: inv.createdAt.toISOString().slice(0, 19),
            ExpiryDate: "",
            InvoiceValue: Number(inv.invoiceValueText),
            Comments: null,
            CustomerName: inv.customerName,
            CustomerMobile: "+965 12345678",
            CustomerEmail: null,
            UserDefinedField: inv.userDefinedField,
            InvoiceDisplayValue: `${inv.invoiceValueText} ${inv.currency}`,
            InvoiceItems: [],
            InvoiceTransactions: inv.transactions.map((t) => ({
              TransactionDate: t.TransactionDate,
              PaymentGateway: t.PaymentGateway,
              ReferenceId: `1063${t.PaymentId.slice(-8)}`,
              TrackId: t.PaymentId.slice(-6),
              TransactionId: t.PaymentId.slice(-7),
              PaymentId: t.PaymentId,
              AuthorizationId: t.TransactionStatus === "Succss" ? "B68413" : null,
              TransactionStatus: t.TransactionStatus,
              TransationValue: t.TransationValue,
              CustomerServiceCharge: "0.000",
              DueValue: t.TransationValue,
              PaidCurrency: inv.currency,
              PaidCurrencyValue: t.TransationValue,
              Currency: inv.currency,
              Error: t.Error,
              CardNumber: t.CardNumber,
              ErrorCode: t.Error ? "MF001" : "",
            })),
            Suppliers: [],
          },
        });
      }
      apiError(res, 404, "Not found");
    })().catch((err: unknown) => {
      if (!res.headersSent) apiError(res, 500, (err as Error).message);
      else res.end();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    invoices,
    deliveries,
    requests,
    /** The portal's webhook endpoint. */
    setWebhookUrl: (next: string) => {
      webhookUrl = next;
    },
    /** Down: every API call answers 503 (the status pull fails); the hosted page and webhooks still work. */
    setDown: (next: boolean) => {
      down = next;
    },
    attempt,
    sendTransactionEvent,
    refunds,
    portalRefund,
    endRefund,
    /** How MakeRefund answers from now on (accept by default). */
    setRefundAnswer: (next: RefundAnswer) => {
      refundAnswer = next;
    },
    sendEvent,
    /** Sends an earlier event again, as MyFatoorah's retry does. */
    redeliver: async (index: number) => {
      const d = deliveries[index];
      if (!d) throw new Error(`no delivery ${index}`);
      const again = { url: d.url, headers: d.headers, body: d.body };
      deliveries.push({ ...again });
      const response = await deliver(again);
      deliveries[deliveries.length - 1]!.response = response;
      return response;
    },
    /** Changes what getPaymentStatus says about a transaction (a gateway that contradicts itself). */
    setTransactionStatus: (paymentId: string, status: SimTransaction["TransactionStatus"], error?: string) => {
      const found = findTransaction(paymentId);
      if (!found) throw new Error(`no transaction ${paymentId}`);
      found.tx.TransactionStatus = status;
      if (error !== undefined) found.tx.Error = error;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type MyFatoorahSimulator = Awaited<ReturnType<typeof startMyFatoorahSimulator>>;
