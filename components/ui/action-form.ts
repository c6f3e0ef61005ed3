"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/actions";
import type { FieldErrors } from "@/lib/errors";

type FormAction<T> = (prev: ActionResult<T> | null, input: FormData) => Promise<ActionResult<T>>;

/**
 * Moves focus to the first control in error (in the form's order) each time
 * a refusal comes back, or to the form's own error when no field is named:
 * on a phone the person sees the field they must fix, not the submit button.
 */
export function useFocusFirstError(form: React.RefObject<HTMLElement | null>, state: ActionResult<unknown> | null): void {
  useEffect(() => {
    if (!state || state.ok) return;
    const root = form.current;
    const target = root?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? root?.querySelector<HTMLElement>('[data-testid="form-error"]');
    if (!target) return;
    if (!target.matches("input, select, textarea, button, [tabindex]")) target.tabIndex = -1;
    target.focus();
  }, [form, state]);
}

/**
 * A form bound to a server action (`useActionState`) that keeps what was typed
 * when the action refuses it. React resets a form after its action runs, which
 * wiped every field on a validation error; here the submit is dispatched in a
 * transition instead (so there is no reset), and the form is reset only when
 * the action succeeds, as before. Without JavaScript the form still posts to
 * the action. Focus goes to the first field in error.
 */
export function useActionForm<T>(action: FormAction<T>) {
  const [state, dispatch, pending] = useActionState(action, null);
  const ref = useRef<HTMLFormElement>(null);
  const fieldErrors: FieldErrors | undefined = state && !state.ok ? state.fieldErrors : undefined;

  useFocusFirstError(ref, state);
  useEffect(() => {
    if (state?.ok) ref.current?.reset();
  }, [state]);

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(data));
  }

  return { state, pending, fieldErrors, formProps: { ref, action: dispatch, onSubmit } };
}
