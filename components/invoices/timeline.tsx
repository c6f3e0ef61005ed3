import { eventLabels, paymentMethodLabels } from "@/lib/format/labels";
import { formatDateTimeSeconds } from "@/lib/format/time";
import { type CurrencyCode, formatAmount } from "@/lib/money";

interface TimelineEvent {
  id: string;
  type: string;
  data: unknown;
  createdAt: Date;
}

type Fields = Record<string, unknown>;
const objectAt = (data: unknown, key: string): Fields | null => {
  const v = (data as Fields | null)?.[key];
  return v && typeof v === "object" ? (v as Fields) : null;
};
const money = (amount: unknown, currency: unknown) =>
  typeof amount === "number" && typeof currency === "string" ? formatAmount(amount, currency as CurrencyCode) : null;

/** One line under the label: the refund's or the payment's facts, or where the invoice stands. */
export function eventDetail(e: Pick<TimelineEvent, "type" | "data">): string | null {
  // A refund's events carry its payment too: the refund is what happened.
  const refund = objectAt(e.data, "refund");
  if (refund) {
    const parts = [
      money(refund.amount, refund.currency),
      refund.reason,
      refund.manual && refund.provider_ref ? `ref ${String(refund.provider_ref)}` : null,
      e.type === "refund.failed" ? refund.failure_message : null,
    ];
    return parts.filter(Boolean).join(" · ");
  }
  const payment = objectAt(e.data, "payment");
  if (payment) {
    const parts = [money(payment.amount, payment.currency), paymentMethodLabels[String(payment.method)] ?? payment.method, payment.provider_ref && `ref ${payment.provider_ref}`, payment.message];
    return parts.filter(Boolean).join(" · ");
  }
  const invoice = objectAt(e.data, "invoice");
  if (invoice && e.type !== "invoice.created") {
    const paid = money(invoice.paid_amount, invoice.currency);
    return paid ? `Paid so far ${paid}` : null;
  }
  return null;
}

const failedEvents = new Set(["payment.failed", "refund.failed"]);

export function Timeline({ events }: { events: TimelineEvent[] }) {
  if (events.length === 0) return <p className="px-5 py-6 text-sm text-subtle">Nothing has happened yet.</p>;
  return (
    <ol className="space-y-0 px-5 py-4" aria-label="Timeline">
      {events.map((e, i) => (
        <li key={e.id} className="relative flex gap-3 pb-5 last:pb-0">
          {i < events.length - 1 ? <span aria-hidden className="absolute left-[5px] top-4 h-full w-px bg-slate-200 dark:bg-slate-700" /> : null}
          <span aria-hidden className={`mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ${failedEvents.has(e.type) ? "bg-red-500" : "bg-brand-500"}`} />
          <div className="min-w-0">
            <p className="text-sm font-medium text-strong">
              <span>{eventLabels[e.type] ?? e.type}</span> <span className="font-mono text-xs font-normal text-subtle">{e.type}</span>
            </p>
            {eventDetail(e) ? <p className="text-sm text-muted">{eventDetail(e)}</p> : null}
            <p className="text-xs text-subtle">{formatDateTimeSeconds(e.createdAt)}</p>
          </div>
        </li>
      ))}
    </ol>
  );
}
