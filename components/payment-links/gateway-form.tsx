"use client";

import { createGatewayServiceAction, updateGatewayServiceAction } from "@/app/(dashboard)/settings/payment-services/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { useResultToast } from "@/components/ui/toast";
import type { FieldErrors } from "@/lib/errors";
import type { GatewayOption } from "@/lib/payment-services/gateway-view";

/** A linked gateway as its edit form shows it: public values, and for each secret only whether it is set. */
export interface GatewayFormValues {
  id: string;
  name: string;
  values: Record<string, string | undefined>;
  secretsSet: string[];
}

function fieldHint(field: GatewayOption["fields"][number], editing: boolean, set: boolean): string | undefined {
  const parts: string[] = [];
  if (field.hint) parts.push(field.hint);
  if (field.secret) {
    if (editing && set) parts.push("Leave empty to keep the current value. Stored encrypted and never shown.");
    else if (editing) parts.push("Not set. Stored encrypted and never shown.");
    else parts.push("Stored encrypted and never shown again.");
  }
  if (field.optional && !(field.secret && editing && set)) parts.push("Optional.");
  return parts.join(" ") || undefined;
}

/**
 * Links a gateway, or edits one (`initial`), with the fields its connector's
 * setup declares: secret fields are password inputs that start empty (left
 * empty on edit, the current value is kept). `picker`: the add form's kind
 * picker, drawn first, with this form's errors for `kind`.
 */
export function GatewayForm({ gateway, initial, picker }: { gateway: GatewayOption; initial?: GatewayFormValues; picker?: (errors?: string[]) => React.ReactNode }) {
  const editing = !!initial;
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(editing ? updateGatewayServiceAction : createGatewayServiceAction);
  useResultToast(state, (s) => `${s.name} ${editing ? "saved" : "added"}`);
  const known = new Set(["kind", "name", "serviceId", ...gateway.fields.map((f) => f.name)]);
  const other = fe ? Object.entries(fe as FieldErrors).filter(([k]) => !known.has(k)).flatMap(([, v]) => v) : [];
  return (
    <form {...formProps} className="grid max-w-2xl gap-4 p-5 sm:grid-cols-2" noValidate>
      {initial ? <input type="hidden" name="serviceId" value={initial.id} /> : null}
      {picker ? picker(fe?.kind) : <input type="hidden" name="kind" value={gateway.kind} />}
      <p className="text-sm text-muted sm:col-span-2">{gateway.description}</p>
      <Field label="Name customers see" htmlFor="service-name" errors={fe?.name}>
        <Input id="service-name" name="name" defaultValue={initial?.name} placeholder={gateway.label} aria-invalid={!!fe?.name} />
      </Field>
      {gateway.fields.map((f) => {
        const id = `gateway-${f.name}`;
        const set = !!initial?.secretsSet.includes(f.name);
        return (
          <Field key={`${gateway.kind}-${f.name}`} label={f.label} htmlFor={id} errors={fe?.[f.name]} hint={fieldHint(f, editing, set)}>
            <Input
              id={id}
              name={f.name}
              type={f.secret ? "password" : f.type === "url" ? "url" : "text"}
              autoComplete="off"
              defaultValue={f.secret ? undefined : initial?.values[f.name]}
              placeholder={f.placeholder}
              aria-invalid={!!fe?.[f.name]}
            />
          </Field>
        );
      })}
      <div className="space-y-3 sm:col-span-2">
        <FormError message={state && !state.ok ? (!fe ? state.error : other.length ? other.join(" ") : null) : null} />
        <Button type="submit" disabled={pending}>
          {pending ? (editing ? "Saving…" : "Adding…") : editing ? "Save payment service" : "Add payment service"}
        </Button>
      </div>
    </form>
  );
}
