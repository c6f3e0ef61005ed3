"use client";

import { toast } from "sonner";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/(dashboard)/settings/api-keys/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { useResultToast } from "@/components/ui/toast";
import { apiKeyAccess, apiKeyRoles } from "@/lib/auth/roles";

function CopyRow({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <p className="text-xs font-medium uppercase tracking-wide text-subtle">{label}</p>
      <div className="mt-1 flex gap-2">
        <Input readOnly value={value} aria-label={label} data-testid={testId} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <Button
          variant="secondary"
          aria-label={`Copy ${label}`}
          onClick={() => void navigator.clipboard?.writeText(value).then(() => toast.success(`${label} copied`))}
        >
          Copy
        </Button>
      </div>
    </div>
  );
}

/** Create a key; its secret is shown here once, with a curl line that works as is. */
export function CreateApiKey({ origin }: { origin: string }) {
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(createApiKeyAction);
  useResultToast(state, (key) => `${key.name} created`);
  const created = state?.ok ? state.data : null;
  const curl = created ? `curl ${origin}/api/v1/invoices \\\n  -H "Authorization: Bearer ${created.secret}"` : "";

  return (
    <div className="space-y-4 p-5">
      <form {...formProps} className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start" noValidate>
        <Field label="Key name" htmlFor="api-key-name" errors={fe?.name}>
          <Input id="api-key-name" name="name" placeholder="Order system" aria-invalid={!!fe?.name} />
        </Field>
        <Field label="Access" htmlFor="api-key-role" errors={fe?.role} hint={apiKeyRoles.map((r) => `${apiKeyAccess[r].label}: ${apiKeyAccess[r].hint}`).join(" ")}>
          <Select id="api-key-role" name="role" defaultValue="admin" aria-invalid={!!fe?.role}>
            {apiKeyRoles.map((r) => (
              <option key={r} value={r}>
                {apiKeyAccess[r].label}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" className="sm:mt-7" disabled={pending}>
          {pending ? "Creating…" : "Create API key"}
        </Button>
      </form>
      <FormError message={state && !state.ok && !fe ? state.error : null} />
      {created ? (
        <div className="space-y-3 rounded-md bg-amber-50 p-4 ring-1 ring-inset ring-amber-200 dark:bg-amber-950/40 dark:ring-amber-800" data-testid="new-api-key">
          <p className="text-sm text-slate-800 dark:text-slate-200">
            <strong>{created.name}</strong> is ready. Copy the secret now: it is shown only once, and Settle cannot show it again.
          </p>
          <CopyRow label="Client ID" value={created.clientId} testId="api-client-id" />
          <CopyRow label="Secret" value={created.secret} testId="api-secret" />
          <div>
            <p className="text-xs font-medium uppercase tracking-wide text-subtle">Try it</p>
            <div className="mt-1 flex items-start gap-2">
              <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100" data-testid="api-curl">
                {curl}
              </pre>
              <Button variant="secondary" aria-label="Copy curl example" onClick={() => void navigator.clipboard?.writeText(curl).then(() => toast.success("curl copied"))}>
                Copy
              </Button>
            </div>
            <p className="mt-2 text-xs text-subtle">
              Or sign requests with the client ID instead of sending the secret: see the <a className="text-brand-700 underline dark:text-brand-300" href="/docs/api">API reference</a>.
            </p>
          </div>
        </div>
      ) : null}
    </div>
  );
}

export function RevokeApiKey({ keyId, name }: { keyId: string; name: string }) {
  return (
    <ConfirmButton
      variant="ghost"
      size="sm"
      aria-label={`Revoke ${name}`}
      confirm={{ title: `Revoke "${name}"?`, body: "Requests made with it fail from now on. This cannot be undone.", confirmLabel: "Revoke key" }}
      run={() => revokeApiKeyAction(null, { keyId })}
      success={`${name} revoked`}
    >
      Revoke
    </ConfirmButton>
  );
}
