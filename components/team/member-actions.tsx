"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { changeRoleAction, removeMemberAction, revokeInviteAction } from "@/app/(dashboard)/settings/actions";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { type Role, roleLabels } from "@/lib/auth/roles";

function report(result: { ok: boolean; error?: string }, success: string) {
  if (result.ok) toast.success(success);
  else toast.error(result.error ?? "That did not work.");
}

export function MemberActions({ membershipId, email, role, assignable }: { membershipId: string; email: string; role: Role; assignable: Role[] }) {
  const [pending, start] = useTransition();
  const options = assignable.includes(role) ? assignable : [role, ...assignable];
  return (
    <div className="flex items-center justify-end gap-2">
      <Select
        aria-label={`Role of ${email}`}
        className="w-32"
        value={role}
        disabled={pending}
        onChange={(e) => {
          const next = e.target.value as Role;
          start(async () => report(await changeRoleAction(null, { membershipId, role: next }), `${email} is now ${roleLabels[next]}`));
        }}
      >
        {options.map((r) => (
          <option key={r} value={r}>
            {roleLabels[r]}
          </option>
        ))}
      </Select>
      <Button
        variant="ghost"
        size="sm"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(`Remove ${email} from this merchant? They lose access at once.`)) return;
          start(async () => report(await removeMemberAction(null, { membershipId }), `${email} removed`));
        }}
      >
        Remove
      </Button>
    </div>
  );
}

export function RevokeInvite({ inviteId, email }: { inviteId: string; email: string }) {
  const [pending, start] = useTransition();
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={pending}
      onClick={() => {
        if (!window.confirm(`Revoke the invite for ${email}?`)) return;
        start(async () => report(await revokeInviteAction(null, { inviteId }), "Invite revoked"));
      }}
    >
      Revoke
    </Button>
  );
}
