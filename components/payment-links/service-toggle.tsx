"use client";

import { useTransition } from "react";
import { toggleServiceAction } from "@/app/(dashboard)/settings/payment-services/actions";
import { Button } from "@/components/ui/button";
import { toastResult } from "@/components/ui/toast";

export function ServiceToggle({ serviceId, name, enabled }: { serviceId: string; name: string; enabled: boolean }) {
  const [pending, start] = useTransition();
  return (
    <Button
      variant="secondary"
      size="sm"
      disabled={pending}
      aria-label={`${enabled ? "Turn off" : "Turn on"} ${name}`}
      onClick={() =>
        start(async () => {
          toastResult(await toggleServiceAction(null, { serviceId, enabled: !enabled }), (d) => `${name} turned ${d.enabled ? "on" : "off"}`);
        })
      }
    >
      {enabled ? "Turn off" : "Turn on"}
    </Button>
  );
}
