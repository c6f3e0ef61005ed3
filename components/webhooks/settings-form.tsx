"use client";

import { updateSettingsAction } from "@/app/(dashboard)/webhooks/actions";
import { useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import type { WebhookPolicy } from "@/lib/webhooks/settings";
import { useResultToast } from "@/components/ui/toast";

export function WebhookSettingsForm({ policy, canEdit }: { policy: WebhookPolicy; canEdit: boolean }) {
  const { state, pending, fieldErrors: fe, formProps } = useActionForm(updateSettingsAction);
  useResultToast(state, "Webhook settings saved");
  const minutes = policy.retrySchedule.map((s) => String(+(s / 60).toFixed(2))).join(", ");
  const stepErrors = fe ? Object.entries(fe).filter(([k]) => k.startsWith("retryMinutes")).flatMap(([, v]) => v) : [];

  return (
    <form {...formProps} className="space-y-4 p-5" noValidate>
      <fieldset disabled={!canEdit} className="space-y-4">
        <label className="flex items-center gap-2 text-sm font-medium text-body">
          <input type="checkbox" name="autoRetry" defaultChecked={policy.autoRetry} className="h-4 w-4" />
          Retry failed deliveries automatically
        </label>
        <Field
          label="Retry schedule (minutes after the previous attempt)"
          htmlFor="retry-minutes"
          errors={stepErrors.length ? stepErrors : undefined}
          hint="Comma-separated, 1 to 20 steps. Timeouts and “URL not set” are never retried automatically."
        >
          <Input id="retry-minutes" name="retryMinutes" defaultValue={minutes} aria-invalid={stepErrors.length > 0} />
        </Field>
        <Field label="Request timeout (seconds)" htmlFor="timeout-seconds" errors={fe?.timeoutSeconds} hint="At most 30 seconds.">
          <Input id="timeout-seconds" name="timeoutSeconds" type="number" min={1} max={30} defaultValue={policy.timeoutMs / 1000} className="w-32" aria-invalid={!!fe?.timeoutSeconds} />
        </Field>
      </fieldset>
      <FormError message={state && !state.ok && !fe ? state.error : null} />
      {canEdit ? (
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save settings"}
        </Button>
      ) : (
        <p className="text-sm text-subtle">Only owners and admins can change webhook settings.</p>
      )}
    </form>
  );
}
