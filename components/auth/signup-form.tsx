"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import { signupAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";

export function SignupForm({ invite, callbackUrl }: { invite?: { token: string; email: string; merchantName: string }; callbackUrl: string }) {
  const router = useRouter();
  const [state, action, pending] = useActionState(signupAction, null);
  const password = useRef("");
  const fe = state && !state.ok ? state.fieldErrors : undefined;

  useEffect(() => {
    if (!state?.ok) return;
    void signIn("credentials", { email: state.data.email, password: password.current, redirect: false }).then(() => {
      router.replace(callbackUrl);
      router.refresh();
    });
  }, [state, router, callbackUrl]);

  return (
    <form action={action} className="space-y-4" noValidate onSubmit={(e) => (password.current = String(new FormData(e.currentTarget).get("password") ?? ""))}>
      <FormError message={state && !state.ok && !fe ? state.error : null} />
      {invite ? <input type="hidden" name="inviteToken" value={invite.token} /> : null}
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
      <Button type="submit" className="w-full" disabled={pending || !!state?.ok}>
        {pending || state?.ok ? "Creating your account…" : invite ? `Join ${invite.merchantName}` : "Create account"}
      </Button>
    </form>
  );
}
