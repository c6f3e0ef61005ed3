"use client";

import { useActionState } from "react";
import { forgotPasswordAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";

/** The answer is the same for every email, known or not: it never says whether an account exists. */
export const RESET_SENT = "If an account exists for that email, we sent it a link to choose a new password. The link works for 30 minutes.";

export function ForgotPasswordForm({ email }: { email?: string }) {
  const [state, action, pending] = useActionState(forgotPasswordAction, null);
  const fe = state && !state.ok ? state.fieldErrors : undefined;

  if (state?.ok) {
    return (
      <p role="status" className="rounded-md bg-brand-50 p-4 text-sm text-slate-800 ring-1 ring-inset ring-brand-100 dark:bg-brand-950/60 dark:text-slate-200 dark:ring-brand-900">
        {state.data.mail === "off" ? "Mail is not configured on this server, so no link can be sent. Ask whoever runs Settle." : RESET_SENT}
      </p>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state && !state.ok && !fe ? state.error : null} />
      <Field label="Email" htmlFor="email" errors={fe?.email}>
        <Input id="email" name="email" type="email" autoComplete="email" required defaultValue={email} aria-invalid={!!fe?.email} />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Sending…" : "Send me a reset link"}
      </Button>
    </form>
  );
}
