import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { type NotificationOutcome, type PaymentLink, paymentLinks, type PaymentService, providerNotifications } from "@/db/schema";
import { connectorFor } from "@/lib/connectors";
import { StatusRefused } from "@/lib/connectors/refusal";
import type { Acknowledgement, NotificationFacts } from "@/lib/connectors/types";
import { AppError, toErrorBody } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log/logger";
import { loggedRoute } from "@/lib/log/route";
import { maskPans } from "@/lib/log/redact";
import type { CurrencyCode } from "@/lib/money";
import { recordPayment } from "@/lib/payments/record";
import { codeFromRemark } from "@/lib/payment-links/code";
import { expireDueLinks } from "@/lib/payment-links/lifecycle";
import { findServiceById, serviceContext } from "./services";
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

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = REDACTED_HEADERS.has(name) ? "[redacted]" : value;
  });
  return out;
}

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
 * /api/providers/{serviceId}/notify: signature (401, kept for staff) before
 * anything else, then the body's shape (400, nothing kept); unsigned
 * connectors' callbacks only trigger a status lookup. Money always goes
 * through recordPayment, so a repeat is a no-op and a late success wins.
 * Each notification is stored with what it led to, in the payment's transaction.
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

  const ctx = serviceContext(service);
  const connector = connectorFor(service.kind);
  // Kept for support staff, but never a full card number (PCI DSS): the signature was checked on what arrived.
  const kept = maskPans(raw);
  const base = { id: newId("ntf"), merchantId: service.merchantId, serviceId: service.id, headers: headerRecord(request.headers), body: kept };
  const verification = await connector.verifyNotification(ctx, { headers: request.headers, body: raw });

  if (!verification.ok) {
    if (verification.status === 400) return refusal(400, "bad_request", verification.message, where);
    await db.insert(providerNotifications).values({ ...base, outcome: "rejected", message: verification.message });
    return refusal(401, "unauthenticated", verification.message, where);
  }

  if ("ignored" in verification) {
    await db.insert(providerNotifications).values({ ...base, verifiedBy: "signature", outcome: "ignored", message: verification.ignored });
    return { status: 200, body: { received: true, outcome: "ignored" } };
  }

  let facts: NotificationFacts;
  let verifiedBy: "signature" | "status" = "signature";
  if ("lookup" in verification) {
    verifiedBy = "status";
    try {
      if (!connector.fetchStatus) throw new Error("This connector cannot look up a transaction.");
      facts = await connector.fetchStatus(ctx, verification.lookup);
    } catch (err) {
      if (err instanceof StatusRefused) {
        // The gateway answered, and its answer can never be a payment (an amount of 0): kept for staff, not asked again.
        await db.insert(providerNotifications).values({ ...base, verifiedBy: "status", outcome: "rejected", providerRef: err.providerRef, message: err.message });
        return refusal(400, "bad_request", err.message, where);
      }
      await db.insert(providerNotifications).values({ ...base, outcome: "error", providerRef: verification.lookup, message: (err as Error).message });
      log.warn({ ...where, err }, "provider status lookup failed");
      // 502: the provider's retry is our next chance to confirm the payment.
      return refusal(502, "status_unavailable", "The transaction's status could not be confirmed; send the callback again later.", where);
    }
  } else {
    facts = verification.facts;
  }

  const known = {
    ...base,
    verifiedBy,
    providerRef: facts.providerRef,
    amount: facts.amount,
    currency: facts.currency ?? null,
    remark: facts.remark ?? null,
  };
  const store = async (tx: Database, outcome: NotificationOutcome, extra: Partial<typeof providerNotifications.$inferInsert> = {}) => {
    await tx.insert(providerNotifications).values({ ...known, outcome, ...extra });
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
        raw: safeJson(kept),
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

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
