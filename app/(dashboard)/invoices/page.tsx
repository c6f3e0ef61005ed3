import Link from "next/link";
import { invoicesHref, firstParam } from "@/components/invoices/filters";
import { InvoiceStatusBadge } from "@/components/invoices/status-badge";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/field";
import { TabBar } from "@/components/ui/tab-bar";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { invoiceTabLabels } from "@/lib/format/labels";
import { formatDate, zoned } from "@/lib/format/time";
import { countInvoicesByStatus, listInvoices } from "@/lib/invoices/queries";
import { formatInvoiceNumber, type InvoiceFilters, invoiceFiltersSchema, invoiceTabs } from "@/lib/invoices/schemas";
import { type CurrencyCode, formatAmount } from "@/lib/money";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";

export const metadata = { title: "Invoices" };

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const actor = await requireActor();
  const raw = await searchParams;
  const input = Object.fromEntries(["status", "q", "from", "to", "cursor", "sort"].map((k) => [k, firstParam(raw[k])]));
  const parsed = invoiceFiltersSchema.safeParse(input);
  const filterError = parsed.success ? null : (parsed.error.issues[0]?.message ?? "Check the filters.");
  const filters: InvoiceFilters = parsed.success ? parsed.data : invoiceFiltersSchema.parse({});
  const db = await getDb();

  let page: Awaited<ReturnType<typeof listInvoices>> = { rows: [], nextCursor: null };
  let pageError: string | null = null;
  try {
    page = await listInvoices(db, { merchantId: actor.merchantId, filters });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    pageError = err.message;
  }
  const counts = await countInvoicesByStatus(db, { merchantId: actor.merchantId, filters: { ...filters, cursor: undefined } });
  const base = { q: filters.q, from: filters.from, to: filters.to, sort: filters.sort };
  const exportHref = invoicesHref({ ...base, status: filters.status }, "/invoices/export");

  return (
    <>
      <PageHeader
        title="Invoices"
        description="What each customer owes, and what has arrived."
        actions={
          <div className="flex gap-2">
            <a href={exportHref} className={buttonClass("secondary")} download>
              Export CSV
            </a>
            {can(actor.role, "invoices.write") ? (
              <Link href="/invoices/new" className={buttonClass("primary")}>
                New invoice
              </Link>
            ) : null}
          </div>
        }
      />

      <TabBar
        label="Invoice status"
        tabs={invoiceTabs.map((tab) => ({
          href: invoicesHref({ ...base, status: tab }),
          label: invoiceTabLabels[tab],
          active: filters.status === tab,
          count: `${counts[tab].toLocaleString("en")}${counts.atLeast ? "+" : ""}`,
        }))}
      />

      <form method="get" action="/invoices" className="mt-4 grid grid-cols-2 items-end gap-3 sm:grid-cols-[1fr_auto_auto_auto_auto]" role="search">
        <input type="hidden" name="status" value={filters.status} />
        <label className="col-span-2 text-sm sm:col-span-1">
          <span className="mb-1 block font-medium text-body">Search</span>
          <Input name="q" defaultValue={filters.q ?? ""} placeholder="Number, reference, customer name or email" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-body">From</span>
          <Input type="date" name="from" defaultValue={filters.from ?? ""} />
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-body">To</span>
          <Input type="date" name="to" defaultValue={filters.to ?? ""} />
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-body">Sort</span>
          <Select name="sort" defaultValue={filters.sort}>
            <option value="created_desc">Newest first</option>
            <option value="created_asc">Oldest first</option>
          </Select>
        </label>
        <button type="submit" className={buttonClass("secondary")}>
          Apply
        </button>
      </form>
      {filterError || pageError ? (
        <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
          {filterError ?? pageError}
        </p>
      ) : null}

      <Card className="mt-4 overflow-hidden">
        {page.rows.length === 0 ? (
          <div className="px-5 py-16 text-center">
            <p className="text-sm font-medium text-strong">No invoices here</p>
            <p className="mt-1 text-sm text-subtle">
              {counts.all === 0 && !filters.q && !filters.from && !filters.to
                ? "Create your first invoice to start getting paid."
                : "Try another tab, search or date range."}
            </p>
          </div>
        ) : (
          <>
          <ul className="divide-y divide-line-soft sm:hidden" aria-label="Invoices (compact)">
            {page.rows.map((r) => (
              <li key={r.id}>
                <Link href={`/invoices/${r.id}`} className="flex items-center justify-between gap-3 px-4 py-3 hover:bg-slate-50 dark:hover:bg-slate-800/60">
                  <span className="min-w-0">
                    <span className="block text-sm font-medium text-brand-700 dark:text-brand-400">{formatInvoiceNumber(r.number)}</span>
                    <span className="block truncate text-sm text-muted">{r.customerName}</span>
                  </span>
                  <span className="shrink-0 text-right">
                    <span className="block text-sm tabular-nums text-strong">{formatAmount(r.amount, r.currency as CurrencyCode)}</span>
                    <InvoiceStatusBadge status={r.status} paymentStatus={r.paymentStatus} dueDate={r.dueDate} />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          <TableScroll label="Invoices table" className="hidden sm:block">
            <table className="min-w-full text-sm" aria-label="Invoices">
              <TableHead columns={["Invoice", "Customer", { label: "Amount", align: "right" }, { label: "Paid", align: "right" }, "Status", zoned("Created")]} />
              <tbody className="divide-y divide-line-soft">
                {page.rows.map((r) => {
                  const currency = r.currency as CurrencyCode;
                  return (
                    <tr key={r.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/60">
                      <td className="whitespace-nowrap px-5 py-3">
                        <Link href={`/invoices/${r.id}`} className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
                          {formatInvoiceNumber(r.number)}
                        </Link>
                        {r.referenceId ? <span className="block text-xs text-subtle">{r.referenceId}</span> : null}
                      </td>
                      <td className="px-5 py-3">
                        <span className="block max-w-56 truncate text-strong">{r.customerName}</span>
                        {r.customerEmail ? <span className="block max-w-56 truncate text-xs text-subtle">{r.customerEmail}</span> : null}
                      </td>
                      <td className="whitespace-nowrap px-5 py-3 text-right tabular-nums">{formatAmount(r.amount, currency)}</td>
                      <td className="whitespace-nowrap px-5 py-3 text-right tabular-nums text-muted">{formatAmount(r.paidAmount, currency)}</td>
                      <td className="px-5 py-3">
                        <InvoiceStatusBadge status={r.status} paymentStatus={r.paymentStatus} dueDate={r.dueDate} />
                      </td>
                      <td className="whitespace-nowrap px-5 py-3 text-subtle">{formatDate(r.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
          </>
        )}
      </Card>

      <div className="mt-4 flex items-center justify-between text-sm">
        {filters.cursor ? (
          <Link href={invoicesHref({ ...base, status: filters.status })} className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
            ← First page
          </Link>
        ) : (
          <span />
        )}
        {page.nextCursor ? (
          <Link href={invoicesHref({ ...base, status: filters.status, cursor: page.nextCursor })} className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
            Next page →
          </Link>
        ) : null}
      </div>
    </>
  );
}
