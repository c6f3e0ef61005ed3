"use client";

import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";

/** The new link, ready to copy or open. */
export function CreatedLink({ code }: { code: string }) {
  const url = `${window.location.origin}/pay/${code}`;
  return (
    <div className="rounded-md bg-brand-50 dark:bg-brand-950/60 p-4 ring-1 ring-inset ring-brand-100 dark:ring-brand-900">
      <p className="text-sm text-slate-800 dark:text-slate-200">Payment link ready. Send it to your customer:</p>
      <div className="mt-2 flex gap-2">
        <Input readOnly value={url} aria-label="Payment link" data-testid="created-link" onFocus={(e) => e.currentTarget.select()} />
        <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(url).then(() => toast.success("Link copied"))}>
          Copy
        </Button>
        <a href={url} target="_blank" rel="noreferrer" className="inline-flex h-10 items-center rounded-md px-3 text-sm font-medium text-brand-800 dark:text-brand-300 hover:bg-brand-100">
          Open
        </a>
      </div>
    </div>
  );
}
