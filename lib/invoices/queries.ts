import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { withinDays } from "@/lib/day-range";
import { z } from "zod";
import type { Database } from "@/db/client";
import { perDatabase } from "@/db/prepared";
import { rowsOf } from "@/db/rows";
import { events, type Invoice, invoiceItems, invoices, merchantCounters, payments } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { keysetAfter } from "@/lib/paging";
import { fieldErrorsOf } from "@/lib/validation";
import { type InvoiceFilters, type InvoiceFiltersInput, invoiceFiltersSchema, type InvoiceTab, invoiceTabs } from "./schemas";
import { parseSearch, SEARCH_HIT_CAP, searchCondition, searchPage } from "./search";

// Read on every invoice page and API GET.
const detailQuery = perDatabase((db) =>
  // Items have no merchant column of their own: the scoped invoice is their guard.
  db.query.invoices
    .findFirst({
      where: (inv, { and, eq }) => and(eq(inv.merchantId, sql.placeholder("merchantId")), eq(inv.id, sql.placeholder("id"))),
      with: {
        items: { orderBy: (item, { asc }) => asc(item.position) },
        payments: {
          where: (p, { eq }) => eq(p.merchantId, sql.placeholder("merchantId")),
          orderBy: (p, { asc }) => [asc(p.createdAt), asc(p.id)],
        },
      },
    })
    .prepare("invoice_detail"),
);

/** One invoice with its lines and payments (one statement), or null when this merchant has no such invoice. */
export async function getInvoice(db: Database, { merchantId, id }: { merchantId: string; id: string }) {
  return (await detailQuery(db).execute({ merchantId, id })) ?? null;
}
export type InvoiceDetail = NonNullable<Awaited<ReturnType<typeof getInvoice>>>;

/** The columns of a list row (and of a CSV line): no items, no metadata. */
export const listColumns = {
  id: invoices.id,
  number: invoices.number,
  referenceId: invoices.referenceId,
  currency: invoices.currency,
  amount: invoices.amount,
  paidAmount: invoices.paidAmount,
  refundedAmount: invoices.refundedAmount,
  paymentStatus: invoices.paymentStatus,
  status: invoices.status,
  needsReview: invoices.needsReview,
  customerName: invoices.customerName,
  customerEmail: invoices.customerEmail,
  customerPhone: invoices.customerPhone,
  description: invoices.description,
  dueDate: invoices.dueDate,
  createdAt: invoices.createdAt,
};
export type InvoiceListRow = Pick<Invoice, keyof typeof listColumns>;

/**
 * The WHERE of the list, the counts and the export. Tab predicates are SQL
 * literals (from a closed enum) so the planner can match the partial indexes.
 */
export function filterConditions(merchantId: string, filters: InvoiceFilters, opts: { withStatus: boolean }): SQL[] {
  const conds: SQL[] = [eq(invoices.merchantId, merchantId)];
  const tab = filters.status;
  if (opts.withStatus && tab !== "all") {
    if (tab === "void") conds.push(sql`${invoices.status} = 'void'`);
    else conds.push(sql`${invoices.status} = 'open'`, sql`${invoices.paymentStatus} = ${sql.raw(`'${tab}'`)}`);
  }
  if (filters.q) conds.push(searchCondition(filters.q));
  if (filters.reference) conds.push(eq(invoices.referenceId, filters.reference));
  conds.push(...withinDays(invoices.createdAt, filters));
  return conds;
}

export interface Cursor {
  createdAt: string;
  id: string;
}

export const encodeCursor = (row: { createdAt: Date; id: string }) =>
  Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");

function decodeCursor(cursor: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof createdAt === "string" && typeof id === "string" && !Number.isNaN(Date.parse(createdAt))) {
      return { createdAt, id };
    }
  } catch {
    // fall through to the error a person can act on
  }
  throw new AppError("bad_request", "This page link is no longer valid. Go back to the first page.");
}

/** One keyset page; `after` is the last row of the previous page. */
export async function selectPage(
  db: Database,
  { merchantId, filters, after, limit }: { merchantId: string; filters: InvoiceFilters; after?: Cursor; limit: number },
): Promise<InvoiceListRow[]> {
  const descending = filters.sort !== "created_asc";
  const conds = filterConditions(merchantId, { ...filters, q: undefined }, { withStatus: true });
  if (after) {
    // Row comparison: one index range over (created_at, id), however deep the page.
    const key = sql`(${after.createdAt}::timestamptz, ${after.id})`;
    conds.push(descending ? sql`(${invoices.createdAt}, ${invoices.id}) < ${key}` : sql`(${invoices.createdAt}, ${invoices.id}) > ${key}`);
  }
  const where = and(...conds)!;
  const search = filters.q ? parseSearch(filters.q) : undefined;
  if (search === null) return [];
  if (search) return searchPage(db, { merchantId, columns: listColumns, where, search, descending, limit });
  const order = descending ? [desc(invoices.createdAt), desc(invoices.id)] : [asc(invoices.createdAt), asc(invoices.id)];
  return db.select(listColumns).from(invoices).where(where).orderBy(...order).limit(limit);
}

/**
 * The API's list: `limit` invoices after the one whose id is `startingAfter`
 * (read in the merchant's scope), newest first, whole rows; `hasMore` when
 * another page follows.
 */
