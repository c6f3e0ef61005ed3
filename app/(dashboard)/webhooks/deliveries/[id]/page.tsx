import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardHeader } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { RetryDelivery } from "@/components/webhooks/retry-button";
import { DeliveryStatusBadge } from "@/components/webhooks/status-badge";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { prettyBody } from "@/lib/format/json-body";
import { formatDateTimeSeconds } from "@/lib/format/time";
import { type DeliveryDetail, getDeliveryDetail } from "@/lib/webhooks/deliveries";

export const metadata = { title: "Webhook delivery" };

function Headers({ label, headers }: { label: string; headers: Record<string, string> | null }) {
  if (!headers || !Object.keys(headers).length) return <p className="text-subtle">—</p>;
  return (
    <CodeBlock label={label} className="max-h-48">
      {Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join("\n")}
    </CodeBlock>
  );
}

/** A body as sent or answered; JSON indented so a person can read it, and (`exact`) the bytes themselves, which a signature covers. */
function Body({ label, body, testId, exact }: { label: string; body: string | null; testId?: string; exact?: boolean }) {
  if (!body) return <p className="text-subtle">—</p>;
  const pretty = prettyBody(body);
  return (
    <>
      <CodeBlock label={label} className="max-h-80" data-testid={testId}>
        {pretty}
      </CodeBlock>
      {exact && pretty !== body ? (
        <details className="text-xs">
          <summary className="flex min-h-11 cursor-pointer items-center text-subtle">Exact bytes sent</summary>
          <CodeBlock label={`${label}, exact bytes`} className="mt-1 max-h-80" data-testid={testId ? `${testId}-exact` : undefined}>
            {body}
          </CodeBlock>
        </details>
      ) : null}
    </>
  );
}

/** Which endpoint, by name and URL; a deleted one says so. */
function endpointLine(d: Pick<DeliveryDetail, "endpointUrl" | "endpointDescription" | "endpointDeletedAt">) {
  if (!d.endpointUrl) return "No endpoint";
  const where = d.endpointDescription ? `${d.endpointDescription} · ${d.endpointUrl}` : d.endpointUrl;
  return d.endpointDeletedAt ? `${where} (deleted ${formatDateTimeSeconds(d.endpointDeletedAt)})` : where;
}

/** What one attempt came to, for its heading: a written result, or none yet (in flight), or none ever (its dispatcher died). */
function attemptSummary(a: { responseStatus: number | null; outcome: string; error: string | null }): string {
  if (a.responseStatus) return `HTTP ${a.responseStatus}`;
  if (a.outcome === "timeout") return "timed out";
  if (a.outcome === "pending") return a.error ? "interrupted" : "in flight";
  return "no response";
}

export default async function DeliveryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const d = await getDeliveryDetail(await getDb(), { merchantId: actor.merchantId, id });
  if (!d) notFound();

  return (
    <div className="space-y-6">
      <Link href="/webhooks/deliveries" className="inline-flex min-h-6 items-center text-sm font-medium text-brand-700 dark:text-brand-400 hover:underline">
        ← All deliveries
      </Link>
      <Card>
        <CardHeader title={d.eventType} description={endpointLine(d)} actions={<DeliveryStatusBadge status={d.status} />} />
        <dl className="grid gap-4 px-5 py-4 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-subtle">Delivery</dt>
            <dd className="font-mono text-xs">{d.id}</dd>
          </div>
          <div>
            <dt className="text-subtle">Message (webhook-id)</dt>
            <dd className="font-mono text-xs">{d.messageId}</dd>
          </div>
          <div>
            <dt className="text-subtle">Event</dt>
            <dd className="font-mono text-xs">{d.eventId}</dd>
          </div>
          <div>
            <dt className="text-subtle">Created</dt>
            <dd>{formatDateTimeSeconds(d.createdAt)}</dd>
          </div>
          <div>
            <dt className="text-subtle">Attempts</dt>
            <dd data-testid="attempt-count">{d.attempts}</dd>
          </div>
          <div>
            <dt className="text-subtle">Next attempt</dt>
            <dd>{d.nextAttemptAt ? formatDateTimeSeconds(d.nextAttemptAt) : "None scheduled"}</dd>
          </div>
        </dl>
        {d.endpointDeletedAt ? (
          <p className="border-t border-line px-5 py-4 text-sm text-subtle">Its endpoint was deleted, so it cannot be sent again.</p>
        ) : can(actor.role, "webhooks.retry") ? (
          <div className="border-t border-line px-5 py-4">
            <RetryDelivery deliveryId={d.id} />
          </div>
        ) : null}
      </Card>

      <section aria-label="Attempts" className="space-y-4">
        <h2 className="text-base font-semibold text-strong">Attempts</h2>
        {d.attemptList.length === 0 ? (
          <p className="text-sm text-subtle">
            {d.status === "url_not_set" ? "Not sent: no endpoint took this event when it happened." : d.endpointDeletedAt ? "Not sent: its endpoint was deleted first." : "No attempt yet."}
          </p>
        ) : (
          [...d.attemptList].reverse().map((a, i) => {
            const n = d.attemptList.length - i;
            return (
              <Card key={a.id} data-testid="attempt">
                <CardHeader
                  title={`Attempt ${n} · ${attemptSummary(a)}`}
                  description={`${formatDateTimeSeconds(a.startedAt)} · ${a.durationMs} ms · ${a.trigger}${a.triggeredByEmail ? ` by ${a.triggeredByEmail}` : ""}`}
                  actions={<DeliveryStatusBadge status={a.outcome} />}
                />
                <div className="grid gap-4 px-5 py-4 text-sm lg:grid-cols-2">
                  {a.error ? (
                    <p className="rounded bg-red-50 dark:bg-red-950/40 p-2 text-red-800 dark:text-red-300 lg:col-span-2" data-testid="attempt-error">
                      {a.error}
                    </p>
                  ) : null}
                  <div className="min-w-0 space-y-2">
                    <h3 className="font-medium text-body">Request</h3>
                    <p className="break-all font-mono text-xs">POST {a.requestUrl}</p>
                    <Headers label={`Attempt ${n} request headers`} headers={a.requestHeaders} />
                    <Body label={`Attempt ${n} request body`} body={a.requestBody} testId="request-body" exact />
                  </div>
                  <div className="min-w-0 space-y-2">
                    <h3 className="font-medium text-body">Response</h3>
                    <Headers label={`Attempt ${n} response headers`} headers={a.responseHeaders} />
                    <div data-testid="response-body">
                      <Body label={`Attempt ${n} response body`} body={a.responseBody} />
                    </div>
                  </div>
                </div>
              </Card>
            );
          })
        )}
      </section>
    </div>
  );
}
