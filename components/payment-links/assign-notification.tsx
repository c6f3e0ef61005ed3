"use client";

import { assignNotificationAction } from "@/app/(dashboard)/payment-links/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { useResultToast } from "@/components/ui/toast";

/** Puts an unmatched transfer on the invoice a person recognised it as. */
export function AssignNotification({ notificationId }: { notificationId: string }) {
  const { state, pending, formProps } = useActionForm(assignNotificationAction);
  useResultToast(state, "Payment assigned to the invoice");
  const error = state && !state.ok ? (state.fieldErrors?.invoiceId?.[0] ?? state.error) : null;
  const id = `assign-${notificationId}`;
  return (
    <form {...formProps} className="flex flex-wrap items-start gap-2" noValidate>
      <input type="hidden" name="notificationId" value={notificationId} />
      <label htmlFor={id} className="sr-only">
        Invoice id
      </label>
      <Input id={id} name="invoiceId" placeholder="inv_…" className="w-56" aria-invalid={!!error} aria-describedby={error ? `${id}-error` : undefined} />
      <Button type="submit" size="sm" className="h-9" disabled={pending}>
        Assign
      </Button>
      {error ? (
        <p id={`${id}-error`} role="alert" className="w-full text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </form>
  );
}
