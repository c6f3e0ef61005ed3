"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { toggleServiceAction } from "@/app/(dashboard)/settings/payment-services/actions";
import { Button } from "@/components/ui/button";

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
          const r = await toggleServiceAction(null, { serviceId, enabled: !enabled });
          if (r.ok) toast.success(`${name} turned ${r.data.enabled ? "on" : "off"}`);
          else toast.error(r.error);
        })
      }
    >
      {enabled ? "Turn off" : "Turn on"}
    </Button>
  );
}
