import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { type NotificationOutcome, type PaymentLink, paymentLinks, type PaymentService, providerNotifications } from "@/db/schema";
import { connectorFor } from "@/lib/connectors";
import type { Acknowledgement, Connector, NotificationFacts, RefundNotice, ServiceContext, Verification } from "@/lib/connectors/types";
import { AppError, toErrorBody } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log/logger";
import { loggedRoute } from "@/lib/log/route";
import { maskPans } from "@/lib/log/redact";
import type { CurrencyCode } from "@/lib/money";
import { recordPayment } from "@/lib/payments/record";
import { recordRefundNotice } from "@/lib/refunds/notices";
import { codeFromRemark } from "@/lib/payment-links/code";
import { expireDueLinks } from "@/lib/payment-links/lifecycle";
import { findServiceById, serviceContext } from "./services";
import { bodyHasUnstorableText, containsUnstorableText, storableText } from "@/lib/storable-text";
import { storeRefusedNotification } from "./refused-notifications";
import { linkIdOfSession } from "./sessions";

export const MAX_NOTIFICATION_BYTES = 64 * 1024;
const REDACTED_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

export interface NotifyResponse {
  status: number;
  body: Record<string, unknown>;
  /** The gateway's own expected answer, when its connector has one. */
  ack?: Acknowledgement;
}

function refusal(status: number, code: string, message: string, context: Record<string, unknown> = {}): NotifyResponse {
  log.warn({ ...context, status, code, reason: message }, "provider notification refused");
  return { status, body: { error: { code, message } } };
}

/** The request's headers as kept: credentials never, card numbers masked, text Postgres refuses escaped. */
function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[storableText(name)] = REDACTED_HEADERS.has(name) ? "[redacted]" : storableText(maskPans(value));
  });
  return out;
}

type NotificationRow = typeof providerNotifications.$inferInsert;

/**
 * Every row this handler stores passes here: no full card number in any text
 * field (what the provider wrote, what a connector said about it), and no
 * text Postgres refuses. The provider's reference is escaped, never masked:
 * it is an identifier (the ledger's idempotency key), not a card number.
 */
function cleanRow(row: NotificationRow): NotificationRow {
  const text = (v: string | null | undefined) => (typeof v === "string" ? storableText(maskPans(v)) : v);
  return {
    ...row,
    message: text(row.message),
    remark: text(row.remark),
    currency: text(row.currency),
    providerRef: typeof row.providerRef === "string" ? storableText(row.providerRef) : row.providerRef,
  };
}

/** What a notification's facts put on its row; an amount only when the bigint column can hold it. */
function factColumns(facts: NotificationFacts): Partial<NotificationRow> {
  return {
    providerRef: facts.providerRef,
    amount: Number.isSafeInteger(facts.amount) ? facts.amount : null,
    currency: facts.currency ?? null,
    remark: facts.remark ?? null,
  };
}

/** A card number in what a provider wrote is masked the moment it enters (PCI DSS), before anything reads it. */
function maskFacts(facts: NotificationFacts): NotificationFacts {
  return {
    ...facts,
    ...(facts.message !== undefined ? { message: maskPans(facts.message) } : {}),
    ...(facts.remark !== undefined ? { remark: maskPans(facts.remark) } : {}),
  };
}

/** A connector that throws on what it was sent has refused it: a 400 kept for staff, never a 500. */
async function verify(connector: Connector, ctx: ServiceContext, request: { headers: Headers; body: string }, where: Record<string, unknown>): Promise<Verification> {
  try {
    return await connector.verifyNotification(ctx, request);
  } catch (err) {
    log.error({ ...where, err }, "provider notification: the connector failed to read it");
    return { ok: false, status: 400, message: "The notification could not be read." };
  }
}

/** Postgres refused a value (a data exception, SQLSTATE class 22, or JSON nested past its stack): the input's fault. */
function refusedByPostgres(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (code.startsWith("22") || code === "54001")) return true;
  }
  return false;
}

export const SERVICE_TURNED_OFF = "This payment service is turned off.";
export const UNSTORABLE_TEXT = "The notification contains text that cannot be stored (a NUL character or a lone UTF-16 surrogate).";

