import { type CurrencyCode, formatAmount } from "@/lib/money";

const labels: Record<string, string> = {
  "invoice.created": "Invoice created",
  "invoice.partially_paid": "Partially paid",
  "invoice.paid": "Paid in full",
  "invoice.overpaid": "Overpaid",
  "invoice.voided": "Invoice voided",
  "payment.succeeded": "Payment received",
  "payment.failed": "Payment failed",
  "payment_link.expired": "Payment link expired",
};

const fmt = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });

interface TimelineEvent {
  id: string;
  type: string;
  data: unknown;
  createdAt: Date;
}

function detail(e: TimelineEvent): string | null {
  const d = (e.data ?? {}) as Record<string, unknown>;
  if (e.type.startsWith("payment.") && typeof d.amount === "number" && typeof d.currency === "string") {
    const parts = [formatAmount(d.amount, d.currency as CurrencyCode), d.method, d.provider_ref && `ref ${d.provider_ref}`, d.message];
    return parts.filter(Boolean).join(" · ");
  }
  if (e.type.startsWith("invoice.") && typeof d.paid_amount === "number" && typeof d.currency === "string" && e.type !== "invoice.created") {
    return `Paid ${formatAmount(d.paid_amount, d.currency as CurrencyCode)}`;
  }
  return null;
}

export function Timeline({ events }: { events: TimelineEvent[] }) {
  if (events.length === 0) return <p className="px-5 py-6 text-sm text-slate-500">Nothing has happened yet.</p>;
  return (
    <ol className="space-y-0 px-5 py-4" aria-label="Timeline">
      {events.map((e, i) => (
        <li key={e.id} className="relative flex gap-3 pb-5 last:pb-0">
          {i < events.length - 1 ? <span aria-hidden className="absolute left-[5px] top-4 h-full w-px bg-slate-200" /> : null}
          <span aria-hidden className={`mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ${e.type === "payment.failed" ? "bg-red-500" : "bg-brand-500"}`} />
          <div className="min-w-0">
            <p className="text-sm font-medium text-slate-900">
              <span>{labels[e.type] ?? e.type}</span> <span className="font-mono text-xs font-normal text-slate-400">{e.type}</span>
            </p>
            {detail(e) ? <p className="text-sm text-slate-600">{detail(e)}</p> : null}
            <p className="text-xs text-slate-500">{fmt.format(e.createdAt)}</p>
          </div>
        </li>
      ))}
    </ol>
  );
}
