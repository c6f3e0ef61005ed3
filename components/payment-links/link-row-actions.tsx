"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { cancelLinkAction } from "@/app/(dashboard)/payment-links/actions";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm-dialog";
import { toastResult } from "@/components/ui/toast";

export function LinkRowActions({ linkId, code, canCancel }: { linkId: string; code: string; canCancel: boolean }) {
  const [pending, start] = useTransition();
  const [confirm, dialog] = useConfirm();
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
          onClick={async () => {
            if (!(await confirm({ title: `Cancel payment link ${code}?`, body: "Customers can no longer pay through it.", confirmLabel: "Cancel link" }))) return;
            start(async () => void toastResult(await cancelLinkAction(null, { linkId }), `Link ${code} canceled`));
          }}
        >
          Cancel
        </Button>
      ) : null}
      {dialog}
    </div>
  );
}
