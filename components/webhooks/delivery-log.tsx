"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { startBulkRetryAction } from "@/app/(dashboard)/webhooks/actions";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { Input, Select } from "@/components/ui/field";
import type { DeliveryStatus } from "@/lib/format/labels";
import { deliveryStatusLabels } from "@/lib/format/labels";
import { formatCompactDateTime, zoned } from "@/lib/format/time";
import type { DeliveryPageJson, RetryJobProgress } from "@/lib/webhooks/deliveries";
import { type DeliveryFilter, deliveryStatuses, type EndpointOption, endpointName, filterToSearchParams } from "@/lib/webhooks/filters";
import { DeliveryStatusBadge } from "./status-badge";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";

// Compact (no year, the zone in the heading) so the whole row fits a laptop screen; the detail page has the full date.
const when = (iso: string | null) => (iso ? formatCompactDateTime(iso) : "—");
/** How often the open log refreshes itself. */
const REFRESH_MS = 2000;

/** A dashboard GET route's JSON (app/api/dashboard/webhooks): never from a cache, an error status throws. */
async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { cache: "no-store" });
  if (!res.ok) throw new Error(`${path}: status ${res.status}`);
  return (await res.json()) as T;
}

export function DeliveryLog(props: {
  filter: DeliveryFilter;
  cursor?: string;
  initial: DeliveryPageJson;
  endpoints: EndpointOption[];
  eventTypes: readonly string[];
  canRetry: boolean;
}) {
  const { filter, cursor } = props;
  const { data } = useQuery({
    queryKey: ["webhook-deliveries", filter, cursor ?? null],
    queryFn: () => {
      const query = filterToSearchParams(filter);
      if (cursor) query.set("cursor", cursor);
      return getJson<DeliveryPageJson>(`/api/dashboard/webhooks/deliveries?${query}`);
    },
    initialData: props.initial,
    refetchInterval: REFRESH_MS,
  });
  const params = filterToSearchParams(filter);
  const hasFilter = [...params.keys()].length > 0;

  return (
    <div className="space-y-4">
      <FilterForm {...props} hasFilter={hasFilter} />
      {props.canRetry ? <BulkRetry filter={filter} /> : null}
      <TableScroll label="Deliveries table" className="rounded-lg bg-surface shadow-sm ring-1 ring-line">
        <table className="min-w-full text-sm" aria-label="Deliveries">
          <TableHead columns={["Event", "Status", "Endpoint", { label: "Attempts", align: "right" }, "Response", zoned("Next attempt"), zoned("Created")]} pad="px-3" />
          <tbody className="divide-y divide-line-soft">
            {data.rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-3 py-10 text-center text-subtle">
                  {hasFilter ? "No delivery matches these filters." : "No deliveries yet. They appear here as events happen."}
                </td>
              </tr>
            ) : (
              data.rows.map((d) => (
                <tr key={d.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/60">
                  <td className="whitespace-nowrap px-3 py-2">
                    <Link href={`/webhooks/deliveries/${d.id}`} className="font-mono text-xs font-medium text-brand-700 dark:text-brand-400 hover:underline">
                      {d.eventType}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <DeliveryStatusBadge status={d.status} />
                  </td>
                  <td className="max-w-48 px-3 py-2 text-xs text-muted" title={d.endpointUrl ?? undefined} data-testid="delivery-endpoint">
                    <span className="flex items-center gap-1.5">
                      <span className={`truncate ${d.endpointDescription ? "" : "font-mono"}`}>{endpointName({ url: d.endpointUrl, description: d.endpointDescription })}</span>
                      {d.endpointDeletedAt ? <Badge>Deleted</Badge> : null}
                    </span>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{d.attempts}</td>
                  <td className="px-3 py-2 tabular-nums">{d.lastResponseStatus ?? "—"}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-muted">{when(d.nextAttemptAt)}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-muted">{when(d.createdAt)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableScroll>
      <div className="flex justify-between gap-2">
        {cursor ? (
          <Link className={buttonClass("secondary", "sm")} href={`/webhooks/deliveries?${params}`}>
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {data.nextCursor ? (
          <Link className={buttonClass("secondary", "sm")} href={`/webhooks/deliveries?${withCursor(params, data.nextCursor)}`}>
            Older →
          </Link>
        ) : null}
      </div>
    </div>
  );
}

function withCursor(params: URLSearchParams, cursor: string) {
  const p = new URLSearchParams(params);
  p.set("cursor", cursor);
  return p.toString();
}

/** A plain GET form: the filters live in the URL, so a filtered log can be shared and reloaded. */
function FilterForm({ filter, endpoints, eventTypes, hasFilter }: Parameters<typeof DeliveryLog>[0] & { hasFilter: boolean }) {
  return (
    <form method="get" action="/webhooks/deliveries" className="space-y-3 rounded-lg bg-surface p-4 shadow-sm ring-1 ring-line" aria-label="Filters">
      <fieldset className="flex flex-wrap gap-x-4 gap-y-2">
        <legend className="mb-1 text-xs font-medium uppercase tracking-wide text-subtle">Status</legend>
        {deliveryStatuses.map((s: DeliveryStatus) => (
          <label key={s} className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" name="status" value={s} defaultChecked={filter.status.includes(s)} className="h-4 w-4" />
            {deliveryStatusLabels[s]}
          </label>
        ))}
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <Select name="endpoint" aria-label="Endpoint" defaultValue={filter.endpoint ?? ""}>
          <option value="">All endpoints</option>
          {endpoints.filter((e) => !e.deleted).map(endpointOption)}
          {endpoints.some((e) => e.deleted) ? <optgroup label="Deleted endpoints">{endpoints.filter((e) => e.deleted).map(endpointOption)}</optgroup> : null}
        </Select>
        <Select name="type" aria-label="Event type" defaultValue={filter.type ?? ""}>
          <option value="">All event types</option>
          {eventTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </Select>
        <Input type="date" name="from" aria-label="From date" defaultValue={filter.from ?? ""} />
        <Input type="date" name="to" aria-label="To date" defaultValue={filter.to ?? ""} />
        <Input type="search" name="q" aria-label="Search" placeholder="Event, delivery id or invoice no." defaultValue={filter.q ?? ""} />
      </div>
      <div className="flex gap-2">
        <Button type="submit" size="sm">
          Apply filters
        </Button>
        {hasFilter ? (
          <Link href="/webhooks/deliveries" className={buttonClass("ghost", "sm")}>
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}

/** Named and located, so two endpoints with one description, or a deleted one, still tell apart. */
function endpointOption(e: EndpointOption) {
  return (
    <option key={e.id} value={e.id}>
      {e.description ? `${e.description} · ${e.url}` : e.url}
      {e.deleted ? " (deleted)" : ""}
    </option>
  );
}

function BulkRetry({ filter }: { filter: DeliveryFilter }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const { data: job } = useQuery({
    queryKey: ["webhook-retry-job", jobId],
    queryFn: () => getJson<RetryJobProgress>(`/api/dashboard/webhooks/retry-jobs/${encodeURIComponent(jobId!)}`),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data?.status === "finished" ? false : 1000),
  });
  const percent = job ? (job.total ? Math.round((job.done / job.total) * 100) : 100) : 0;

  return (
    <div className="flex flex-wrap items-center gap-3">
      <ConfirmButton
        variant="secondary"
        size="sm"
        disabled={!!job && job.status !== "finished"}
        confirm={{
          title: "Retry every matching delivery?",
          body: "Each delivery that matches the current filters (up to 10,000) is sent again, in the background.",
          confirmLabel: "Retry all",
          tone: "primary",
        }}
        run={() => startBulkRetryAction(null, filter)}
        success={({ total }) => `Retrying ${total.toLocaleString("en")} ${total === 1 ? "delivery" : "deliveries"}`}
        onDone={({ id }) => setJobId(id)}
      >
        Retry all matching
      </ConfirmButton>
      {job ? (
        <div className="flex min-w-64 flex-1 items-center gap-3" data-testid="bulk-retry-progress">
          <div
            role="progressbar"
            aria-label="Bulk retry progress"
            aria-valuemin={0}
            aria-valuemax={job.total}
            aria-valuenow={job.done}
            className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
          >
            <div className="h-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
          </div>
          <span className="whitespace-nowrap text-sm text-muted">
            {job.status === "finished" ? `Retried ${job.done} of ${job.total}` : `Retrying ${job.done} of ${job.total}…`}
          </span>
        </div>
      ) : null}
    </div>
  );
}
