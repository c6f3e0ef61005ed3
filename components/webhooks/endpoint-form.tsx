"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { createEndpointAction, updateEndpointAction } from "@/app/(dashboard)/webhooks/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { useResultToast } from "@/components/ui/toast";

export interface EndpointFormValues {
  id?: string;
  url: string;
  description: string | null;
  eventTypes: string[] | null;
  enabled: boolean;
}

/** Create (no `initial.id`) or edit an endpoint: URL, description, events (all or chosen), enabled. */
export function EndpointForm({ initial, eventTypes }: { initial?: EndpointFormValues; eventTypes: readonly string[] }) {
  const editing = !!initial?.id;
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(editing ? updateEndpointAction : createEndpointAction);
  const [all, setAll] = useState(initial ? initial.eventTypes === null : true);
  const router = useRouter();

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
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-body">Events</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="allEvents" checked={all} onChange={(e) => setAll(e.target.checked)} className="h-4 w-4" />
          Send every event type
        </label>
        {!all ? (
          <div className="grid gap-1 sm:grid-cols-2">
            {eventTypes.map((t) => (
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
