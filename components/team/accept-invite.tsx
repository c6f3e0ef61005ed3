"use client";

import { acceptInviteAction } from "@/app/(auth)/invite/[token]/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

export function AcceptInvite({ token, merchantName }: { token: string; merchantName: string }) {
  const { state, pending, formProps } = useActionForm(acceptInviteAction);
  // On success the action redirects into the merchant; only a refusal comes back here.
  return (
    <form {...formProps} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      <FormError message={state && !state.ok ? state.error : null} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Joining…" : `Join ${merchantName}`}
      </Button>
    </form>
  );
}
