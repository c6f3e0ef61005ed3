"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { createEndpointAction, updateEndpointAction } from "@/app/(dashboard)/webhooks/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { useResultToast } from "@/components/ui/toast";
import { notSentBy, scheduleText, type WebhookFormatId, webhookFormatIds, webhookFormats } from "@/lib/webhooks/formats/catalogue";

export interface EndpointFormValues {
  id?: string;
  url: string;
  description: string | null;
  eventTypes: string[] | null;
  enabled: boolean;
  format: WebhookFormatId;
  /** Seconds; null: the merchant's webhook settings. */
  retrySchedule: number[] | null;
}

/**
 * Create (no `initial.id`) or edit an endpoint: URL, description, format,
 * events (all or chosen), retry schedule, enabled. Picking a gateway's format
 * fills in that gateway's own retry schedule and says which events it never sends.
 */
export function EndpointForm({ initial, eventTypes }: { initial?: EndpointFormValues; eventTypes: readonly string[] }) {
  const editing = !!initial?.id;
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(editing ? updateEndpointAction : createEndpointAction);
  const [all, setAll] = useState(initial ? initial.eventTypes === null : true);
  const [format, setFormat] = useState<WebhookFormatId>(initial?.format ?? "standard");
  const [schedule, setSchedule] = useState(initial?.retrySchedule ? scheduleText(initial.retrySchedule) : "");
  const router = useRouter();
  const entry = webhookFormats[format];
  const notSent = notSentBy(format, eventTypes);
  const choosable = eventTypes.filter((t) => !notSent.includes(t));

  function pickFormat(next: WebhookFormatId) {
    const before = webhookFormats[format].retryDefaults;
    const defaults = webhookFormats[next].retryDefaults;
    // Offer the gateway's own schedule; a schedule the merchant typed themselves stays.
    if (defaults) setSchedule(scheduleText(defaults));
    else if (before && schedule === scheduleText(before)) setSchedule("");
    setFormat(next);
  }

  useResultToast(state, editing ? "Endpoint saved" : "Endpoint added");
  useEffect(() => {
    if (state?.ok && !editing) router.push(`/webhooks/${state.data.id}`);
  }, [state, editing, router]);

  return (
    <form {...formProps} className="space-y-4 p-5" noValidate>
      {initial?.id ? <input type="hidden" name="id" value={initial.id} /> : null}
      <Field label="Endpoint URL" htmlFor="endpoint-url" errors={fe?.url} hint="Where Settle POSTs signed events.">
        <Input
          id="endpoint-url"
          name="url"
          type="url"
          inputMode="url"
          placeholder="https://example.com/webhooks/settle"
          defaultValue={initial?.url}
          aria-invalid={!!fe?.url}
        />
      </Field>
      <Field label="Description" htmlFor="endpoint-description" errors={fe?.description}>
        <Input
          id="endpoint-description"
          name="description"
          defaultValue={initial?.description ?? ""}
          placeholder="Order system (production)"
          aria-invalid={!!fe?.description}
        />
      </Field>
      <Field label="Format" htmlFor="endpoint-format" errors={fe?.format} hint={entry.summary}>
        <Select
          id="endpoint-format"
          name="format"
          value={format}
          onChange={(e) => pickFormat(e.target.value as WebhookFormatId)}
          aria-invalid={!!fe?.format}
          className="w-full sm:w-80"
        >
          {webhookFormatIds.map((f) => (
            <option key={f} value={f}>
              {webhookFormats[f].label}
            </option>
          ))}
        </Select>
      </Field>
      {notSent.length ? (
        <div className="rounded-md bg-slate-50 p-3 text-sm ring-1 ring-inset ring-slate-200 dark:bg-slate-800/60 dark:ring-slate-700" data-testid="not-sent">
          <p className="font-medium text-body">Not sent in this format: {entry.label} has no equivalent of</p>
          <p className="mt-1 font-mono text-xs text-subtle">{notSent.join(", ")}</p>
        </div>
      ) : null}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-body">Events</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="allEvents" checked={all} onChange={(e) => setAll(e.target.checked)} className="h-4 w-4" />
          {format === "standard" ? "Send every event type" : `Send every event the ${entry.label} format has`}
        </label>
        {!all ? (
          <div className="grid gap-1 sm:grid-cols-2">
            {choosable.map((t) => (
              <label key={t} className="flex items-center gap-2 font-mono text-xs text-body">
                <input type="checkbox" name="eventTypes" value={t} defaultChecked={initial?.eventTypes?.includes(t)} className="h-4 w-4" />
                {t}
              </label>
            ))}
          </div>
        ) : null}
        {fe?.eventTypes ? (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {fe.eventTypes[0]}
          </p>
        ) : null}
      </fieldset>
      <Field
        label="Retry schedule"
        htmlFor="endpoint-retry"
        errors={fe?.retrySchedule}
        hint={`${entry.retryNote ? `${entry.retryNote} ` : ""}After a failed attempt, e.g. 10s, 10s, 10s or 5m, 10m, 15m (a bare number is minutes). Empty: your webhook settings.`}
      >
        <Input
          id="endpoint-retry"
          name="retrySchedule"
          value={schedule}
          onChange={(e) => setSchedule(e.target.value)}
          placeholder="Your webhook settings"
          aria-invalid={!!fe?.retrySchedule}
          className="w-full sm:w-80"
        />
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={initial ? initial.enabled : true} className="h-4 w-4" />
        Enabled
      </label>
      <FormError message={state && !state.ok && !fe ? state.error : null} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : editing ? "Save endpoint" : "Add endpoint"}
      </Button>
    </form>
  );
}
