"use client";

import { useState } from "react";
import { createServiceAction, updateServiceAction } from "@/app/(dashboard)/settings/payment-services/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { useResultToast } from "@/components/ui/toast";
import type { GatewayOption } from "@/lib/payment-services/gateway-view";
import { GatewayForm } from "./gateway-form";

/** A linked service's settings as the edit form shows them; its secret only as whether there is one. */
export interface ServiceFormValues {
  id: string;
  kind: "bank_transfer" | "redirect";
  name: string;
  bankBin?: string;
  accountNumber?: string;
  accountName?: string;
  baseUrl?: string;
  signed: boolean;
}

/** The add form's kind picker: the built-in kinds, then every gateway whose connector can be linked. */
function KindPicker({ kind, gateways, errors, onChange }: { kind: string; gateways: GatewayOption[]; errors?: string[]; onChange: (kind: string) => void }) {
  return (
    <Field label="Kind" htmlFor="service-kind" errors={errors}>
      <Select id="service-kind" name="kind" value={kind} aria-invalid={!!errors} onChange={(e) => onChange(e.target.value)}>
        <option value="bank_transfer">Bank transfer (VietQR)</option>
        <option value="redirect">Card / e-wallet (redirect)</option>
        {gateways.length ? (
          <optgroup label="Gateways">
            {gateways.map((g) => (
              <option key={g.kind} value={g.kind}>
                {g.label}
              </option>
            ))}
          </optgroup>
        ) : null}
      </Select>
    </Field>
  );
}

/**
 * Add a service (no `initial`), or edit one: its kind stays, its secret is kept
 * unless replaced or removed. Adding, the kind picker also offers `gateways`:
 * choosing one draws its own form (GatewayForm).
 */
export function ServiceForm({
  banks,
  initial,
  gateways = [],
  initialKind,
}: {
  banks: { bin: string; shortName: string; name: string }[];
  initial?: ServiceFormValues;
  gateways?: GatewayOption[];
  /** The kind to start with (`?kind=` on the page, so a link can open a gateway's form without JavaScript). */
  initialKind?: string;
}) {
  const start = initialKind && (initialKind === "redirect" || gateways.some((g) => g.kind === initialKind)) ? initialKind : "bank_transfer";
  const [kind, setKind] = useState<string>(initial?.kind ?? start);
  const gateway = initial ? undefined : gateways.find((g) => g.kind === kind);
  if (gateway) {
    return <GatewayForm key={gateway.kind} gateway={gateway} picker={(errors) => <KindPicker kind={kind} gateways={gateways} errors={errors} onChange={setKind} />} />;
  }
  return <BuiltInServiceForm banks={banks} initial={initial} kind={kind === "redirect" ? "redirect" : "bank_transfer"} picker={(errors) => <KindPicker kind={kind} gateways={gateways} errors={errors} onChange={setKind} />} />;
}

function BuiltInServiceForm({
  banks,
  initial,
  kind,
  picker,
}: {
  banks: { bin: string; shortName: string; name: string }[];
  initial?: ServiceFormValues;
  kind: "bank_transfer" | "redirect";
  picker: (errors?: string[]) => React.ReactNode;
}) {
  const editing = !!initial;
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(editing ? updateServiceAction : createServiceAction);
  useResultToast(state, (s) => `${s.name} ${editing ? "saved" : "added"}`);
  return (
    <form {...formProps} className="grid max-w-2xl gap-4 p-5 sm:grid-cols-2" noValidate>
      {initial ? (
        <>
          <input type="hidden" name="serviceId" value={initial.id} />
          <input type="hidden" name="kind" value={initial.kind} />
        </>
      ) : (
        picker(fe?.kind)
      )}
      <Field label="Name customers see" htmlFor="service-name" errors={fe?.name}>
        <Input
          id="service-name"
          name="name"
          defaultValue={initial?.name}
          placeholder={kind === "bank_transfer" ? "Vietcombank account" : "ZainCash"}
          aria-invalid={!!fe?.name}
        />
      </Field>
      {kind === "bank_transfer" ? (
        <>
          <Field label="Bank" htmlFor="service-bank" errors={fe?.bankBin}>
            <Select id="service-bank" name="bankBin" defaultValue={initial?.bankBin ?? ""} aria-invalid={!!fe?.bankBin}>
              <option value="" disabled>
                Choose a bank
              </option>
              {banks.map((b) => (
                <option key={b.bin} value={b.bin}>
                  {b.shortName} — {b.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Account number" htmlFor="service-account" errors={fe?.accountNumber}>
            <Input id="service-account" name="accountNumber" inputMode="numeric" defaultValue={initial?.accountNumber} aria-invalid={!!fe?.accountNumber} />
          </Field>
          <Field label="Account holder" htmlFor="service-account-name" errors={fe?.accountName}>
            <Input id="service-account-name" name="accountName" defaultValue={initial?.accountName} placeholder="NGUYEN VAN A" aria-invalid={!!fe?.accountName} />
          </Field>
        </>
      ) : (
        <Field label="Provider base URL" htmlFor="service-base-url" errors={fe?.baseUrl}>
          <Input id="service-base-url" name="baseUrl" type="url" defaultValue={initial?.baseUrl} placeholder="https://pay.provider.example/" aria-invalid={!!fe?.baseUrl} />
        </Field>
      )}
      <Field
        label={editing ? "New notification signing secret" : "Notification signing secret"}
        htmlFor="service-secret"
        errors={fe?.secret}
        hint={
          editing
            ? initial.signed
              ? "Leave empty to keep the current secret. It is stored encrypted and never shown."
              : "Notifications are not signed now. Enter the provider's secret to require signed ones."
            : kind === "redirect"
              ? "Leave empty if the provider does not sign callbacks: Settle will then check each payment's status with the provider."
              : "The secret your bank signs notifications with. Stored encrypted."
        }
      >
        <Input id="service-secret" name="secret" type="password" autoComplete="off" aria-invalid={!!fe?.secret} />
      </Field>
      {initial?.signed ? (
        <label className="flex items-center gap-2 self-end text-sm text-body sm:pb-2">
          <input type="checkbox" name="removeSecret" className="h-4 w-4" />
          Remove the signing secret
        </label>
      ) : null}
      <div className="space-y-3 sm:col-span-2">
        <FormError message={state && !state.ok && !fe ? state.error : null} />
        <Button type="submit" disabled={pending}>
          {pending ? (editing ? "Saving…" : "Adding…") : editing ? "Save payment service" : "Add payment service"}
        </Button>
      </div>
    </form>
  );
}
