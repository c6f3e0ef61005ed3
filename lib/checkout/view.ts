import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invoiceItems, type PaymentLink, type PaymentServiceKind, paymentServices, payments } from "@/db/schema";
import { connectorFor } from "@/lib/connectors";
import type { Flow, PaymentInstruction } from "@/lib/connectors/types";
import { type CurrencyCode, formatMoney, toMajorString } from "@/lib/money";
import { getLinkByCode } from "@/lib/payment-links/queries";
import { serviceContext } from "@/lib/payment-services/services";
import { isRemote, reusableSessions } from "@/lib/payment-services/sessions";
import { intlLocale } from "./locale";
import type { Locale } from "./messages";
import { formatLeft, isClock } from "./time";

export interface CheckoutMethod {
  key: string;
  serviceName: string;
  /** The service's kind: a crypto gateway's tab says so. */
  kind?: PaymentServiceKind;
  sandbox: boolean;
  flow: Flow;
  instruction: PaymentInstruction;
}

/** Where the customer goes next, with the link id and its status for the merchant's page. */
function withResult(url: string | null, link: PaymentLink, status: string): string | null {
  if (!url) return null;
  const u = new URL(url);
  u.searchParams.set("payment_link_id", link.id);
  u.searchParams.set("status", status);
  return u.toString();
}

/** The live part of the checkout: what the status endpoint returns and the page renders from. */
export async function checkoutStatus(db: Database, link: PaymentLink, locale: Locale) {
  const [last] = await db
    .select({ status: payments.status, message: payments.message, confirmations: payments.confirmations, required: payments.confirmationsRequired })
    .from(payments)
    .where(and(eq(payments.merchantId, link.merchantId), eq(payments.paymentLinkId, link.id)))
    .orderBy(desc(payments.updatedAt), desc(payments.id))
    .limit(1);
  const currency = link.currency as CurrencyCode;
  const fmt = (minor: number) => formatMoney(minor, currency, intlLocale[locale]);
  const remaining = Math.max(0, link.amount - link.paidAmount);
  const settled = link.paymentStatus === "paid" || link.paymentStatus === "extra";
  const failed = !settled && last?.status === "failed";
  // Money seen, not final (a crypto payment waiting for its confirmations): "confirming (1 of 3)".
  const processing = !settled && last?.status === "processing" ? { seen: last.confirmations ?? 0, required: last.required ?? null } : null;
  return {
    status: link.status,
    /** For a canceled link: by the merchant, or closed because its invoice was paid or voided. */
    cancellationReason: link.cancellationReason,
    paymentStatus: link.paymentStatus,
    amount: link.amount,
    paidAmount: link.paidAmount,
    remaining,
    formatted: { amount: fmt(link.amount), paid: fmt(link.paidAmount), remaining: fmt(remaining), extra: fmt(Math.max(0, link.paidAmount - link.amount)) },
    failed,
    failureMessage: failed ? (last?.message ?? null) : null,
    processing,
    successUrl: settled ? withResult(link.successUrl, link, link.paymentStatus) : null,
    failureUrl: withResult(link.failureUrl, link, failed ? "failed" : link.status),
    /** Changes whenever anything the page shows changes: the client refreshes on a new one. */
    version: [link.status, link.paymentStatus, link.paidAmount, last?.status ?? "none", processing?.seen ?? ""].join(":"),
  };
}
export type CheckoutStatus = Awaited<ReturnType<typeof checkoutStatus>>;

export async function statusByCode(db: Database, code: string, locale: Locale) {
  const found = await getLinkByCode(db, code);
  return found ? checkoutStatus(db, found.link, locale) : null;
}

/** Everything /pay/{code} shows; null when no link has this code. */
export async function loadCheckout(db: Database, code: string, { origin, locale }: { origin: string; locale: Locale }) {
  const found = await getLinkByCode(db, code);
  if (!found) return null;
  const { link, merchantName, livemode } = found;
  const [items, services, live] = await Promise.all([
    db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, link.invoiceId)).orderBy(asc(invoiceItems.position)),
    db
      .select()
      .from(paymentServices)
      .where(and(eq(paymentServices.merchantId, link.merchantId), inArray(paymentServices.id, link.serviceIds))),
    checkoutStatus(db, link, locale),
  ]);
  // What the link still asks, never more than the invoice owes (applyInvoiceChange keeps it so).
  const due = live.remaining;
  const methods: CheckoutMethod[] = [];
  // Gateways' sessions already started for this link, shown instead of asking the gateway again.
  const sessions = services.some((s) => isRemote(s)) ? await reusableSessions(db, link) : new Map<string, PaymentInstruction>();
  // In the order the merchant chose them; none once the link takes no more payments.
  for (const id of link.status === "active" && due > 0 ? link.serviceIds : []) {
    const row = services.find((s) => s.id === id);
    if (!row?.enabled) continue;
    const ctx = serviceContext(row);
    const connector = connectorFor(row.kind);
    for (const flow of connector.flows(ctx, link.currency)) {
      const key = `${row.id}.${flow}`;
      // A gateway is asked to start a payment only when the customer chooses it (/pay/{code}/start), never per page view.
      const instruction = connector.createPayment
        ? connector.createPayment(ctx, { id: link.id, code: link.code, currency: link.currency, due, merchantName, locale }, flow, origin)
        : (sessions.get(key) ?? { kind: "redirect" as const, url: `${origin}/pay/${link.code}/start?method=${key}&lang=${locale}` });
      methods.push({ key, serviceName: row.name, kind: row.kind, sandbox: row.kind === "sandbox", flow, instruction });
    }
  }
  const currency = link.currency as CurrencyCode;
  const msLeft = link.expiresAt.getTime() - Date.now();
  return {
    code: link.code,
    merchantName,
    /** false: a test mode link, paid only through the sandbox; the page says no money moves. */
    livemode,
    description: link.description,
    currency,
    expiresAt: link.expiresAt.toISOString(),
    /** The countdown's first frame, so the server HTML already shows it. */
    expiresIn: { text: formatLeft(msLeft, intlLocale[locale]), clock: isClock(msLeft) },
    intlLocale: intlLocale[locale],
    dueMajor: toMajorString(due, currency),
    dueFormatted: formatMoney(due, currency, intlLocale[locale]),
    items: items.map((i) => ({ name: i.name, quantity: i.quantity, amount: formatMoney(i.amount, currency, intlLocale[locale]) })),
    methods,
    live,
  };
}
export type CheckoutView = NonNullable<Awaited<ReturnType<typeof loadCheckout>>>;