export async function listInvoicesAfter(
  db: Database,
  { merchantId, filters, startingAfter, limit }: { merchantId: string; filters: InvoiceFiltersInput; startingAfter?: string; limit: number },
): Promise<{ rows: Invoice[]; hasMore: boolean }> {
  const after = await keysetAfter(db, invoices, { merchantId, startingAfter, what: "invoice" });
  const ids = (await selectPage(db, { merchantId, filters: parseFilters(filters), after, limit: limit + 1 })).map((r) => r.id);
  const rows = ids.length ? await db.select().from(invoices).where(and(eq(invoices.merchantId, merchantId), inArray(invoices.id, ids))) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: ids.slice(0, limit).map((id) => byId.get(id)!), hasMore: ids.length > limit };
}

/** The list page: `limit` rows after `filters.cursor`, and the cursor of the next page (null on the last). */
export async function listInvoices(
  db: Database,
  { merchantId, filters: input, limit = 50 }: { merchantId: string; filters: InvoiceFiltersInput | InvoiceFilters; limit?: number },
): Promise<{ rows: InvoiceListRow[]; nextCursor: string | null }> {
  const filters = parseFilters(input);
  const after = filters.cursor ? decodeCursor(filters.cursor) : undefined;
  const rows = await selectPage(db, { merchantId, filters, after, limit: limit + 1 });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextCursor: more ? encodeCursor(page[page.length - 1]!) : null };
}

export function parseFilters(input: InvoiceFiltersInput | InvoiceFilters): InvoiceFilters {
  const parsed = invoiceFiltersSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("validation_failed", parsed.error.issues[0]?.message ?? "Check the filters.", fieldErrorsOf(parsed.error));
  }
  return parsed.data;
}

/** Per-tab counts; `atLeast` when a search matched more than SEARCH_HIT_CAP invoices and they are lower bounds. */
export type InvoiceCounts = Record<InvoiceTab, number> & { atLeast: boolean };

/**
 * Counts for the status tabs, under the same search and dates (the tab itself
 * is ignored). Unfiltered, they come from the counters row kept in step by
 * every write: O(1) at any size. Searching, a grouped COUNT over at most
 * SEARCH_HIT_CAP + 1 matches read through the search indexes (a MATERIALIZED
 * CTE, so the planner cannot swap in a scan of the whole list); dates alone,
 * a grouped COUNT over the range.
 */
const tabCountRow = z.object({ tab: z.enum(["unpaid", "partial", "paid", "extra", "void"]), n: z.coerce.number() });

export async function countInvoicesByStatus(
  db: Database,
  { merchantId, filters: input = {} }: { merchantId: string; filters?: InvoiceFiltersInput | InvoiceFilters },
): Promise<InvoiceCounts> {
  const filters = parseFilters(input);
  const counts: InvoiceCounts = { all: 0, unpaid: 0, partial: 0, paid: 0, extra: 0, void: 0, atLeast: false };
  const tabOf = sql.raw("case when status = 'void' then 'void' else payment_status::text end");
  if (!filters.q && !filters.from && !filters.to) {
    const [row] = await db.select().from(merchantCounters).where(eq(merchantCounters.merchantId, merchantId));
    if (row) {
      Object.assign(counts, {
        unpaid: row.unpaidCount,
        partial: row.partialCount,
        paid: row.paidCount,
        extra: row.extraCount,
        void: row.voidCount,
      });
    }
  } else if (filters.q) {
    const where = and(...filterConditions(merchantId, filters, { withStatus: false }));
    const rows = rowsOf(
      await db.execute(sql`with
      hits as materialized (select status, payment_status from invoices where ${where})
      select ${tabOf} as tab, count(*)::int as n from (select * from hits limit ${SEARCH_HIT_CAP + 1}) h group by 1`),
      tabCountRow,
    );
    for (const r of rows) counts[r.tab] = r.n;
  } else {
    const tab = sql<string>`case when ${invoices.status} = 'void' then 'void' else ${invoices.paymentStatus}::text end`;
    const rows = await db
      .select({ tab, n: sql<number>`count(*)::int` })
      .from(invoices)
      .where(and(...filterConditions(merchantId, filters, { withStatus: false })))
      .groupBy(tab);
    for (const r of rows) counts[r.tab as Exclude<InvoiceTab, "all">] = Number(r.n);
  }
  counts.all = counts.unpaid + counts.partial + counts.paid + counts.extra + counts.void;
  // A search reads at most SEARCH_HIT_CAP + 1 matches: past the cap its counts are lower bounds.
  if (filters.q && counts.all > SEARCH_HIT_CAP) {
    counts.atLeast = true;
    for (const tab of invoiceTabs) counts[tab] = Math.min(counts[tab], SEARCH_HIT_CAP);
  }
  return counts;
}

/** The invoice's timeline: every outbox event about it, oldest first. */
export async function invoiceEvents(db: Database, { merchantId, invoiceId }: { merchantId: string; invoiceId: string }) {
  return db
    .select({ id: events.id, type: events.type, data: events.data, createdAt: events.createdAt })
    .from(events)
    .where(and(eq(events.merchantId, merchantId), eq(events.invoiceId, invoiceId)))
    .orderBy(asc(events.seq));
}
