import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { DisabledEndpointsAlert } from "@/components/webhooks/disabled-alert";
import { EndpointForm } from "@/components/webhooks/endpoint-form";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { endpointStateLabels } from "@/lib/format/labels";
import { formatDateTime } from "@/lib/format/time";
import { autoDisabledEndpoints, listEndpoints, subscribableEventTypes } from "@/lib/webhooks/endpoints";
import { webhookFormats } from "@/lib/webhooks/formats/catalogue";

export const metadata = { title: "Webhooks" };

export default async function EndpointsPage() {
  const actor = await requireActor();
  const db = await getDb();
  const endpoints = await listEndpoints(db, actor.merchantId);
  const edit = can(actor.role, "webhooks.write");

  return (
    <div className="space-y-6">
      <DisabledEndpointsAlert data={autoDisabledEndpoints(db, actor.merchantId)} />
      <Card>
        <CardHeader title="Endpoints" description={edit ? "Each gets every event it subscribes to, signed with its own secret." : "Only owners and admins can add or change endpoints."} />
        {endpoints.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-subtle">
            No endpoint yet: events are logged as “URL not set” until you add one.
          </p>
        ) : (
          <ul className="divide-y divide-line-soft" aria-label="Endpoints">
            {endpoints.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
                <div className="min-w-0">
                  <Link href={`/webhooks/${e.id}`} className="block truncate font-mono text-sm font-medium text-brand-700 dark:text-brand-400 hover:underline">
                    {e.url}
                  </Link>
                  <p className="truncate text-sm text-subtle">
                    {e.description ? `${e.description} · ` : ""}
                    {e.format === "standard" ? "" : `${webhookFormats[e.format].label} format · `}
                    {e.eventTypes ? `${e.eventTypes.length} event type${e.eventTypes.length === 1 ? "" : "s"}` : "All events"}
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-3 text-sm text-muted">
                  <span title="Successful attempts over the last 24 hours">
                    {e.health.successRate24h === null ? "No attempts in 24 h" : `${Math.round(e.health.successRate24h * 100)}% of ${e.health.attempts24h} in 24 h`}
                  </span>
                  {e.consecutiveFailures ? <span className="text-red-700 dark:text-red-300">{e.consecutiveFailures} failing in a row</span> : null}
                  <span className="hidden text-subtle md:inline">{e.lastAttemptAt ? `last ${formatDateTime(e.lastAttemptAt)}` : "never attempted"}</span>
                  {e.enabled ? <Badge tone="green">{endpointStateLabels.enabled}</Badge> : <Badge tone={e.autoDisabledAt ? "red" : "gray"}>{endpointStateLabels[e.autoDisabledAt ? "auto_disabled" : "disabled"]}</Badge>}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {edit ? (
        <Card>
          <CardHeader title="Add an endpoint" description="A signing secret (whsec_…) is made for it; reveal it on the endpoint's page." />
          <EndpointForm eventTypes={subscribableEventTypes} />
        </Card>
      ) : null}
    </div>
  );
}
