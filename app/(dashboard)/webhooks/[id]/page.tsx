import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DisabledEndpointsAlert } from "@/components/webhooks/disabled-alert";
import { DeleteEndpoint, SecretPanel, SendTestEvent } from "@/components/webhooks/endpoint-actions";
import { EndpointForm } from "@/components/webhooks/endpoint-form";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { endpointStateLabels } from "@/lib/format/labels";
import { formatDateTime } from "@/lib/format/time";
import { autoDisabledEndpoints, endpointHealth, getEndpoint, subscribableEventTypes } from "@/lib/webhooks/endpoints";
import { formatSends, scheduleText, webhookFormats } from "@/lib/webhooks/formats/catalogue";

export const metadata = { title: "Webhook endpoint" };

export default async function EndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const db = await getDb();
  const endpoint = await getEndpoint(db, { merchantId: actor.merchantId, id }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  });
  const health = (await endpointHealth(db, actor.merchantId, [id])).get(id)!;
  const edit = can(actor.role, "webhooks.write");
  const format = webhookFormats[endpoint.format];

  return (
    <div className="space-y-6">
      <DisabledEndpointsAlert data={autoDisabledEndpoints(db, actor.merchantId)} endpointId={id} />
      <Card>
        <CardHeader
          title={endpoint.url}
          description={endpoint.description ?? undefined}
          actions={endpoint.enabled ? <Badge tone="green">{endpointStateLabels.enabled}</Badge> : <Badge tone="gray">{endpointStateLabels.disabled}</Badge>}
        />
        <dl className="grid gap-4 px-5 py-4 text-sm sm:grid-cols-3 lg:grid-cols-6">
          <div>
            <dt className="text-subtle">Success, last 24 h</dt>
            <dd className="font-medium" data-testid="success-rate">
              {health.successRate24h === null ? "—" : `${Math.round(health.successRate24h * 100)}% (${health.succeeded24h}/${health.attempts24h})`}
            </dd>
          </div>
          <div>
            <dt className="text-subtle">Last attempt</dt>
            <dd className="font-medium">{endpoint.lastAttemptAt ? formatDateTime(endpoint.lastAttemptAt) : "Never"}</dd>
          </div>
          <div>
            <dt className="text-subtle">Failures in a row</dt>
            <dd className="font-medium">{endpoint.consecutiveFailures}</dd>
          </div>
          <div>
            <dt className="text-subtle">Events</dt>
            <dd className="font-medium">{endpoint.eventTypes ? endpoint.eventTypes.join(", ") : endpoint.format === "standard" ? "All" : `All that ${format.label} has`}</dd>
          </div>
          <div>
            <dt className="text-subtle">Format</dt>
            <dd className="font-medium" data-testid="endpoint-format">{format.label}</dd>
          </div>
          <div>
            <dt className="text-subtle">Retries</dt>
            <dd className="font-medium">{endpoint.retrySchedule ? scheduleText(endpoint.retrySchedule) : "Webhook settings"}</dd>
          </div>
        </dl>
        <div className="flex flex-wrap items-start gap-3 border-t border-line px-5 py-4">
          {edit && formatSends(endpoint.format, "webhook.test") ? <SendTestEvent endpointId={id} /> : null}
          {edit && !formatSends(endpoint.format, "webhook.test") ? (
            <p className="max-w-md text-sm text-subtle">
              The {format.label} format has no test event: a made-up payment would look real to your receiver. Pay an invoice with the sandbox in test mode to try it.
            </p>
          ) : null}
          <Link href={`/webhooks/deliveries?endpoint=${id}`} className={buttonClass("ghost")}>
            Deliveries to this endpoint →
          </Link>
        </div>
      </Card>
      {edit ? (
        <>
          <Card>
            <CardHeader
              title="Signing secret"
              description={
                endpoint.format === "standard"
                  ? "Verify each request with it (Standard Webhooks). Rotating keeps the old one signing for 24 hours."
                  : endpoint.format === "foloosi"
                    ? "Foloosi's format carries no signature of its own; verify the Standard Webhooks headers sent with it using this secret. Rotating keeps the old one signing for 24 hours."
                    : `Put it, as is, where your receiver keeps its ${format.label} secret${endpoint.format === "finan" ? ` (and ${id} where it keeps its client id: x-client-id)` : ""}. That signature holds one secret: after a rotation only the new one signs.`
              }
            />
            <SecretPanel endpointId={id} rotating={endpoint.rotating} />
          </Card>
          <Card>
            <CardHeader title="Edit endpoint" />
            <EndpointForm
              eventTypes={subscribableEventTypes}
              initial={{
                id,
                url: endpoint.url,
                description: endpoint.description,
                eventTypes: endpoint.eventTypes,
                enabled: endpoint.enabled,
                format: endpoint.format,
                retrySchedule: endpoint.retrySchedule,
              }}
            />
            <div className="border-t border-line px-5 py-4">
              <DeleteEndpoint endpointId={id} url={endpoint.url} />
            </div>
          </Card>
        </>
      ) : (
        <p className="text-sm text-subtle">Only owners and admins can change this endpoint or see its secret.</p>
      )}
    </div>
  );
}
