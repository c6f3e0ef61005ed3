"use client";

import { signIn } from "next-auth/react";
import { signInAction } from "@/app/(auth)/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";

/** Posts to a server action (never a GET: the password must not reach a URL), with or without JavaScript. */
export function LoginForm({
  callbackUrl,
  email: initialEmail = "",
  oauth = [],
}: {
  callbackUrl: string;
  email?: string;
  oauth?: { id: string; name: string }[];
}) {
  const { state, pending, formProps } = useActionForm(signInAction);
  const error = state && !state.ok ? state.error : null;

  return (
    <form {...formProps} className="space-y-4" noValidate>
      <FormError message={error} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field label="Email" htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="email" required defaultValue={initialEmail} aria-invalid={!!error} />
      </Field>
      <Field label="Password" htmlFor="password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      {oauth.map((p) => (
        <Button key={p.id} variant="secondary" className="w-full" onClick={() => void signIn(p.id, { callbackUrl })}>
          Continue with {p.name}
        </Button>
      ))}
    </form>
  );
}
