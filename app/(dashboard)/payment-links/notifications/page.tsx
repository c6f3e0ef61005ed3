import { AssignNotification } from "@/components/payment-links/assign-notification";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import type { NotificationOutcome } from "@/db/schema";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { notificationOutcomeLabels } from "@/lib/format/labels";
import { formatDateTimeSeconds } from "@/lib/format/time";
import { type CurrencyCode, currencies, formatAmount } from "@/lib/money";
import { listNotifications, notificationFiltersSchema } from "@/lib/payment-services/notifications";

export const metadata = { title: "Provider notifications" };

const tone: Record<NotificationOutcome, BadgeTone> = {
  recorded: "green",
  duplicate: "gray",
  unmatched: "yellow",
  assigned: "blue",
  currency_mismatch: "red",
  rejected: "red",
  error: "red",
  ignored: "gray",
};
const amountOf = (amount: number | null, currency: string | null) =>
  amount === null ? "—" : currency && currency in currencies ? formatAmount(amount, currency as CurrencyCode) : `${amount} ${currency ?? ""}`;

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { outcome } = notificationFiltersSchema.parse(await searchParams);
  const rows = await listNotifications(await getDb(), { merchantId: actor.merchantId, outcome });
  const canAssign = can(actor.role, "payments.write");
  return (
    <>
      <PageHeader
        title="Provider notifications"
        description="Every message a payment provider sent, verified or not, and what it led to. Unmatched transfers wait here to be assigned."
      />
      <nav aria-label="Filter by outcome" className="mb-4 flex flex-wrap gap-2 text-sm">
        {(["all", "unmatched", "recorded", "duplicate", "assigned", "currency_mismatch", "rejected", "error"] as const).map((o) => (
          <a
            key={o}
            href={o === "all" ? "?" : `?outcome=${o}`}
            aria-current={o === outcome ? "page" : undefined}
            className={o === outcome ? "rounded-md bg-slate-900 px-3 py-1 text-white dark:bg-slate-100 dark:text-slate-900" : "rounded-md px-3 py-1 text-body ring-1 ring-slate-300 dark:ring-slate-600 hover:bg-slate-100 dark:hover:bg-slate-800"}
          >
            {o === "all" ? "All" : notificationOutcomeLabels[o]}
          </a>
        ))}
      </nav>
      <Card>
        {rows.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-subtle">No notifications yet.</p>
        ) : (
          <ul className="divide-y divide-line-soft">
            {rows.map(({ notification: n, serviceName }) => (
              <li key={n.id} className="space-y-2 px-5 py-4" data-outcome={n.outcome}>
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <Badge tone={tone[n.outcome]}>{notificationOutcomeLabels[n.outcome]}</Badge>
                  <span className="font-medium text-strong">{amountOf(n.amount, n.currency)}</span>
                  <span className="text-subtle">· {serviceName}</span>
                  {n.providerRef ? <span className="font-mono text-xs text-subtle">ref {n.providerRef}</span> : null}
                  <span className="ml-auto text-xs text-subtle">{formatDateTimeSeconds(n.createdAt)}</span>
                </div>
                {n.remark ? <p className="text-sm text-body">Remark: “{n.remark}”</p> : null}
                {n.message ? <p className="text-sm text-muted">{n.message}</p> : null}
                <p className="text-xs text-subtle">
                  {n.verifiedBy ? `Verified by ${n.verifiedBy}` : "Not verified"}
                  {n.invoiceId ? ` · invoice ${n.invoiceId}` : ""}
                  {n.paymentId ? ` · payment ${n.paymentId}` : ""}
                </p>
                <details className="text-xs">
                  <summary className="cursor-pointer text-muted">Request</summary>
                  <pre className="mt-2 max-h-64 overflow-auto rounded bg-slate-50 dark:bg-slate-800/50 p-3 text-slate-800 dark:text-slate-200">
                    {Object.entries(n.headers)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join("\n")}
                    {"\n\n"}
                    {n.body}
                  </pre>
                </details>
                {n.outcome === "unmatched" && canAssign ? <AssignNotification notificationId={n.id} /> : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
