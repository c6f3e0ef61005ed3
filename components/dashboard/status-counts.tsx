import Link from "next/link";
import { invoicesHref } from "@/components/invoices/filters";
import { cn } from "@/components/ui/cn";
import type { InvoiceCounts } from "@/lib/invoices/queries";
import { invoiceTabLabels } from "@/lib/format/labels";

const tiles = [
  { status: "unpaid", dot: "bg-amber-500" },
  { status: "partial", dot: "bg-sky-500" },
  { status: "paid", dot: "bg-emerald-500" },
  { status: "extra", dot: "bg-violet-500" },
  { status: "void", dot: "bg-slate-400" },
] as const;

/** Invoices per status from the merchant's counters; each opens the list on that tab. */
export async function StatusCounts({ data }: { data: Promise<InvoiceCounts> }) {
  const counts = await data;
  return (
    <nav aria-label="Invoices by status" className="grid grid-cols-3 gap-2 sm:grid-cols-5 sm:gap-3">
      {tiles.map((t) => (
        <Link
          key={t.status}
          href={invoicesHref({ status: t.status })}
          className={cn(
            "rounded-lg bg-white px-3 py-2.5 shadow-sm ring-1 ring-slate-200 hover:ring-brand-500 sm:px-4 sm:py-3",
            "dark:bg-slate-900 dark:ring-slate-800 dark:hover:ring-brand-400",
          )}
        >
          <span className="flex items-center gap-2 text-sm text-muted">
            <span aria-hidden="true" className={cn("h-2 w-2 rounded-full", t.dot)} />
            {invoiceTabLabels[t.status]}
          </span>
          <span className="mt-0.5 block text-xl font-semibold tabular-nums text-slate-900 dark:text-slate-50">{counts[t.status].toLocaleString("en")}</span>
        </Link>
      ))}
    </nav>
  );
}
