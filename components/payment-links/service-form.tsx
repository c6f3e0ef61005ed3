"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { createServiceAction } from "@/app/(dashboard)/settings/payment-services/actions";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { useResultToast } from "@/components/ui/toast";

export function ServiceForm({ banks }: { banks: { bin: string; shortName: string; name: string }[] }) {
  const [kind, setKind] = useState<"bank_transfer" | "redirect">("bank_transfer");
  const [state, action, pending] = useActionState(createServiceAction, null);
  const formRef = useRef<HTMLFormElement>(null);
  const fe = state && !state.ok ? state.fieldErrors : undefined;
  useResultToast(state, (s) => `${s.name} added`);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  return (
    <form ref={formRef} action={action} className="grid max-w-2xl gap-4 p-5 sm:grid-cols-2" noValidate>
      <Field label="Kind" htmlFor="service-kind" errors={fe?.kind}>
        <Select id="service-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="bank_transfer">Bank transfer (VietQR)</option>
          <option value="redirect">Card / e-wallet (redirect)</option>
        </Select>
      </Field>
      <Field label="Name customers see" htmlFor="service-name" errors={fe?.name}>
        <Input id="service-name" name="name" placeholder={kind === "bank_transfer" ? "Vietcombank account" : "ZainCash"} aria-invalid={!!fe?.name} />
      </Field>
      {kind === "bank_transfer" ? (
        <>
          <Field label="Bank" htmlFor="service-bank" errors={fe?.bankBin}>
            <Select id="service-bank" name="bankBin" defaultValue="" aria-invalid={!!fe?.bankBin}>
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
            <Input id="service-account" name="accountNumber" inputMode="numeric" aria-invalid={!!fe?.accountNumber} />
          </Field>
          <Field label="Account holder" htmlFor="service-account-name" errors={fe?.accountName}>
            <Input id="service-account-name" name="accountName" placeholder="NGUYEN VAN A" aria-invalid={!!fe?.accountName} />
          </Field>
        </>
      ) : (
        <Field label="Provider base URL" htmlFor="service-base-url" errors={fe?.baseUrl}>
          <Input id="service-base-url" name="baseUrl" type="url" placeholder="https://pay.provider.example/" aria-invalid={!!fe?.baseUrl} />
        </Field>
      )}
      <Field
        label="Notification signing secret"
        htmlFor="service-secret"
        errors={fe?.secret}
        hint={kind === "redirect" ? "Leave empty if the provider does not sign callbacks: Settle will then check each payment's status with the provider." : "The secret your bank signs notifications with. Stored encrypted."}
      >
        <Input id="service-secret" name="secret" type="password" autoComplete="off" aria-invalid={!!fe?.secret} />
      </Field>
      <div className="space-y-3 sm:col-span-2">
        <FormError message={state && !state.ok && !fe ? state.error : null} />
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add payment service"}
        </Button>
      </div>
    </form>
  );
}
