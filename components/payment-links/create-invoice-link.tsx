"use client";

import { createInvoiceLinkAction } from "@/app/(dashboard)/invoices/[id]/payment-link-actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { CreatedLink } from "./created-link";
import { LinkFields, type ServiceOption } from "./link-fields";
import { useResultToast } from "@/components/ui/toast";

/** "Create payment link" for one invoice: mount on the invoice page for owners and admins. */
export function CreateInvoiceLink({ invoiceId, services }: { invoiceId: string; services: ServiceOption[] }) {
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(createInvoiceLinkAction);
  useResultToast(state, (l) => `Payment link ${l.code} created`);
  return (
    <div className="space-y-4 p-5">
      <form {...formProps} className="space-y-4" noValidate>
        <input type="hidden" name="invoiceId" value={invoiceId} />
        <LinkFields services={services} fe={fe} idPrefix="invoice-link" />
        <FormError message={state && !state.ok && !fe ? state.error : null} />
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create payment link"}
        </Button>
      </form>
      {state?.ok ? <CreatedLink code={state.data.code} /> : null}
    </div>
  );
}
