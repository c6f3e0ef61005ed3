"use client";

import { toast } from "sonner";
import { cancelLinkAction } from "@/app/(dashboard)/payment-links/actions";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";

export function LinkRowActions({ linkId, code, canCancel }: { linkId: string; code: string; canCancel: boolean }) {
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
        <ConfirmButton
          variant="ghost"
          size="sm"
          aria-label={`Cancel link ${code}`}
          confirm={{ title: `Cancel payment link ${code}?`, body: "Customers can no longer pay through it.", confirmLabel: "Cancel link" }}
          run={() => cancelLinkAction(null, { linkId })}
          success={`Link ${code} canceled`}
        >
          Cancel
        </ConfirmButton>
      ) : null}
    </div>
  );
}
