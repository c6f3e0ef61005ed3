"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { startBulkRetryAction } from "@/app/(dashboard)/webhooks/actions";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { Field, Input, Select } from "@/components/ui/field";
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
/** The columns a phone leaves out (its rows say the endpoint and time under the event). */
const wide = "hidden sm:table-cell";
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
          <TableHead
            columns={[
              "Event",
              "Status",
              { label: "Endpoint", className: wide },
              { label: "Attempts", align: "right", className: wide },
              { label: "Response", className: wide },
              { label: zoned("Next attempt"), className: wide },
              { label: zoned("Created"), className: wide },
            ]}
            pad="px-3"
          />
          <tbody className="divide-y divide-line-soft">
            {data.rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-3 py-10 text-center text-subtle">
                  {hasFilter ? "No delivery matches these filters." : "No deliveries yet. They appear here as events happen."}
                </td>
              </tr>
            ) : (
              data.rows.map((d) => {
                const name = endpointName({ url: d.endpointUrl, description: d.endpointDescription });
                return (
                  <tr key={d.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/60">
                    <td className="px-3 py-2">
                      <Link
                        href={`/webhooks/deliveries/${d.id}`}
                        className="inline-flex min-h-6 items-center whitespace-nowrap font-mono text-xs font-medium text-brand-700 dark:text-brand-400 hover:underline"
                      >
                        {d.eventType}
                      </Link>
                      {/* A phone has no room for the other columns: the endpoint and the time go under the event. */}
                      <span className="flex max-w-[14rem] items-center gap-1.5 text-xs text-muted sm:hidden" data-testid="delivery-endpoint-phone">
                        <span className="truncate">{name}</span>
                        {d.endpointDeletedAt ? <Badge>Deleted</Badge> : null}
                        <span className="whitespace-nowrap">· {when(d.createdAt)}</span>
                      </span>
                    </td>
                    <td className="px-3 py-2">
                      <DeliveryStatusBadge status={d.status} />
                    </td>
                    <td className={`max-w-56 px-3 py-2 text-xs ${wide}`} title={d.endpointUrl ?? undefined} data-testid="delivery-endpoint">
                      <span className="flex items-center gap-1.5">
                        <span className="truncate font-medium text-body">{name}</span>
                        {d.endpointDeletedAt ? <Badge>Deleted</Badge> : null}
                      </span>
                      {d.endpointUrl ? <span className="block truncate font-mono text-subtle">{d.endpointUrl}</span> : null}
                    </td>
                    <td className={`px-3 py-2 text-right tabular-nums ${wide}`}>{d.attempts}</td>
                    <td className={`px-3 py-2 tabular-nums ${wide}`}>{d.lastResponseStatus ?? "—"}</td>
                    <td className={`whitespace-nowrap px-3 py-2 text-muted ${wide}`}>{when(d.nextAttemptAt)}</td>
                    <td className={`whitespace-nowrap px-3 py-2 text-muted ${wide}`}>{when(d.createdAt)}</td>
                  </tr>
                );
              })
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

/** How many filters are set, for the folded form's summary. */
function activeFilters(f: DeliveryFilter): number {
  return f.status.length + (["endpoint", "type", "from", "to", "q"] as const).filter((k) => f[k]).length;
}

/**
 * A plain GET form: the filters live in the URL, so a filtered log can be
 * shared and reloaded. Folded behind its summary (a native disclosure, no
 * JavaScript needed), so a phone's first screen shows deliveries, not filters.
 */
function FilterForm({ filter, endpoints, eventTypes, hasFilter }: Parameters<typeof DeliveryLog>[0] & { hasFilter: boolean }) {
  const active = activeFilters(filter);
  return (
    <details className="group rounded-lg bg-surface shadow-sm ring-1 ring-line" data-testid="delivery-filters">
      <summary className="flex min-h-11 cursor-pointer list-none items-center gap-2 rounded-lg px-4 py-2 text-sm font-medium text-strong hover:bg-slate-50 dark:hover:bg-slate-800/60 [&::-webkit-details-marker]:hidden">
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 text-subtle transition-transform group-open:rotate-90">
          <path fillRule="evenodd" d="M7.2 14.8a.75.75 0 0 1 0-1.06L10.94 10 7.2 6.26a.75.75 0 1 1 1.06-1.06l4.27 4.27a.75.75 0 0 1 0 1.06L8.26 14.8a.75.75 0 0 1-1.06 0Z" clipRule="evenodd" />
        </svg>
        Filters
        {active ? <Badge tone="blue">{active} active</Badge> : null}
      </summary>
      <form method="get" action="/webhooks/deliveries" className="space-y-4 border-t border-line p-4" aria-label="Filters">
        <fieldset className="flex flex-wrap gap-x-4 gap-y-1">
          <legend className="mb-1 text-sm font-medium text-body">Status</legend>
          {deliveryStatuses.map((s: DeliveryStatus) => (
            <label key={s} className="flex min-h-8 items-center gap-2 text-sm">
              <input type="checkbox" name="status" value={s} defaultChecked={filter.status.includes(s)} className="h-6 w-6 sm:h-4 sm:w-4" />
              {deliveryStatusLabels[s]}
            </label>
          ))}
        </fieldset>
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
          <div className="col-span-2 lg:col-span-1">
            <Field label="Endpoint" htmlFor="filter-endpoint">
              <Select id="filter-endpoint" name="endpoint" defaultValue={filter.endpoint ?? ""}>
                <option value="">All endpoints</option>
                {endpoints.filter((e) => !e.deleted).map(endpointOption)}
                {endpoints.some((e) => e.deleted) ? <optgroup label="Deleted endpoints">{endpoints.filter((e) => e.deleted).map(endpointOption)}</optgroup> : null}
              </Select>
            </Field>
          </div>
          <div className="col-span-2 lg:col-span-1">
            <Field label="Event type" htmlFor="filter-type">
              <Select id="filter-type" name="type" defaultValue={filter.type ?? ""}>
                <option value="">All event types</option>
                {eventTypes.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <Field label="Created from" htmlFor="filter-from">
            <Input id="filter-from" type="date" name="from" defaultValue={filter.from ?? ""} />
          </Field>
          <Field label="Created to" htmlFor="filter-to">
            <Input id="filter-to" type="date" name="to" defaultValue={filter.to ?? ""} />
          </Field>
          <div className="col-span-2 lg:col-span-1">
            <Field label="Search" htmlFor="filter-q">
              <Input id="filter-q" type="search" name="q" placeholder="Event, delivery id or invoice no." defaultValue={filter.q ?? ""} />
            </Field>
          </div>
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
    </details>
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
