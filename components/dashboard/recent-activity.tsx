import Link from "next/link";
import { eventDetail, eventLabels } from "@/components/invoices/timeline";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { ActivityItem } from "@/lib/dashboard/queries";
import { formatInvoiceNumber } from "@/lib/invoices/schemas";

const rel = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const full = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "5 minutes ago", "yesterday", "3 weeks ago". */
function timeAgo(at: Date, now = new Date()): string {
  const s = Math.round((at.getTime() - now.getTime()) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [["second", 60], ["minute", 60], ["hour", 24], ["day", 7], ["week", 4.35], ["month", 12]];
  let value = s;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return unit === "second" ? "just now" : rel.format(Math.round(value), unit);
    value /= size;
  }
  return rel.format(Math.round(value), "year");
}

const dot: Record<string, string> = {
  "payment.failed": "bg-red-500",
  "invoice.voided": "bg-slate-400",
  "payment_link.expired": "bg-amber-500",
};

/** The merchant's latest events, each linked to its invoice. */
export async function RecentActivity({ data }: { data: Promise<ActivityItem[]> }) {
  const items = await data;
  return (
    <Card className="min-w-0">
      <CardHeader title="Recent activity" />
      {items.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-subtle">
          Nothing has happened yet. Create an invoice and each change to it appears here.
        </p>
      ) : (
        <ol aria-label="Recent activity" className="divide-y divide-line-soft">
          {items.map((e) => {
            const detail = eventDetail(e);
            return (
              <li key={e.id} className="flex items-start gap-3 px-5 py-3">
                <span aria-hidden="true" className={cn("mt-1.5 h-2 w-2 shrink-0 rounded-full", dot[e.type] ?? "bg-brand-500")} />
                <div className="min-w-0 flex-1 text-sm">
                  <p className="text-strong">
                    <span className="font-medium">{eventLabels[e.type] ?? e.type}</span>
                    {e.invoiceId && e.invoiceNumber ? (
                      <>
                        {" · "}
                        <Link href={`/invoices/${e.invoiceId}`} className="font-medium text-brand-700 hover:underline dark:text-brand-400">
                          {formatInvoiceNumber(e.invoiceNumber)}
                        </Link>
                      </>
                    ) : null}
                  </p>
                  {detail ? <p className="truncate text-muted">{detail}</p> : null}
                </div>
                <time dateTime={e.createdAt.toISOString()} title={`${full.format(e.createdAt)} UTC`} className="shrink-0 text-xs text-subtle">
                  {timeAgo(e.createdAt)}
                </time>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
