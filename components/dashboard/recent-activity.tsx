import Link from "next/link";
import { eventDetail } from "@/components/invoices/timeline";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { ActivityItem } from "@/lib/dashboard/queries";
import { eventLabels } from "@/lib/format/labels";
import { formatDateTime, timeAgo } from "@/lib/format/time";
import { formatInvoiceNumber } from "@/lib/invoices/schemas";

const dot: Record<string, string> = {
  "payment.failed": "bg-red-500",
  "refund.failed": "bg-red-500",
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
                <time dateTime={e.createdAt.toISOString()} title={formatDateTime(e.createdAt)} className="shrink-0 text-xs text-subtle">
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
