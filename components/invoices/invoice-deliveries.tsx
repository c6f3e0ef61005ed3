import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { DeliveryStatusBadge } from "@/components/webhooks/status-badge";
import type { DeliveryRow } from "@/lib/webhooks/deliveries";
import { formatDateTime } from "@/lib/format/time";

/** The invoice's webhook deliveries: the latest 10, and a link to all of them in the log. */
export async function InvoiceDeliveries({ data, invoiceId }: { data: Promise<{ rows: DeliveryRow[] }>; invoiceId: string }) {
  const { rows } = await data;
  const all = `/webhooks/deliveries?q=${encodeURIComponent(invoiceId)}`;
  return (
    <Card>
      <CardHeader title="Webhook deliveries" actions={<Link href={all} className="text-sm font-medium text-brand-700 dark:text-brand-400 hover:underline">Open in log</Link>} />
      {rows.length === 0 ? (
        <p className="px-5 py-6 text-sm text-subtle">No deliveries yet.</p>
      ) : (
        <ul className="divide-y divide-line-soft" aria-label="Webhook deliveries">
          {rows.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-2 text-sm">
              <span className="min-w-0">
                <span className="block font-mono text-xs text-slate-800 dark:text-slate-200">{r.eventType}</span>
                <span className="block truncate text-xs text-subtle">{r.endpointUrl ?? "no endpoint"} · {formatDateTime(r.createdAt)}</span>
              </span>
              <DeliveryStatusBadge status={r.status} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
