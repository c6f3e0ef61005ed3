import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import { withinDays } from "@/lib/day-range";
import type { Database } from "@/db/client";
import { type PaymentServiceKind, paymentServices, type Refund, type RefundStatus, refunds, users } from "@/db/schema";
import { connectorFor } from "@/lib/connectors";
import { keysetAfter } from "@/lib/paging";
import { type RefundRoute, refundRouteOf } from "./refunds";

export interface RefundFilters {
  merchantId: string;
  paymentId?: string;
  invoiceId?: string;
  status?: RefundStatus;
  /** Created on or after the UTC day `from` and on or before the UTC day `to` (YYYY-MM-DD). */
  from?: string;
  to?: string;
  limit: number;
  /** The last id of the previous page. */
  startingAfter?: string;
}

/** A page of the merchant's refunds, newest first; one row more than `limit` says there is another page. */
export async function listRefunds(db: Database, f: RefundFilters): Promise<Refund[]> {
  const after = await keysetAfter(db, refunds, { merchantId: f.merchantId, startingAfter: f.startingAfter, what: "refund" });
  const where: (SQL | undefined)[] = [
    eq(refunds.merchantId, f.merchantId),
    f.paymentId ? eq(refunds.paymentId, f.paymentId) : undefined,
    f.invoiceId ? eq(refunds.invoiceId, f.invoiceId) : undefined,
    f.status ? eq(refunds.status, f.status) : undefined,
    ...withinDays(refunds.createdAt, f),
    after ? sql`(${refunds.createdAt}, ${refunds.id}) < (${after.createdAt}::timestamptz, ${after.id})` : undefined,
  ];
  return db
    .select()
    .from(refunds)
    .where(and(...where))
    .orderBy(desc(refunds.createdAt), desc(refunds.id))
    .limit(f.limit + 1);
}

export async function getRefund(db: Database, { merchantId, id }: { merchantId: string; id: string }): Promise<Refund | undefined> {
  const [row] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.merchantId, merchantId), eq(refunds.id, id)));
  return row;
}

export type InvoiceRefund = Refund & {
  requestedByEmail: string | null;
  /** A pending gateway refund whose gateway can be asked where it stands ("Check status"): that gateway's name. */
  checkableAt: string | null;
};

/** An invoice's refunds, oldest first, with who asked for each: the invoice page's list. */
export async function refundsOfInvoice(db: Database, { merchantId, invoiceId }: { merchantId: string; invoiceId: string }): Promise<InvoiceRefund[]> {
  const rows = await db
    .select({ refund: refunds, requestedByEmail: users.email, serviceKind: paymentServices.kind, serviceName: paymentServices.name })
    .from(refunds)
    .leftJoin(users, eq(users.id, refunds.requestedBy))
    .leftJoin(paymentServices, and(eq(paymentServices.merchantId, refunds.merchantId), eq(paymentServices.id, refunds.serviceId)))
    .where(and(eq(refunds.merchantId, merchantId), eq(refunds.invoiceId, invoiceId)))
    .orderBy(asc(refunds.createdAt), asc(refunds.id));
  return rows.map((r) => ({
    ...r.refund,
    requestedByEmail: r.requestedByEmail,
    checkableAt:
      r.refund.status === "pending" && !r.refund.manual && r.serviceKind && connectorFor(r.serviceKind).refundStatus ? (r.serviceName ?? null) : null,
  }));
}

/**
 * How money taken by this service goes back, for the refund form: the route
 * `createRefund` will take, and the service's kind and name to say so. A
 * payment recorded by hand names no service row: manual.
 */
export async function refundRouteOfService(
  db: Database,
  { merchantId, serviceId }: { merchantId: string; serviceId: string },
): Promise<{ route: RefundRoute; kind: PaymentServiceKind | null; name: string | null }> {
  const [service] = await db
    .select({ kind: paymentServices.kind, name: paymentServices.name })
    .from(paymentServices)
    .where(and(eq(paymentServices.merchantId, merchantId), eq(paymentServices.id, serviceId)));
  return { route: refundRouteOf(service?.kind ?? null), kind: service?.kind ?? null, name: service?.name ?? null };
}
