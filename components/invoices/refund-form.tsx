"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { toast } from "sonner";
import { createRefundAction } from "@/app/(dashboard)/invoices/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button, buttonClass } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { type CurrencyCode, formatAmount } from "@/lib/money";

/**
 * How this payment's money goes back, which decides the form's last field:
 * the sandbox (test mode) is told how to end; another gateway is asked; money
 * that came outside a gateway goes back outside Settle, recorded with the
 * transfer's reference.
 */
export type RefundFormRoute = { kind: "sandbox" } | { kind: "gateway"; name: string } | { kind: "manual" };

export interface RefundFormProps {
  invoiceId: string;
  paymentId: string;
  currency: CurrencyCode;
  /** What can still be refunded, in minor units: the amount's first value. */
  refundable: number;
  /** The payment in a few words: "$100.00 · Card ···· 4242". */
  payment: string;
  route: RefundFormRoute;
}

/**
 * Gives money back on one payment: opened by the payment's Refund link (a
 * plain link, so it opens without JavaScript too), posted to the refunds
 * command. A refusal keeps what was typed and shows each field's error; once
 * done, the form closes and the invoice shows the refund.
 */
export function RefundForm({ invoiceId, paymentId, currency, refundable, payment, route }: RefundFormProps) {
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(createRefundAction);
  const router = useRouter();
  const invoicePath = `/invoices/${invoiceId}`;
  const most = formatAmount(refundable, currency);

  useEffect(() => {
    if (!state?.ok) return;
    const { status, amount, failureMessage } = state.data;
    const refunded = formatAmount(amount, state.data.currency as CurrencyCode);
    if (status === "failed") toast.error(`Refund of ${refunded} failed${failureMessage ? `: ${failureMessage}` : ""}`);
    else toast.success(status === "pending" ? `Refund of ${refunded} asked: waiting for the gateway` : `${refunded} refunded`);
    router.replace(invoicePath, { scroll: false });
  }, [state, router, invoicePath]);

  return (
    <form {...formProps} noValidate aria-labelledby="refund-title" className="space-y-4 border-t border-line px-5 py-4">
      <input type="hidden" name="paymentId" value={paymentId} />
      <div>
        <h3 id="refund-title" className="text-base font-semibold text-strong">
          Refund a payment
        </h3>
        <p className="text-sm text-subtle">
          {payment}. Up to {most} can still go back.
        </p>
      </div>
      <FormError message={state && !state.ok && !fe ? state.error : null} />
      {/* Without JavaScript the page comes back with this form still open: say what happened. */}
      {state?.ok ? (
        <p role="status" className="text-sm text-muted">
          Refund {state.data.status === "failed" ? "failed" : state.data.status === "pending" ? "asked" : "made"}: see Refunds below.
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={`Amount (${currency})`} htmlFor="refund-amount" errors={fe?.amount} hint={`At most ${most}.`}>
          <Input id="refund-amount" name="amount" inputMode="decimal" defaultValue={most} aria-invalid={!!fe?.amount} />
        </Field>
        <Field label="Reason" htmlFor="refund-reason" errors={fe?.reason} hint="Kept with the refund and sent in its webhook events.">
          <Input id="refund-reason" name="reason" maxLength={500} aria-invalid={!!fe?.reason} />
        </Field>
        {route.kind === "manual" ? (
          <div className="sm:col-span-2">
            <Field
              label="Transfer reference"
              htmlFor="refund-reference"
              errors={fe?.reference}
              hint="This money came outside Settle, so it goes back outside Settle too: send it yourself, then record the transfer's reference here."
            >
              <Input id="refund-reference" name="reference" maxLength={200} aria-invalid={!!fe?.reference} />
            </Field>
          </div>
        ) : null}
        {route.kind === "sandbox" ? (
          <fieldset className="space-y-1.5 sm:col-span-2" aria-describedby="refund-simulate-hint">
            <legend className="text-sm font-medium text-body">Sandbox outcome</legend>
            <div className="flex flex-wrap gap-x-6 gap-y-1">
              <label className="flex min-h-8 items-center gap-2 text-sm">
                <input type="radio" name="simulate" value="succeed" defaultChecked className="h-4 w-4" />
                Refund succeeds
              </label>
              <label className="flex min-h-8 items-center gap-2 text-sm">
                <input type="radio" name="simulate" value="fail" className="h-4 w-4" />
                Refund fails
              </label>
            </div>
            <p id="refund-simulate-hint" className="text-xs text-subtle">
              Test mode: no money moves. The sandbox answers at once, the way you choose.
            </p>
            {fe?.simulate ? (
              <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                {fe.simulate[0]}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        {route.kind === "gateway" ? <p className="text-sm text-muted sm:col-span-2">The money goes back to the customer through {route.name}.</p> : null}
      </div>
      <div className="flex flex-wrap justify-end gap-2">
        <Link href={invoicePath} scroll={false} className={buttonClass("ghost")}>
          Cancel
        </Link>
        <Button type="submit" disabled={pending}>
          {pending ? "Refunding…" : "Refund payment"}
        </Button>
      </div>
    </form>
  );
}
