"use client";

import { useCallback, useEffect, useId, useRef, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions";
import { Button } from "./button";
import { toastResult } from "./toast";

export interface ConfirmOptions {
  title: string;
  body?: string;
  confirmLabel: string;
  /** `danger` for what cannot be undone; `primary` for what only needs a second look. */
  tone?: "danger" | "primary";
}

/**
 * Asks before a destructive action, in a native modal `<dialog>`: focus moves
 * into it (on Cancel, the safe choice), Tab stays inside, Escape cancels, and
 * focus returns to the button that opened it.
 *
 *   const [confirm, dialog] = useConfirm();
 *   if (!(await confirm({ title: "Void INV-000012?", confirmLabel: "Void invoice" }))) return;
 *   …and render {dialog} somewhere in the component.
 */
interface Asking {
  id: number;
  options: ConfirmOptions;
  resolve: (yes: boolean) => void;
}

let askCount = 0;

export function useConfirm(): [(options: ConfirmOptions) => Promise<boolean>, React.ReactNode] {
  const [asking, setAsking] = useState<Asking | null>(null);
  const confirm = useCallback(
    (options: ConfirmOptions) => new Promise<boolean>((resolve) => {
        const ask = { id: ++askCount, options, resolve };
        setAsking((previous) => {
          previous?.resolve(false); // an ask still closing counts as Cancel
          return ask;
        });
      }),
    [],
  );
  // The dialog's close event is a task of its own: a quick Enter after Escape
  // can ask again before it fires. Each ask has its own dialog (the key), and
  // closing one clears only itself, never the ask that followed it.
  const dialog = asking ? (
    <ConfirmDialog
      key={asking.id}
      {...asking.options}
      onDone={(yes) => {
        asking.resolve(yes);
        setAsking((current) => (current === asking ? null : current));
      }}
    />
  ) : null;
  return [confirm, dialog];
}

type ButtonProps = Omit<React.ComponentProps<typeof Button>, "onClick">;

/**
 * The app's destructive (or second-look) action: a button that asks in the
 * dialog above, then runs the server action and toasts what came back;
 * `onDone` gets the data when it worked.
 */
export function ConfirmButton<T>({
  confirm: options,
  run,
  success,
  onDone,
  pendingLabel,
  children,
  disabled,
  ...button
}: ButtonProps & {
  confirm: ConfirmOptions;
  run: () => Promise<ActionResult<T>>;
  success: string | ((data: T) => string);
  onDone?: (data: T) => void;
  pendingLabel?: React.ReactNode;
}) {
  const [pending, start] = useTransition();
  const [confirm, dialog] = useConfirm();
  return (
    <>
      <Button
        {...button}
        disabled={disabled || pending}
        onClick={async () => {
          if (!(await confirm(options))) return;
          start(async () => {
            const result = await run();
            if (toastResult(result, success)) onDone?.(result.data);
          });
        }}
      >
        {pending && pendingLabel ? pendingLabel : children}
      </Button>
      {dialog}
    </>
  );
}

function ConfirmDialog({ title, body, confirmLabel, tone = "danger", onDone }: ConfirmOptions & { onDone: (yes: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={body ? bodyId : undefined}
      // Closed by a button (its value), by Escape ("") or by a click on the backdrop.
      onClose={() => onDone(ref.current?.returnValue === "confirm")}
      onClick={(e) => {
        if (e.target === ref.current) ref.current.close("cancel");
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg bg-surface text-strong shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-950/50 dark:ring-slate-700"
    >
      <form method="dialog" className="p-5">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        {body ? (
          <p id={bodyId} className="mt-2 text-sm text-muted">
            {body}
          </p>
        ) : null}
        <div className="mt-5 flex flex-wrap justify-end gap-2">
          <Button type="submit" variant="secondary" value="cancel" autoFocus>
            Cancel
          </Button>
          <Button type="submit" variant={tone} value="confirm">
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
