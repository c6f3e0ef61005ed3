"use client";

import { useEffect } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";

/** One toast per action result: the success message, or the action's own error. Returns whether it worked. */
export function toastResult<T>(result: ActionResult<T>, success: string | ((data: T) => string)): result is { ok: true; data: T } {
  if (result.ok) toast.success(typeof success === "string" ? success : success(result.data));
  else toast.error(result.error);
  return result.ok;
}

/**
 * For a form's `useActionState` result: a success toast each time the action
 * works. A refusal is not toasted: the form shows it beside its fields (or in
 * its FormError), and saying it twice would make screen readers read it twice.
 */
export function useResultToast<T>(state: ActionResult<T> | null, success: string | ((data: T) => string)): void {
  useEffect(() => {
    if (state?.ok) toast.success(typeof success === "string" ? success : success(state.data));
    // `success` is a label, often an inline function: only a new result should toast again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);
}
