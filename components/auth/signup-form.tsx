"use client";

import { signupAction } from "@/app/(auth)/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";

/** On success the action signs the person in and redirects; only a refusal comes back here. Works without JavaScript. */
export function SignupForm({ invite, callbackUrl }: { invite?: { token: string; email: string; merchantName: string }; callbackUrl: string }) {
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(signupAction);

  return (
    <form {...formProps} className="space-y-4" noValidate>
      <FormError message={state && !state.ok && !fe ? state.error : null} />
      {invite ? <input type="hidden" name="inviteToken" value={invite.token} /> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field label="Your name" htmlFor="name" errors={fe?.name}>
        <Input id="name" name="name" autoComplete="name" required aria-invalid={!!fe?.name} />
      </Field>
      <Field label="Work email" htmlFor="email" errors={fe?.email}>
        <Input id="email" name="email" type="email" autoComplete="email" required aria-invalid={!!fe?.email} defaultValue={invite?.email} readOnly={!!invite} />
      </Field>
      <Field label="Password" htmlFor="password" errors={fe?.password} hint="At least 8 characters, hard to guess: a phrase of unrelated words works well.">
        <Input id="password" name="password" type="password" autoComplete="new-password" required aria-invalid={!!fe?.password} />
      </Field>
      {invite ? null : (
        <Field label="Business name" htmlFor="merchantName" errors={fe?.merchantName} hint="Shown to your customers on checkout pages.">
          <Input id="merchantName" name="merchantName" autoComplete="organization" aria-invalid={!!fe?.merchantName} />
        </Field>
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating your account…" : invite ? `Join ${invite.merchantName}` : "Create account"}
      </Button>
    </form>
  );
}
