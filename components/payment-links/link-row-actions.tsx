"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { cancelLinkAction } from "@/app/(dashboard)/payment-links/actions";
import { Button } from "@/components/ui/button";

export function LinkRowActions({ linkId, code, canCancel }: { linkId: string; code: string; canCancel: boolean }) {
  const [pending, start] = useTransition();
  return (
    <div className="flex justify-end gap-1">
      <Button
        variant="ghost"
        size="sm"
        aria-label={`Copy link ${code}`}
        onClick={() => void navigator.clipboard?.writeText(`${window.location.origin}/pay/${code}`).then(() => toast.success("Link copied"))}
      >
        Copy link
      </Button>
      {canCancel ? (
        <Button
          variant="ghost"
          size="sm"
          disabled={pending}
          aria-label={`Cancel link ${code}`}
          onClick={() => {
            if (!window.confirm(`Cancel payment link ${code}? Customers can no longer pay through it.`)) return;
            start(async () => {
              const r = await cancelLinkAction(null, { linkId });
              if (r.ok) toast.success(`Link ${code} canceled`);
              else toast.error(r.error);
            });
          }}
        >
          Cancel
        </Button>
      ) : null}
    </div>
  );
}
