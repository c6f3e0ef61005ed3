"use client";

import { useActionState, useRef } from "react";
import { changePasswordAction } from "@/app/(dashboard)/settings/account/actions";
import { useFocusFirstError } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { useResultToast } from "@/components/ui/toast";

const ended = (n: number) => (n === 0 ? "Password changed" : n === 1 ? "Password changed; 1 other session signed out" : `Password changed; ${n} other sessions signed out`);

/** Current and new password; every field's error at once. The form is emptied after each try: it holds only passwords. */
export function ChangePasswordForm({ email }: { email: string }) {
  const [state, action, pending] = useActionState(changePasswordAction, null);
  const fe = state && !state.ok ? state.fieldErrors : undefined;
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, state);
  useResultToast(state, (data) => ended(data.endedSessions));
  return (
    <form ref={formRef} action={action} className="max-w-md space-y-4 p-5" noValidate>
      <FormError message={state && !state.ok && !fe ? state.error : null} />
      {/* For password managers: which account this new password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field label="Current password" htmlFor="current-password" errors={fe?.currentPassword}>
        <Input
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={!!fe?.currentPassword}
          aria-describedby={fe?.currentPassword ? "current-password-error" : undefined}
        />
      </Field>
      <Field label="New password" htmlFor="new-password" errors={fe?.newPassword} hint="At least 8 characters, hard to guess: a phrase of unrelated words works well.">
        <Input
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={!!fe?.newPassword}
          aria-describedby={fe?.newPassword ? "new-password-error" : undefined}
        />
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
