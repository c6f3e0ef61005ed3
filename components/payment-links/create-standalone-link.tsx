"use client";

import { useState } from "react";
import { createStandaloneLinkAction } from "@/app/(dashboard)/payment-links/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { CreatedLink } from "./created-link";
import { LinkFields, type ServiceOption } from "./link-fields";
import { useResultToast } from "@/components/ui/toast";

export function CreateStandaloneLink({ services, currencies }: { services: ServiceOption[]; currencies: string[] }) {
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(createStandaloneLinkAction);
  // Only the services that take the chosen currency are offered; without JavaScript all are, and the server refuses a mismatch.
  const [currency, setCurrency] = useState("VND");
  const fitting = services.filter((s) => !s.currencies || s.currencies.includes(currency));
  useResultToast(state, (l) => `Payment link ${l.code} created`);
  return (
    <div className="space-y-4 p-5">
      <form {...formProps} className="grid gap-4 md:grid-cols-2" noValidate>
        <div className="space-y-4">
          <Field label="What is it for?" htmlFor="link-description" errors={fe?.description}>
            <Input id="link-description" name="description" placeholder="Consulting call, 1 hour" aria-invalid={!!fe?.description} />
          </Field>
          <div className="grid grid-cols-[1fr_7rem] gap-3">
            <Field label="Amount" htmlFor="link-amount" errors={fe?.amount}>
              <Input id="link-amount" name="amount" inputMode="decimal" placeholder="100000" aria-invalid={!!fe?.amount} />
            </Field>
            <Field label="Currency" htmlFor="link-currency" errors={fe?.currency}>
              <Select id="link-currency" name="currency" defaultValue="VND" onChange={(e) => setCurrency(e.target.value)} aria-invalid={!!fe?.currency}>
                {currencies.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </Select>
            </Field>
          </div>
          <Field label="Customer name (optional)" htmlFor="link-customer" errors={fe?.customerName}>
            <Input id="link-customer" name="customerName" aria-invalid={!!fe?.customerName} />
          </Field>
        </div>
        <div className="space-y-4">
          <LinkFields key={currency} services={fitting} fe={fe} idPrefix="standalone-link" />
        </div>
        <div className="md:col-span-2 space-y-3">
          <FormError message={state && !state.ok && !fe ? state.error : null} />
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create payment link"}
          </Button>
        </div>
      </form>
      {state?.ok ? <CreatedLink code={state.data.code} /> : null}
    </div>
  );
}