async function findLink(db: Database, service: PaymentService, facts: NotificationFacts): Promise<PaymentLink | undefined> {
  const merchantId = service.merchantId;
  const code = facts.linkCode ?? (facts.remark !== undefined ? codeFromRemark(facts.remark) : null);
  // A gateway session (Settle's id given as the gateway's order reference, or the gateway's own id) names its link.
  const linkId = facts.paymentLinkId ?? (facts.sessionRef ? await linkIdOfSession(db, service.id, facts.sessionRef) : undefined);
  const by = linkId ? eq(paymentLinks.id, linkId) : code ? eq(paymentLinks.code, code) : null;
  if (!by) return undefined;
  const [link] = await db.select().from(paymentLinks).where(and(eq(paymentLinks.merchantId, merchantId), by));
  if (link?.status === "active" && link.expiresAt <= new Date()) {
    // Expire first, so the merchant sees `payment_link.expired` before the late payment.
    await expireDueLinks(db, { merchantId, linkId: link.id });
    return (await db.select().from(paymentLinks).where(eq(paymentLinks.id, link.id)))[0];
  }
  return link;
}

/**
 * /api/providers/{serviceId}/notify: signature (401) before anything else,
 * then whether the service is on (403), the text (400), the body's shape
 * (400); unsigned connectors' callbacks only trigger a status lookup; then
 * the facts' amount (400: never a payment of zero). Each refusal is kept for
 * staff as `rejected`, with its reason, within the caps of
 * refused-notifications.ts. Money always goes through recordPayment, so a
 * repeat is a no-op and a late success wins. Each notification is stored with
 * what it led to, in the payment's transaction; every stored field has card
 * numbers masked and text Postgres refuses escaped.
 * Called with a plain handle, not inside a transaction (see the catch below).
 */
export async function handleProviderNotification(db: Database, serviceId: string, request: Request): Promise<NotifyResponse> {
  const service: PaymentService | undefined = /^svc_[0-9a-z]{26}$/.test(serviceId) ? await findServiceById(db, serviceId) : undefined;
  if (!service) return refusal(404, "not_found", "No payment service with this id.");
  const response = await handleForService(db, service, request);
  const ack = connectorFor(service.kind).acknowledge?.(response);
  return ack ? { ...response, ack } : response;
}

async function handleForService(db: Database, service: PaymentService, request: Request): Promise<NotifyResponse> {
  const where = { serviceId: service.id, merchantId: service.merchantId };
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_NOTIFICATION_BYTES) return refusal(413, "payload_too_large", "Notifications are at most 64 KiB.", where);
  const raw = await request.text();
  if (Buffer.byteLength(raw) > MAX_NOTIFICATION_BYTES) return refusal(413, "payload_too_large", "Notifications are at most 64 KiB.", where);

  // Kept for support staff, but never a full card number (PCI DSS), nor a NUL: the signature was checked on what arrived.
  const base = { id: newId("ntf"), merchantId: service.merchantId, serviceId: service.id, headers: headerRecord(request.headers), body: storableText(maskPans(raw)) };
  /** A refusal kept as `rejected` (or a failed lookup's `error`) unless the service is over its cap; answered the same either way. */
  const refuse = async (status: number, code: string, message: string, extra: Partial<NotificationRow> = {}) => {
    const stored = await storeRefusedNotification(db, cleanRow({ ...base, outcome: "rejected", message, ...extra }));
    if (!stored) log.warn({ ...where, status }, "provider notification refused and not kept: the service's cap on refused notifications is reached");
    return refusal(status, code, message, { ...where, ...(stored ? { notificationId: base.id } : { kept: false }) });
  };

  try {
    return await handleVerified(db, service, { request, raw, base, where, refuse });
  } catch (err) {
    // Whatever got past the checks and still made Postgres refuse a value is the sender's text, not our fault.
    if (!refusedByPostgres(err)) throw err;
    log.warn({ ...where, err }, "provider notification: Postgres refused a value");
    return refuse(400, "bad_request", UNSTORABLE_TEXT, { id: newId("ntf") });
  }
}

interface Received {
  request: Request;
  raw: string;
  base: { id: string; merchantId: string; serviceId: string; headers: Record<string, string>; body: string };
  where: { serviceId: string; merchantId: string };
  refuse: (status: number, code: string, message: string, extra?: Partial<NotificationRow>) => Promise<NotifyResponse>;
}

