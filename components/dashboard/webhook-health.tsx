import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import type { Database } from "@/db/client";
import { webhookHealth } from "@/lib/dashboard/queries";
import { filterToSearchParams } from "@/lib/webhooks/filters";

const fmt = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const link = "font-medium text-brand-700 hover:underline dark:text-brand-400";

/** Success rate over 24 hours, failing and disabled endpoints, deliveries waiting for a retry. */
export async function WebhookHealthCard({ db, merchantId }: { db: Database; merchantId: string }) {
  const h = await webhookHealth(db, { merchantId });
  const failedLog = `/webhooks/deliveries?${filterToSearchParams({ status: ["failed"] })}`;
  return (
    <Card data-testid="webhook-health">
      <CardHeader
        title="Webhook health"
        actions={
          <Link href="/webhooks/deliveries" className={`${link} text-sm`}>
            Delivery log
          </Link>
        }
      />
      {h.endpoints === 0 ? (
        <div className="px-5 py-8 text-center">
          <p className="text-sm font-medium text-slate-900 dark:text-slate-100">No webhook endpoint yet</p>
          <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500 dark:text-slate-400">
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
              {h.successRate24h === null ? "—" : `${Math.floor(h.successRate24h * 1000) / 10}%`}
            </p>
            <p className="text-slate-600 dark:text-slate-400">
              {h.successRate24h === null
                ? "No attempts in the last 24 hours"
                : `of ${h.attempts24h.toLocaleString("en")} attempts succeeded in the last 24 hours`}
            </p>
          </div>
          <p className="text-slate-700 dark:text-slate-300">
            {h.waitingForRetry ? (
              <>
                <Link href={failedLog} className={link}>
                  {h.waitingForRetry.toLocaleString("en")} {h.waitingForRetry === 1 ? "delivery" : "deliveries"} waiting for a retry
                </Link>
                {h.nextRetryAt ? <span className="text-slate-500 dark:text-slate-400"> · next at {fmt.format(h.nextRetryAt)} UTC</span> : null}
              </>
            ) : (
              "No delivery is waiting for a retry."
            )}
          </p>
          {h.failing.length || h.disabled.length ? (
            <ul className="space-y-2" aria-label="Endpoints that need attention">
              {h.failing.map((e) => (
                <li key={e.id} className="flex items-start gap-2">
                  <span aria-hidden="true" className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-red-500" />
                  <span className="min-w-0">
                    <Link href={`/webhooks/${e.id}`} className={`${link} block truncate font-mono text-xs`}>
                      {e.url}
                    </Link>
                    <span className="text-red-700 dark:text-red-400">
                      Failing: {e.consecutiveFailures} in a row{e.failingSince ? ` since ${fmt.format(e.failingSince)} UTC` : ""}
                    </span>
                  </span>
                </li>
              ))}
              {h.disabled.map((e) => (
                <li key={e.id} className="flex items-start gap-2">
                  <span aria-hidden="true" className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-slate-400" />
                  <span className="min-w-0">
                    <Link href={`/webhooks/${e.id}`} className={`${link} block truncate font-mono text-xs`}>
                      {e.url}
                    </Link>
                    <span className="text-slate-600 dark:text-slate-400">
                      {e.autoDisabledAt ? `Turned off automatically on ${fmt.format(e.autoDisabledAt)} UTC after 5 days of failures` : "Disabled"}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-emerald-700 dark:text-emerald-400">
              {h.endpoints === 1 ? "The endpoint is" : `All ${h.endpoints} endpoints are`} enabled and answering.
            </p>
          )}
        </div>
      )}
    </Card>
  );
}
