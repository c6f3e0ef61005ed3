import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { EndpointState, WebhookHealth } from "@/lib/dashboard/queries";
import { endpointStateLabels } from "@/lib/format/labels";
import { formatDateTime } from "@/lib/format/time";
import { filterToSearchParams } from "@/lib/webhooks/filters";

const link = "font-medium text-brand-700 hover:underline dark:text-brand-400";
const percent = (ok: number, all: number) => `${Math.floor((ok / all) * 1000) / 10}%`;

/** Where one endpoint stands, in a few words and a colour. */
function stateOf(e: EndpointState): { dot: string; text: string; tone: string } {
  switch (e.condition) {
    case "auto_off":
      return { dot: "bg-red-500", text: `Turned off on ${formatDateTime(e.autoDisabledAt!)} after 5 days of failures`, tone: "text-red-700 dark:text-red-400" };
    case "disabled":
      return { dot: "bg-slate-400", text: endpointStateLabels.disabled, tone: "text-muted" };
    case "failing": {
      const since = e.failingSince ? ` since ${formatDateTime(e.failingSince)}` : "";
      return { dot: "bg-red-500", text: `Failing: ${e.consecutiveFailures} in a row${since}`, tone: "text-red-700 dark:text-red-400" };
    }
    case "healthy": {
      const rate = e.attempts24h ? `${percent(e.succeeded24h, e.attempts24h)} of ${e.attempts24h} in 24 h` : "nothing sent in 24 h";
      return { dot: "bg-emerald-500", text: `Healthy · ${rate}`, tone: "text-muted" };
    }
  }
}

/** Success rate over 24 hours, each endpoint's state (those that need a look first), deliveries waiting for a retry. */
export async function WebhookHealthCard({ data }: { data: Promise<WebhookHealth> }) {
  const h = await data;
  const failedLog = `/webhooks/deliveries?${filterToSearchParams({ status: ["failed"] })}`;
  return (
    <Card className="min-w-0" data-testid="webhook-health">
      <CardHeader
        title="Webhook health"
        actions={
          <Link href="/webhooks/deliveries" className={`${link} text-sm`}>
            Delivery log
          </Link>
        }
      />
      {h.endpoints.length === 0 ? (
        <div className="px-5 py-8 text-center">
          <p className="text-sm font-medium text-strong">No webhook endpoint yet</p>
          <p className="mx-auto mt-1 max-w-sm text-sm text-subtle">
            Add the URL of your server and it receives every invoice and payment change, signed. Until then events are logged as “URL not set”.
          </p>
          <Link href="/webhooks" className={buttonClass("secondary", "sm", "mt-4")}>
            Add an endpoint
          </Link>
        </div>
      ) : (
        <div className="space-y-4 px-5 py-4 text-sm">
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <p className="text-3xl font-semibold tabular-nums tracking-tight text-slate-900 dark:text-slate-50" data-testid="webhook-success-rate">
              {h.successRate24h === null ? "—" : percent(h.succeeded24h, h.attempts24h)}
            </p>
            <p className="text-muted">
              {h.successRate24h === null
                ? "No attempts in the last 24 hours"
                : `of ${h.attempts24h.toLocaleString("en")} attempts succeeded in the last 24 hours`}
            </p>
          </div>
          <p className="text-body">
            {h.waitingForRetry ? (
              <>
                <Link href={failedLog} className={link}>
                  {h.waitingForRetry.toLocaleString("en")} {h.waitingForRetry === 1 ? "delivery" : "deliveries"} waiting for a retry
                </Link>
                {h.nextRetryAt ? <span className="text-subtle"> · next at {formatDateTime(h.nextRetryAt)}</span> : null}
              </>
            ) : (
              "No delivery is waiting for a retry."
            )}
          </p>
          <ul className="divide-y divide-line-soft border-t border-line-soft" aria-label="Endpoints">
            {h.endpoints.map((e) => {
              const s = stateOf(e);
              return (
                <li key={e.id} className="flex items-start gap-2 py-2.5">
                  <span aria-hidden="true" className={cn("mt-1.5 h-2 w-2 shrink-0 rounded-full", s.dot)} />
                  <span className="min-w-0">
                    <Link href={`/webhooks/${e.id}`} className={`${link} block truncate`}>
                      {e.description ?? e.url}
                    </Link>
                    {e.description ? <span className="block truncate font-mono text-xs text-subtle">{e.url}</span> : null}
                    <span className={cn("block", s.tone)}>{s.text}</span>
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </Card>
  );
}
