"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import type { AttemptSummary } from "@/app/(dashboard)/webhooks/actions";
import { Button, type ButtonVariant } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import { AttemptResult } from "./attempt-result";

/** A button that sends a delivery now (test event, retry) and shows how the attempt went, in place. */
export function AttemptButton(props: {
  label: string;
  pendingLabel: string;
  variant?: ButtonVariant;
  run: () => Promise<ActionResult<AttemptSummary>>;
}) {
  const [result, setResult] = useState<AttemptSummary | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <div className="space-y-3">
      <Button
        variant={props.variant}
        disabled={pending}
        onClick={() =>
          start(async () => {
            const res = await props.run();
            if (!res.ok) return void toast.error(res.error);
            const { outcome, responseStatus, error } = res.data;
            if (outcome === "succeeded") toast.success(`Delivered: HTTP ${responseStatus}`);
            else toast.warning(`Not delivered: ${responseStatus ? `HTTP ${responseStatus}` : (error ?? outcome)}`);
            setResult(res.data);
            router.refresh();
          })
        }
      >
        {pending ? props.pendingLabel : props.label}
      </Button>
      {result ? <AttemptResult result={result} /> : null}
    </div>
  );
}