async function handleVerified(db: Database, service: PaymentService, { request, raw, base, where, refuse }: Received): Promise<NotifyResponse> {
  const ctx = serviceContext(service);
  const connector = connectorFor(service.kind);
  const verification = await verify(connector, ctx, { headers: request.headers, body: raw }, where);

  if (!verification.ok && verification.status === 401) return refuse(401, "unauthenticated", verification.message);
  const signed = verification.ok && "facts" in verification ? verification.facts : undefined;
  const signedColumns = signed ? { verifiedBy: "signature" as const, ...factColumns(signed) } : {};
  // Authentic or not yet known, a turned-off service records nothing, and asks its provider nothing.
  if (!service.enabled) {
    return refuse(403, "forbidden", SERVICE_TURNED_OFF, verification.ok && "lookup" in verification ? { providerRef: verification.lookup } : signedColumns);
  }
  // Before the body's shape: a NUL byte makes the JSON invalid, and the sender should hear the real reason.
  if (bodyHasUnstorableText(raw)) return refuse(400, "bad_request", UNSTORABLE_TEXT, signedColumns);
  if (!verification.ok) return refuse(400, "bad_request", verification.message);

  if ("ignored" in verification) {
    await db.insert(providerNotifications).values(cleanRow({ ...base, verifiedBy: "signature", outcome: "ignored", message: verification.ignored }));
    return { status: 200, body: { received: true, outcome: "ignored" } };
  }
  if ("refund" in verification) return handleRefundNotice(db, service, verification.refund, { base, where, refuse });

  let facts: NotificationFacts;
  let verifiedBy: "signature" | "status" = "signature";
  if ("lookup" in verification) {
    verifiedBy = "status";
    try {
      if (!connector.fetchStatus) throw new Error("This connector cannot look up a transaction.");
      facts = await connector.fetchStatus(ctx, verification.lookup);
    } catch (err) {
      // Verified by nothing (an unsigned callback naming a made-up id ends here too): capped like a rejected one.
      const stored = await storeRefusedNotification(db, cleanRow({ ...base, outcome: "error", providerRef: verification.lookup, message: (err as Error).message }));
      log.warn({ ...where, err, kept: stored }, "provider status lookup failed");
      // 502: the provider's retry is our next chance to confirm the payment.
      return refusal(502, "status_unavailable", "The transaction's status could not be confirmed; send the callback again later.", where);
    }
  } else {
    facts = verification.facts;
  }

  const checked = { verifiedBy, ...factColumns(facts) };
  // The facts a status lookup brought back are text from outside too.
  if (containsUnstorableText(facts)) return refuse(400, "bad_request", UNSTORABLE_TEXT, checked);
  facts = maskFacts(facts);
  if (!Number.isSafeInteger(facts.amount) || facts.amount <= 0) {
    return refuse(400, "bad_request", `The amount must be a whole number of minor units greater than zero; the notification says ${String(facts.amount)}.`, checked);
  }

  const known = {
    ...base,
    verifiedBy,
    providerRef: facts.providerRef,
    amount: facts.amount,
    currency: facts.currency ?? null,
    remark: facts.remark ?? null,
  };
  const store = async (tx: Database, outcome: NotificationOutcome, extra: Partial<NotificationRow> = {}) => {
    await tx.insert(providerNotifications).values(cleanRow({ ...known, outcome, ...extra }));
    log.info(
      { ...where, notificationId: known.id, outcome, providerRef: facts.providerRef, paymentStatus: facts.status, amount: facts.amount, paymentLinkId: extra.paymentLinkId, paymentId: extra.paymentId },
      "provider notification",
    );
    return { status: 200, body: { received: true, outcome, ...(extra.paymentId ? { payment_id: extra.paymentId } : {}) } };
  };

  const link = await findLink(db, service, facts);
  // Never dropped: staff assign an unmatched transfer to an invoice by hand.
  if (!link) return store(db, "unmatched", { message: "No payment link matches this notification." });
  const linkRefs = { paymentLinkId: link.id, invoiceId: link.invoiceId };
  if (facts.currency && facts.currency !== link.currency) {
    return store(db, "currency_mismatch", { ...linkRefs, message: `Paid in ${facts.currency}; the link is in ${link.currency}.` });
  }

  // The payment and its notification commit together. A refusal rolls the whole
  // transaction back before its "error" row is stored on `db`: so `db` must be a
  // plain handle (the route's, the seed's), never a transaction this would join.
  try {
    return await transaction(db, async (tx) => {
      const result = await recordPayment(tx, {
        merchantId: service.merchantId,
        invoiceId: link.invoiceId,
        paymentLinkId: link.id,
        serviceId: service.id,
        providerRef: facts.providerRef,
        amount: facts.amount,
        currency: link.currency as CurrencyCode,
        method: facts.method,
        status: facts.status,
        message: facts.message,
        cardLast4: facts.cardLast4,
        confirmations: facts.confirmations,
        // Parsed from what arrived, so a card number sent as a JSON number is masked as a value (recordPayment masks it).
        raw: safeJson(raw),
        late: link.status !== "active",
      });
      return store(tx, result.changed ? "recorded" : "duplicate", { ...linkRefs, paymentId: result.payment.id });
    });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return store(db, "error", { ...linkRefs, message: toErrorBody(err).body.error.message });
  }
}

