"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import {
  deleteEndpointAction,
  revealSecretAction,
  rotateSecretAction,
  sendTestEventAction,
} from "@/app/(dashboard)/webhooks/actions";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/field";
import { AttemptButton } from "./attempt-button";

/** Reveal and rotate the signing secret (owner, admin). */
export function SecretPanel({ endpointId, rotating }: { endpointId: string; rotating: boolean }) {
  const [secrets, setSecrets] = useState<{ secret: string; previousSecret: string | null } | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();

  return (
    <div className="space-y-3 p-5">
      {secrets ? (
        <div className="space-y-2">
          <Input readOnly value={secrets.secret} aria-label="Signing secret" data-testid="signing-secret" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
          {secrets.previousSecret ? (
            <Input readOnly value={secrets.previousSecret} aria-label="Previous signing secret" className="font-mono text-xs" />
          ) : null}
        </div>
      ) : (
        <p className="font-mono text-sm text-subtle">whsec_••••••••••••••••••••••••</p>
      )}
      {rotating ? <p className="text-sm text-amber-700 dark:text-amber-400">Rotation in progress: the previous secret also signs until its 24 hours are up.</p> : null}
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          size="sm"
          disabled={pending}
          onClick={() =>
            start(async () => {
              if (secrets) return setSecrets(null);
              const res = await revealSecretAction(null, { id: endpointId });
              if (res.ok) setSecrets(res.data);
              else toast.error(res.error);
            })
          }
        >
          {secrets ? "Hide secret" : "Reveal secret"}
        </Button>
        <ConfirmButton
          variant="secondary"
          size="sm"
          disabled={pending}
          confirm={{
            title: "Rotate the signing secret?",
            body: "A new secret starts signing now; the current one keeps signing beside it for 24 hours, so you can update your receiver.",
            confirmLabel: "Rotate secret",
            tone: "primary",
          }}
          run={() => rotateSecretAction(null, { id: endpointId })}
          success="Secret rotated"
          onDone={({ secret }) => {
            setSecrets({ secret, previousSecret: null });
            router.refresh();
          }}
        >
          Rotate secret
        </ConfirmButton>
      </div>
    </div>
  );
}

export function SendTestEvent({ endpointId }: { endpointId: string }) {
  return (
    <AttemptButton
      variant="secondary"
      label="Send test event"
      pendingLabel="Sending…"
      run={() => sendTestEventAction(null, { id: endpointId })}
    />
  );
}

export function DeleteEndpoint({ endpointId, url }: { endpointId: string; url: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      variant="danger"
      size="sm"
      confirm={{ title: `Delete the endpoint ${url}?`, body: "Its deliveries stay in the log; nothing more is sent to it.", confirmLabel: "Delete endpoint" }}
      run={() => deleteEndpointAction(null, { id: endpointId })}
      success="Endpoint deleted"
      onDone={() => router.push("/webhooks")}
    >
      Delete endpoint
    </ConfirmButton>
  );
}
