import Link from "next/link";
import { Field, Input } from "@/components/ui/field";
import type { FieldErrors } from "@/lib/errors";
import { serviceKindLabels } from "@/lib/format/labels";

export interface ServiceOption {
  id: string;
  name: string;
  kind: string;
  /** The currencies it can take; absent when the caller offered only fitting ones already. */
  currencies?: readonly string[];
}

const kindLabel: Record<string, string> = { ...serviceKindLabels, sandbox: "Sandbox (test)", bank_transfer: "Bank transfer (VietQR)", redirect: "Card / e-wallet" };

/** The options every link has: which services it offers, how long it stays open, where the customer goes after. */
export function LinkFields({ services, fe, idPrefix }: { services: ServiceOption[]; fe?: FieldErrors; idPrefix: string }) {
  return (
    <>
      <fieldset className="space-y-2" aria-describedby={fe?.serviceIds ? `${idPrefix}-services-error` : undefined}>
        <legend className="text-sm font-medium text-body">Payment services offered</legend>
        {services.length === 0 ? (
          <p className="text-sm text-muted">
            No payment service of yours can take this payment: customers would have no way to pay.{" "}
            <Link href="/settings/payment-services" className="font-medium text-brand-700 hover:underline dark:text-brand-400">
              Link a bank account or provider
            </Link>{" "}
            first.
          </p>
        ) : null}
        {services.map((s, i) => (
          <label key={s.id} className="flex items-center gap-2 text-sm text-slate-800 dark:text-slate-200">
            <input type="checkbox" name="serviceIds" value={s.id} defaultChecked={i === 0} className="h-4 w-4 rounded border-slate-300 dark:border-slate-700 text-brand-600 dark:text-brand-400" />
            {s.name} <span className="text-subtle">· {kindLabel[s.kind] ?? s.kind}</span>
          </label>
        ))}
        {fe?.serviceIds ? (
          <ul id={`${idPrefix}-services-error`} role="alert" className="text-sm text-red-600 dark:text-red-400">
            {fe.serviceIds.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        ) : null}
      </fieldset>
      <Field label="Expires after (minutes)" htmlFor={`${idPrefix}-expiry`} errors={fe?.expiresInMinutes} hint="30 minutes unless you change it.">
        <Input id={`${idPrefix}-expiry`} name="expiresInMinutes" inputMode="numeric" defaultValue="30" aria-invalid={!!fe?.expiresInMinutes} />
      </Field>
      <Field label="Success redirect URL (optional)" htmlFor={`${idPrefix}-success`} errors={fe?.successUrl}>
        <Input id={`${idPrefix}-success`} name="successUrl" type="url" placeholder="https://shop.example.com/thanks" aria-invalid={!!fe?.successUrl} />
      </Field>
      <Field label="Failure redirect URL (optional)" htmlFor={`${idPrefix}-failure`} errors={fe?.failureUrl}>
        <Input id={`${idPrefix}-failure`} name="failureUrl" type="url" placeholder="https://shop.example.com/cart" aria-invalid={!!fe?.failureUrl} />
      </Field>
    </>
  );
}