/**
 * A gateway's word on a refund (signed): it ends the refund Settle asked for,
 * or records one made in the gateway's own portal on the payment it names.
 * Stored with what it led to, in the refund's transaction.
 */
async function handleRefundNotice(
  db: Database,
  service: PaymentService,
  notice: RefundNotice,
  { base, where, refuse }: Pick<Received, "base" | "where" | "refuse">,
): Promise<NotifyResponse> {
  const columns = { verifiedBy: "signature" as const, providerRef: notice.providerRef, amount: Number.isSafeInteger(notice.amount) ? notice.amount : null, currency: notice.currency ?? null };
  if (containsUnstorableText(notice)) return refuse(400, "bad_request", UNSTORABLE_TEXT, columns);
  if (!Number.isSafeInteger(notice.amount) || notice.amount <= 0) {
    return refuse(400, "bad_request", `The refund's amount must be a whole number of minor units greater than zero; the notification says ${String(notice.amount)}.`, columns);
  }
  const store = async (tx: Database, outcome: NotificationOutcome, extra: Partial<NotificationRow> = {}) => {
    await tx.insert(providerNotifications).values(cleanRow({ ...base, ...columns, outcome, ...extra }));
    log.info({ ...where, notificationId: base.id, outcome, providerRef: notice.providerRef, refundStatus: notice.status, refundId: extra.refundId }, "provider refund notification");
    return { status: 200, body: { received: true, outcome, ...(extra.refundId ? { refund_id: extra.refundId } : {}) } };
  };
  try {
    return await transaction(db, async (tx) => {
      const result = await recordRefundNotice(tx, service, { ...notice, message: notice.message !== undefined ? maskPans(notice.message) : undefined });
      if (!result) return store(tx, "unmatched", { message: "No refund or payment of this service matches this refund notification." });
      const refs = { refundId: result.refund.id, paymentId: result.payment.id, invoiceId: result.invoice.id, message: result.note ?? null };
      return store(tx, result.changed ? "recorded" : "duplicate", refs);
    });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return store(db, "error", { message: toErrorBody(err).body.error.message });
  }
}

/**
 * POST /api/providers/{serviceId}/notify as Next serves it (route.ts), on the
 * handle `db` gives: logged under the request's id, answered as JSON. The
 * sandbox provider calls this same function in-process, so its notification
 * goes through exactly what a provider's HTTP request does.
 */
export function notifyEndpoint(db: () => Promise<Database>) {
  return loggedRoute("providers.notify", async (request: Request, { params }: { params: Promise<{ serviceId: string }> }) => {
    const { serviceId } = await params;
    const handle = await db();
    const { status, body, ack } = await handleProviderNotification(handle, serviceId, request);
    // A gateway that expects its own answer (iPint: 200 with an empty body) gets it; everyone else Settle's JSON.
    if (ack) return new Response(ack.body, { status: ack.status, headers: ack.contentType ? { "content-type": ack.contentType } : {} });
    return Response.json(body, { status });
  });
}

/** Past this depth a body is kept as its text: Postgres parses jsonb recursively, and refuses one nested too deep. */
const MAX_RAW_DEPTH = 64;

function safeJson(raw: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return raw;
  }
  return depthOf(json) > MAX_RAW_DEPTH ? raw : json;
}

/** How deep a parsed JSON value nests, without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_RAW_DEPTH) return deepest;
    for (const v of Object.values(item)) stack.push([v, depth + 1]);
  }
  return deepest;
}
