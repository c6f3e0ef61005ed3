"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { type AttemptSummary, retryDeliveryAction } from "@/app/(dashboard)/webhooks/actions";
import { Button } from "@/components/ui/button";
import { AttemptResult } from "./attempt-result";

export function RetryDelivery({ deliveryId }: { deliveryId: string }) {
  const [result, setResult] = useState<AttemptSummary | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <div className="space-y-3">
      <Button
        disabled={pending}
        onClick={() =>
          start(async () => {
            const res = await retryDeliveryAction(null, { id: deliveryId });
            if (!res.ok) return void toast.error(res.error);
            setResult(res.data);
            router.refresh();
          })
        }
      >
        {pending ? "Retrying…" : "Retry now"}
      </Button>
      {result ? <AttemptResult result={result} /> : null}
    </div>
  );
}
