import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { type DashboardParams, type Period, periods } from "@/lib/dashboard/period";
import type { DailySeries } from "@/lib/dashboard/queries";
import { formatDay, zoned } from "@/lib/format/time";
import { type CurrencyCode, formatAmount } from "@/lib/money";
import { CollectedChart, InvoicesChart } from "./charts";

/** The dashboard's own URL: the period and the chart's currency live in it. */
function dashboardHref(params: { period: Period; currency?: string }): string {
  const q = new URLSearchParams({ period: String(params.period) });
  if (params.currency) q.set("currency", params.currency);
  return `/dashboard?${q}`;
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

export function PeriodSwitcher({ params }: { params: DashboardParams }) {
  return (
    <nav aria-label="Period" className="inline-flex rounded-md bg-surface p-0.5 shadow-sm ring-1 ring-line">
      {periods.map((p) => {
        const active = p === params.period;
        return (
          <Link
            key={p}
            href={dashboardHref({ period: p, currency: params.currency })}
            aria-current={active ? "page" : undefined}
            className={cn(
              "rounded px-3 py-1.5 text-sm font-medium",
              active
                ? "bg-brand-700 text-white"
                : "text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white",
            )}
          >
            {p} days
          </Link>
        );
      })}
    </nav>
  );
}

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="flex h-60 items-center justify-center px-6 text-center text-sm text-subtle">{children}</p>;
}

/** The two charts of the period: money collected per day (one currency at a time) and invoices created vs paid. */
export async function Trends({ data, params }: { data: Promise<DailySeries>; params: DashboardParams }) {
  const series = await data;
  // The currency asked for, else the busiest (the one the money cards lead with).
  const { currencies } = series;
  const currency = (params.currency && currencies.includes(params.currency) ? params.currency : currencies[0]) as CurrencyCode | undefined;
  const values = currency ? series.collected[currency]! : [];
  const created = sum(series.created);
  const paid = sum(series.paid);
  const range = `the last ${params.period} days`;

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card className="min-w-0">
        <CardHeader
          title="Money collected per day"
          description={currency ? `${formatAmount(sum(values), currency)} in ${range}, net of refunds` : `Nothing collected in ${range}`}
          actions={
            currencies.length > 1 ? (
              <nav aria-label="Currency" className="flex flex-wrap gap-1">
                {currencies.map((c) => (
                  <Link
                    key={c}
                    href={dashboardHref({ period: params.period, currency: c })}
                    aria-current={c === currency ? "page" : undefined}
                    className={cn(
                      "rounded px-2 py-1 text-xs font-medium",
                      c === currency
                        ? "bg-brand-50 text-brand-800 ring-1 ring-inset ring-brand-600/30 dark:bg-brand-950 dark:text-brand-300 dark:ring-brand-400/30"
                        : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
                    )}
                  >
                    {c}
                  </Link>
                ))}
              </nav>
            ) : null
          }
        />
        <figure className="px-2 py-4 sm:px-4" aria-label={`Money collected per day over ${range}`}>
          {currency ? (
            <>
              <CollectedChart days={series.days} values={values} currency={currency} />
              <DataTable caption={`Money collected per day in ${currency}`} days={series.days} columns={[{ label: "Collected", values, format: (v) => formatAmount(v, currency) }]} />
            </>
          ) : (
            <Empty>No payments yet in this period. Share a payment link or record a payment on an invoice, and the money shows here day by day.</Empty>
          )}
        </figure>
      </Card>
      <Card className="min-w-0">
        <CardHeader title="Invoices created vs paid" description={`${created.toLocaleString("en")} created, ${paid.toLocaleString("en")} paid in full in ${range}`} />
        <figure className="px-2 py-4 sm:px-4" aria-label={`Invoices created and paid per day over ${range}`}>
          {created || paid ? (
            <>
              <InvoicesChart days={series.days} created={series.created} paid={series.paid} />
              <DataTable
                caption="Invoices created and paid per day"
                days={series.days}
                columns={[
                  { label: "Created", values: series.created, format: String },
                  { label: "Paid", values: series.paid, format: String },
                ]}
              />
            </>
          ) : (
            <Empty>No invoices in this period. Create one and it is counted here; when it is paid in full, it counts again.</Empty>
          )}
        </figure>
      </Card>
    </div>
  );
}

/** The chart's numbers for screen readers, who cannot read the bars. */
function DataTable({ caption, days, columns }: { caption: string; days: string[]; columns: { label: string; values: number[]; format: (v: number) => string }[] }) {
  return (
    // A table is as tall as its rows whatever its height: hide it inside a block, or the page grows.
    <div className="sr-only">
      <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{zoned("Day")}</th>
          {columns.map((c) => (
            <th key={c.label} scope="col">
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {days.map((d, i) => (
          <tr key={d}>
            <th scope="row">{formatDay(d)}</th>
            {columns.map((c) => (
              <td key={c.label}>{c.format(c.values[i] ?? 0)}</td>
            ))}
          </tr>
        ))}
      </tbody>
      </table>
    </div>
  );
}
