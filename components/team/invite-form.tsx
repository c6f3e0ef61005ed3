"use client";

import { toast } from "sonner";
import { inviteMemberAction } from "@/app/(dashboard)/settings/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { type Role, roleLabels } from "@/lib/auth/roles";
import { useResultToast } from "@/components/ui/toast";

export function InviteForm({ assignable }: { assignable: Role[] }) {
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(inviteMemberAction);
  useResultToast(state, (d) => (d.mailed ? `Invite emailed to ${d.email}` : "Invite ready: copy the link and send it"));
  // Submitted before hydration, the result is rendered on the server first: no window there, the path alone.
  const link = state?.ok ? `${typeof window === "undefined" ? "" : window.location.origin}${state.data.path}` : null;

  return (
    <div className="space-y-4 p-5">
      <form {...formProps} className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start" noValidate>
        <Field label="Email" htmlFor="invite-email" errors={fe?.email}>
          <Input id="invite-email" name="email" type="email" placeholder="teammate@company.com" aria-invalid={!!fe?.email} />
        </Field>
        <Field label="Role" htmlFor="invite-role" errors={fe?.role}>
          <Select id="invite-role" name="role" defaultValue="support" aria-invalid={!!fe?.role}>
            {assignable.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" className="sm:mt-7" disabled={pending}>
          {pending ? "Creating…" : "Create invite link"}
        </Button>
      </form>
      <FormError message={state && !state.ok && !fe ? state.error : null} />
      {link && state?.ok ? (
        <div className="rounded-md bg-brand-50 dark:bg-brand-950/60 p-4 ring-1 ring-inset ring-brand-100 dark:ring-brand-900">
          <p className="text-sm text-slate-800 dark:text-slate-200" data-testid="invite-mail-status">
            {state.data.mailed ? (
              <>
                We emailed this one-time link to <strong>{state.data.email}</strong> ({roleLabels[state.data.role]}). You can also copy it
                and send it yourself. It works for 7 days.
              </>
            ) : (
              <>
                Mail is not configured on this server, so nothing was emailed: send this one-time link to{" "}
                <strong>{state.data.email}</strong> ({roleLabels[state.data.role]}) yourself. It works for 7 days.
              </>
            )}
          </p>
          <div className="mt-2 flex gap-2">
            <Input readOnly value={link} aria-label="Invite link" data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
            <Button
              variant="secondary"
              onClick={() => void navigator.clipboard?.writeText(link).then(() => toast.success("Invite link copied"))}
            >
              Copy
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
