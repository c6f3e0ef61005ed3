import { and, desc, eq, gt, or } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invoices, type PaymentLink, type PaymentService, providerSessions } from "@/db/schema";
import { connectorFor } from "@/lib/connectors";
import type { Flow, LinkContext, PaymentInstruction } from "@/lib/connectors/types";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { formatInvoiceNumber } from "@/lib/invoices/schemas";
import { log } from "@/lib/log/logger";
import { getLinkByCode } from "@/lib/payment-links/queries";
import { findServiceById, flowsOf, serviceContext } from "./services";

/** A gateway session is reused for this long (same link, service, flow and amount) before a new one is asked for. */
export const SESSION_REUSE_MS = 30 * 60 * 1000;

export interface PaymentStart {
  link: PaymentLink;
  service: PaymentService;
  flow: Flow;
  /** The origin customers and gateways reach Settle on (publicUrl()), for the links back. */
  origin: string;
  merchantName: string;
  locale?: string;
}

const dueOf = (link: PaymentLink) => Math.max(0, link.amount - link.paidAmount);

/** Where the customer comes back to after the gateway's page, in their language. */
export function returnUrlFor(origin: string, link: PaymentLink, service: PaymentService, flow: Flow, locale?: string): string {
  const lang = locale ? `&lang=${encodeURIComponent(locale)}` : "";
  return `${origin}/pay/${link.code}?return=1&method=${service.id}.${flow}${lang}`;
}

export const notifyUrlFor = (origin: string, service: PaymentService) => `${origin}/api/providers/${service.id}/notify`;

/** True when the service's gateway must be asked to start a payment (it has no local instruction). */
export const isRemote = (service: PaymentService) => !connectorFor(service.kind).createPayment;

/**
 * The sessions still worth reusing on a link, by method (`{serviceId}.{flow}`):
 * the latest of each that asks exactly what is due now. One read for the whole
 * checkout, however many gateways it offers.
 */
export async function reusableSessions(db: Database, link: PaymentLink): Promise<Map<string, PaymentInstruction>> {
  const rows = await db
    .select({ serviceId: providerSessions.serviceId, flow: providerSessions.flow, instruction: providerSessions.instruction })
    .from(providerSessions)
    .where(
      and(
        eq(providerSessions.paymentLinkId, link.id),
        eq(providerSessions.amount, dueOf(link)),
        gt(providerSessions.createdAt, new Date(Date.now() - SESSION_REUSE_MS)),
      ),
    )
    .orderBy(desc(providerSessions.createdAt));
  const byMethod = new Map<string, PaymentInstruction>();
  for (const r of rows) {
    const key = `${r.serviceId}.${r.flow}`;
    if (!byMethod.has(key)) byMethod.set(key, r.instruction as PaymentInstruction);
  }
  return byMethod;
}

const baseContext = ({ link, merchantName, locale }: PaymentStart): LinkContext => ({
  id: link.id,
  code: link.code,
  currency: link.currency,
  due: dueOf(link),
  merchantName,
  locale,
  description: link.description,
});

/** A remote gateway also gets the invoice's number and customer (one more read, so only for them). */
async function linkContext(db: Database, start: PaymentStart): Promise<LinkContext> {
  const { link } = start;
  const [invoice] = await db
    .select({ number: invoices.number, customerName: invoices.customerName, customerEmail: invoices.customerEmail })
    .from(invoices)
    .where(and(eq(invoices.merchantId, link.merchantId), eq(invoices.id, link.invoiceId)));
  return {
    ...baseContext(start),
    invoiceNumber: invoice ? formatInvoiceNumber(invoice.number) : undefined,
    customerName: invoice?.customerName,
    customerEmail: invoice?.customerEmail,
  };
}

/**
 * What a service gives a customer for a link: a QR with bank details, or a URL
 * to redirect to. A local connector computes it; a remote gateway is asked
 * once per session (reused while it asks what is still due), and the session
 * is kept so the gateway's notification finds the link again.
 */
export async function startPayment(db: Database, start: PaymentStart): Promise<PaymentInstruction> {
  const { link, service, flow, origin } = start;
  const connector = connectorFor(service.kind);
  const ctx = serviceContext(service);
  if (connector.createPayment) return connector.createPayment(ctx, baseContext(start), flow, origin);
  if (!connector.startPayment) throw new AppError("provider_unavailable", `${service.name} cannot start a payment.`);

  const reused = (await reusableSessions(db, link)).get(`${service.id}.${flow}`);
  if (reused) return reused;
  const linkCtx = await linkContext(db, start);
  const sessionId = newId("pse");
  let started;
  try {
    started = await connector.startPayment(ctx, linkCtx, flow, {
      sessionId,
      returnUrl: returnUrlFor(origin, link, service, flow, start.locale),
      notifyUrl: notifyUrlFor(origin, service),
    });
  } catch (err) {
    log.warn({ err, serviceId: service.id, merchantId: service.merchantId, paymentLinkId: link.id }, "gateway refused to start a payment");
    throw new AppError("provider_unavailable", `${service.name} could not start the payment: ${(err as Error).message}`);
  }
  await db.insert(providerSessions).values({
    id: sessionId,
    merchantId: link.merchantId,
    serviceId: service.id,
    paymentLinkId: link.id,
    flow,
    amount: linkCtx.due,
    providerRef: started.providerRef ?? null,
    instruction: started.instruction,
  });
  return started.instruction;
}

/** The link a notification's session reference points at: Settle's session id, or the gateway's own. */
export async function linkIdOfSession(db: Database, serviceId: string, ref: string): Promise<string | undefined> {
  const [row] = await db
    .select({ paymentLinkId: providerSessions.paymentLinkId })
    .from(providerSessions)
    .where(and(eq(providerSessions.serviceId, serviceId), or(eq(providerSessions.id, ref), eq(providerSessions.providerRef, ref))))
    .orderBy(desc(providerSessions.createdAt))
    .limit(1);
  return row?.paymentLinkId;
}

/** What the checkout does once the customer picked a gateway's method: where it sends them. */
export type CheckoutStart = { to: "gateway"; url: string } | { to: "checkout"; unavailable: boolean } | { to: "not_found" };

/**
 * The customer chose `method` ({serviceId}.{flow}) on /pay/{code}: a gateway
 * that opens its own session is asked now (startPayment reuses a session still
 * asking what is due). Their hosted page is where they go; a QR is shown back on
 * the checkout, which finds the session. A method the link does not offer (now),
 * or a closed link, sends them back to the checkout; a gateway that did not
 * answer, back with `unavailable`.
 */
export async function startCheckoutPayment(
  db: Database,
  { code, method, origin, locale }: { code: string; method: string; origin: string; locale: string },
): Promise<CheckoutStart> {
  const found = await getLinkByCode(db, code);
  if (!found) return { to: "not_found" };
  const { link, merchantName } = found;
  const [serviceId = "", flow = ""] = method.split(".");
  const service = link.serviceIds.includes(serviceId) ? await findServiceById(db, serviceId) : undefined;
  if (!service?.enabled || link.status !== "active" || dueOf(link) <= 0) return { to: "checkout", unavailable: false };
  const offered = flowsOf(service, link.currency).find((f) => f === flow);
  if (!offered) return { to: "checkout", unavailable: false };
  try {
    const instruction = await startPayment(db, { link, service, flow: offered, origin, merchantName, locale });
    return instruction.kind === "redirect" ? { to: "gateway", url: instruction.url } : { to: "checkout", unavailable: false };
  } catch (err) {
    if (err instanceof AppError && err.code === "provider_unavailable") return { to: "checkout", unavailable: true };
    throw err;
  }
}
