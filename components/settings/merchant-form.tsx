"use client";

import { updateMerchantAction } from "@/app/(dashboard)/settings/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { useResultToast } from "@/components/ui/toast";

export function MerchantForm({ name, canEdit }: { name: string; canEdit: boolean }) {
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(updateMerchantAction);
  useResultToast(state, "Business name saved");
  return (
    <form {...formProps} className="max-w-md space-y-4 p-5" noValidate>
      <FormError message={state && !state.ok && !fe ? state.error : null} />
      <Field label="Business name" htmlFor="merchant-name" errors={fe?.name} hint="Shown on checkout pages and invoices.">
        <Input id="merchant-name" name="name" defaultValue={name} disabled={!canEdit} aria-invalid={!!fe?.name} />
      </Field>
      {canEdit ? (
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
      ) : (
        <p className="text-sm text-subtle">Only owners and admins can change this.</p>
      )}
    </form>
  );
}
