"use client";

import { useState } from "react";
import { useHydrated } from "./browser";

/**
 * Copies one value; says so for a moment (and to screen readers). Only once
 * JavaScript runs: without it the button could do nothing, and the value
 * beside it is selectable text.
 */
export function CopyButton({ value, label, copied, children }: { value: string; label: string; copied: string; children: React.ReactNode }) {
  const [done, setDone] = useState(false);
  const hydrated = useHydrated();
  if (!hydrated) return null;
  return (
    <button
      type="button"
      aria-label={label}
      className="shrink-0 rounded-md px-2.5 py-1.5 text-sm font-medium text-brand-800 dark:text-brand-300 ring-1 ring-inset ring-brand-600/30 hover:bg-brand-50"
      onClick={() =>
        void navigator.clipboard?.writeText(value).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        })
      }
    >
      <span aria-live="polite">{done ? copied : children}</span>
    </button>
  );
}
