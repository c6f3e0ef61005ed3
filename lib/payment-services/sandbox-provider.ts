import { randomBytes } from "node:crypto";
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { type PaymentLink, providerNotifications } from "@/db/schema";
import { locales } from "@/lib/checkout/messages";
import { signNotification } from "@/lib/connectors/signature";
import type { ServiceContext } from "@/lib/connectors/types";
import { publicUrl } from "@/lib/env";
import { AppError, fieldError, notFound } from "@/lib/errors";
import { currentRequestId, REQUEST_ID_HEADER } from "@/lib/log/request-context";
import { type CurrencyCode, parseAmount } from "@/lib/money";
import { livemodeOf } from "@/lib/merchants";
import { expireLinkNow } from "@/lib/payment-links/lifecycle";
import { getLinkByCode } from "@/lib/payment-links/queries";
import { notifyEndpoint } from "./notify";
import { sandboxSecret } from "./services";

export const sandboxOps = ["approve", "decline", "pay_amount", "replay", "late", "expire"] as const;

export const sandboxActionSchema = z.object({
  code: z.string().min(1),
  service: z.string().min(1),
  flow: z.enum(["qr", "redirect"]).catch("qr"),
  op: z.enum(sandboxOps, { error: "Choose what the sandbox should do." }),
  amount: z.string().optional(),
  /** The customer's checkout language, kept on the way back; anything else is dropped. */
  lang: z.enum(locales).optional().catch(undefined),
});
export type SandboxActionInput = z.infer<typeof sandboxActionSchema>;

/** The sandbox's view of a link: only for a sandbox service that the link offers. */
export async function sandboxSession(db: Database, code: string, serviceId: string): Promise<{ link: PaymentLink; merchantName: string; service: ServiceContext }> {
  const found = await getLinkByCode(db, code.toUpperCase());
  const service = await sandboxSecret(db, serviceId);
  // A live link is never the sandbox's to pay, whatever it offers (Postgres keeps the sandbox out of live spaces too).
  if (!found || !service || service.merchantId !== found.link.merchantId || !found.link.serviceIds.includes(service.id) || (await livemodeOf(db, found.link.merchantId))) {
    throw notFound("This sandbox payment does not exist.");
  }
  return { ...found, service };
}

function requestIdHeader(): Record<string, string> {
  const id = currentRequestId();
  return id ? { [REQUEST_ID_HEADER]: id } : {};
}

/**
 * Hands a signed notification to the notify endpoint in-process: the request a
 * provider would send, through the same handler (verification, logging,
 * recording), with no socket opened. Its URL is the configured public URL,
 * never one built from the button press's headers (which the presser chooses).
 */
async function post(db: Database, service: ServiceContext, body: string): Promise<{ status: number; outcome?: string }> {
  const request = new Request(`${publicUrl()}/api/providers/${service.id}/notify`, {
    method: "POST",
    // The request id travels with it, so the notification's log lines join the button press's.
    headers: { "content-type": "application/json", ...signNotification(service.secret!, body), ...requestIdHeader() },
    body,
  });
  const res = await notifyEndpoint(async () => db)(request, { params: Promise.resolve({ serviceId: service.id }) });
  const json = (await res.json().catch(() => ({}))) as { outcome?: string };
  return { status: res.status, outcome: json.outcome };
}

/**
 * What the sandbox's buttons do. Each ends in a signed notification handed to
 * the notify endpoint; "late" and "expire" first move the link's clock forward.
 * `db` must be a plain handle, not a transaction (see handleProviderNotification).
 */
export async function runSandboxOp(db: Database, input: SandboxActionInput) {
  const { link, service } = await sandboxSession(db, input.code, input.service);
  const due = Math.max(0, link.amount - link.paidAmount) || link.amount;
  const method = input.flow === "redirect" ? "card" : "bank_transfer";
  const id = `sbx_${randomBytes(8).toString("hex")}`;
  const base = { id, currency: link.currency, payment_link_id: link.id, payment_method: method };

  if (input.op === "expire") {
    await expireLinkNow(db, link);
    return { link, sent: null };
  }
  if (input.op === "replay") {
    const [last] = await db
      .select({ body: providerNotifications.body })
      .from(providerNotifications)
      .where(and(eq(providerNotifications.serviceId, service.id), eq(providerNotifications.paymentLinkId, link.id), isNotNull(providerNotifications.verifiedBy)))
      .orderBy(desc(providerNotifications.createdAt))
      .limit(1);
    if (!last) throw new AppError("conflict", "Nothing to replay yet: send a payment first.");
    // The same body, freshly signed: what a provider's retry looks like.
    return { link, sent: await post(db, service, last.body) };
  }
  let body: Record<string, unknown>;
  if (input.op === "decline") {
    body = { ...base, status: "failed", amount: due, message: "Declined by the sandbox", ...(method === "card" ? { card_last4: "0002" } : {}) };
  } else if (input.op === "pay_amount") {
    let amount: number;
    try {
      amount = parseAmount(input.amount ?? "", link.currency as CurrencyCode);
    } catch (err) {
      throw fieldError("amount", (err as Error).message);
    }
    if (amount === 0) throw fieldError("amount", "The amount must be more than zero.");
    body = { ...base, status: "succeeded", amount };
  } else {
    if (input.op === "late") await expireLinkNow(db, link);
    body = { ...base, status: "succeeded", amount: due, ...(method === "card" ? { card_last4: "4242" } : {}) };
  }
  return { link, sent: await post(db, service, JSON.stringify(body)) };
}
