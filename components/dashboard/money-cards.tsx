import { Card } from "@/components/ui/card";
import type { MoneySummary } from "@/lib/dashboard/queries";
import { type CurrencyCode, formatAmount } from "@/lib/money";

type Figure = Exclude<keyof MoneySummary, "currency" | "outstandingInvoices">;

const cards: { figure: Figure; label: string; testId: string }[] = [
  { figure: "today", label: "Collected today", testId: "collected-today" },
  { figure: "last7", label: "Last 7 days", testId: "collected-7d" },
  { figure: "last30", label: "Last 30 days", testId: "collected-30d" },
  { figure: "outstanding", label: "Outstanding", testId: "outstanding" },
];

/** One card per figure; the busiest currency large, the others listed under it. */
export async function MoneyCards({ data }: { data: Promise<MoneySummary[]> }) {
  const summary = await data;
  const owing = summary.reduce((n, s) => n + s.outstandingInvoices, 0);
  return (
    <section aria-label="Money" className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
      {cards.map(({ figure, label, testId }) => {
        const [first, ...others] = summary;
        // The busiest currency always; the others only where there is something to show.
        const rest = others.filter((s) => s[figure] !== 0);
        return (
          <Card key={figure} className="min-w-0 p-4 sm:p-5" data-testid={testId}>
            <h2 className="text-sm font-medium text-muted">{label}</h2>
            {first ? (
              <>
                <p className="mt-1 truncate text-xl font-semibold tabular-nums tracking-tight text-slate-900 sm:text-2xl dark:text-slate-50">
                  {formatAmount(first[figure], first.currency as CurrencyCode)}
                </p>
                {rest.length ? (
                  <ul className="mt-1 space-y-0.5 text-sm tabular-nums text-muted">
                    {rest.map((s) => (
                      <li key={s.currency} className="truncate">
                        {formatAmount(s[figure], s.currency as CurrencyCode)}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </>
            ) : (
              <p className="mt-1 text-xl font-semibold text-subtle sm:text-2xl">—</p>
            )}
            {figure === "outstanding" ? (
              <p className="mt-1 text-xs text-subtle">
                {owing ? `${owing.toLocaleString("en")} invoice${owing === 1 ? "" : "s"} still owing` : "Nothing owed"}
              </p>
            ) : (
              <p className="mt-1 text-xs text-subtle">Net of refunds</p>
            )}
          </Card>
        );
      })}
    </section>
  );
}
