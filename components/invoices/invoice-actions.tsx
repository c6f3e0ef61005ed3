"use client";

import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { recordManualPaymentAction, voidInvoiceAction } from "@/app/(dashboard)/invoices/actions";
import { useFocusFirstError } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { useResultToast } from "@/components/ui/toast";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { paymentMethodLabels } from "@/lib/format/labels";

export function VoidInvoiceButton({ invoiceId, number }: { invoiceId: string; number: string }) {
  return (
    <ConfirmButton
      variant="secondary"
      confirm={{ title: `Void ${number}?`, body: "Its checkout stops taking payments. This cannot be undone.", confirmLabel: "Void invoice" }}
      run={() => voidInvoiceAction(null, { invoiceId })}
      success={`${number} voided`}
      pendingLabel="Voiding…"
    >
      Void invoice
    </ConfirmButton>
  );
}

const manualMethods = ["cash", "bank_transfer", "other"] as const;

export function RecordPaymentForm({ invoiceId, currency, remaining }: { invoiceId: string; currency: string; remaining: string }) {
  const [open, setOpen] = useState(false);
  const [state, dispatch, pending] = useActionState(recordManualPaymentAction, null);
  const formRef = useRef<HTMLFormElement>(null);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  useResultToast(state, "Payment recorded");
  useFocusFirstError(formRef, state);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);

  if (!open) {
    return <Button onClick={() => setOpen(true)}>Record payment</Button>;
  }
  return (
    <form
      method="post"
      ref={formRef}
      noValidate
      className="w-full space-y-4 rounded-lg bg-surface p-5 shadow-sm ring-1 ring-line"
      aria-label="Record a payment"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        f.set("invoiceId", invoiceId);
        startTransition(() => dispatch(f));
      }}
    >
      <div>
        <h2 className="text-base font-semibold text-strong">Record a payment</h2>
        <p className="text-sm text-subtle">Money received outside Settle: cash, or a transfer seen on your statement.</p>
      </div>
      <FormError message={state && !state.ok && !Object.keys(fe).length ? state.error : null} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={`Amount (${currency})`} htmlFor="pay-amount" errors={fe.amount} hint={`Remaining: ${remaining}`}>
          <Input id="pay-amount" name="amount" inputMode="decimal" aria-invalid={!!fe.amount} />
        </Field>
        <Field label="Method" htmlFor="pay-method" errors={fe.method}>
          <Select id="pay-method" name="method" defaultValue="bank_transfer" aria-invalid={!!fe.method}>
            {manualMethods.map((m) => (
              <option key={m} value={m}>
                {paymentMethodLabels[m]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Reference (optional)" htmlFor="pay-reference" errors={fe.reference} hint="A bank reference is used once: entering it again records nothing new.">
          <Input id="pay-reference" name="reference" aria-invalid={!!fe.reference} />
        </Field>
        <Field label="Note (optional)" htmlFor="pay-note" errors={fe.note}>
          <Input id="pay-note" name="note" aria-invalid={!!fe.note} />
        </Field>
      </div>
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Close
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Recording…" : "Record payment"}
        </Button>
      </div>
    </form>
  );
}
