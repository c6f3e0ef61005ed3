"use client";

import { useTransition } from "react";
import { checkRefundAction } from "@/app/(dashboard)/invoices/actions";
import { Button } from "@/components/ui/button";
import { toastResult } from "@/components/ui/toast";

/** Asks the refund's gateway where it stands now, instead of waiting for its notification. */
export function RefundCheckButton({ refundId, gateway }: { refundId: string; gateway: string }) {
  const [pending, start] = useTransition();
  return (
    <Button
      variant="secondary"
      size="sm"
      className="max-sm:h-11"
      disabled={pending}
      aria-label={`Ask ${gateway} where this refund stands`}
      onClick={() =>
        start(async () => {
          toastResult(await checkRefundAction(null, { refundId }), (d) => d.note);
        })
      }
    >
      {pending ? "Checking…" : "Check status"}
    </Button>
  );
}
