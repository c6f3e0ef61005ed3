import { and, asc, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invoices, merchants, type PaymentLink, paymentLinks, providerNotifications } from "@/db/schema";
import { listServices } from "@/lib/payment-services/services";
import { expireDueLinks } from "./lifecycle";
import { type LinkFilters, linkFiltersSchema } from "./schemas";

/** Expired on read: a link past its time never shows as active, sweeper or not. */
async function withExpiry(db: Database, link: PaymentLink | undefined): Promise<PaymentLink | undefined> {
  if (!link || link.status !== "active" || link.expiresAt > new Date()) return link;
  const [expired] = await expireDueLinks(db, { merchantId: link.merchantId, linkId: link.id });
  return expired ?? (await db.select().from(paymentLinks).where(eq(paymentLinks.id, link.id)))[0];
}

/** The public checkout's lookup: the code is the capability, so no merchant scope applies. */
export async function getLinkByCode(db: Database, code: string) {
  const [row] = await db
    .select({ link: paymentLinks, merchantName: merchants.name, livemode: merchants.livemode })
    .from(paymentLinks)
    .innerJoin(merchants, eq(merchants.id, paymentLinks.merchantId))
    .where(eq(paymentLinks.code, code));
  if (!row) return null;
  return { link: (await withExpiry(db, row.link))!, merchantName: row.merchantName, livemode: row.livemode };
}

export async function getLink(db: Database, { merchantId, id }: { merchantId: string; id: string }) {
  const [row] = await db
    .select()
    .from(paymentLinks)
    .where(and(eq(paymentLinks.merchantId, merchantId), eq(paymentLinks.id, id)));
  return (await withExpiry(db, row)) ?? null;
}

export async function listLinks(db: Database, { merchantId, filters: input = {}, limit = 100 }: { merchantId: string; filters?: unknown; limit?: number }) {
  const filters: LinkFilters = linkFiltersSchema.parse(input);
  await expireDueLinks(db, { merchantId });
  const conds: (SQL | undefined)[] = [eq(paymentLinks.merchantId, merchantId)];
  if (filters.status !== "all") conds.push(eq(paymentLinks.status, filters.status));
  if (filters.payment !== "all") conds.push(eq(paymentLinks.paymentStatus, filters.payment));
  if (filters.q) {
    const like = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(paymentLinks.code, like), ilike(paymentLinks.description, like), ilike(invoices.customerName, like)));
  }
  return db
    .select({ link: paymentLinks, customerName: invoices.customerName, invoiceNumber: invoices.number })
    .from(paymentLinks)
    .innerJoin(invoices, eq(invoices.id, paymentLinks.invoiceId))
    .where(and(...conds))
    .orderBy(desc(paymentLinks.createdAt), desc(paymentLinks.id))
    .limit(limit);
}

/** For the invoice page: its links, newest first. */
export async function linksForInvoice(db: Database, { merchantId, invoiceId }: { merchantId: string; invoiceId: string }) {
  await expireDueLinks(db, { merchantId });
  return db
    .select()
    .from(paymentLinks)
    .where(and(eq(paymentLinks.merchantId, merchantId), eq(paymentLinks.invoiceId, invoiceId)))
    .orderBy(desc(paymentLinks.createdAt));
}

/** For the invoice page: the provider notifications that touched it, oldest first. */
export async function notificationsForInvoice(db: Database, { merchantId, invoiceId }: { merchantId: string; invoiceId: string }) {
  return db
    .select()
    .from(providerNotifications)
    .where(and(eq(providerNotifications.merchantId, merchantId), eq(providerNotifications.invoiceId, invoiceId)))
    .orderBy(asc(providerNotifications.createdAt));
}

/** What the invoice page's payment-links card shows: the invoice's links, the notifications that touched it, and the services a new link may offer. */
export async function invoicePaymentLinks(db: Database, scope: { merchantId: string; invoiceId: string }) {
  const [links, notifications, services] = await Promise.all([linksForInvoice(db, scope), notificationsForInvoice(db, scope), listServices(db, scope.merchantId)]);
  return { links, notifications, services };
}
export type InvoicePaymentLinks = Awaited<ReturnType<typeof invoicePaymentLinks>>;
