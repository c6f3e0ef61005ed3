"use client";

import { useTransition } from "react";
import { changeRoleAction, removeMemberAction, revokeInviteAction } from "@/app/(dashboard)/settings/actions";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/field";
import { toastResult } from "@/components/ui/toast";
import { type Role, roleLabels } from "@/lib/auth/roles";

export function MemberActions({ membershipId, email, role, assignable }: { membershipId: string; email: string; role: Role; assignable: Role[] }) {
  const [pending, start] = useTransition();
  const [confirm, dialog] = useConfirm();
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
          start(async () => void toastResult(await changeRoleAction(null, { membershipId, role: next }), `${email} is now ${roleLabels[next]}`));
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
        onClick={async () => {
          if (!(await confirm({ title: `Remove ${email}?`, body: "They lose access to this merchant at once.", confirmLabel: "Remove member" }))) return;
          start(async () => void toastResult(await removeMemberAction(null, { membershipId }), `${email} removed`));
        }}
      >
        Remove
      </Button>
      {dialog}
    </div>
  );
}

export function RevokeInvite({ inviteId, email }: { inviteId: string; email: string }) {
  const [pending, start] = useTransition();
  const [confirm, dialog] = useConfirm();
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        disabled={pending}
        onClick={async () => {
          if (!(await confirm({ title: `Revoke the invite for ${email}?`, body: "The link stops working; you can invite them again later.", confirmLabel: "Revoke invite" }))) return;
          start(async () => void toastResult(await revokeInviteAction(null, { inviteId }), "Invite revoked"));
        }}
      >
        Revoke
      </Button>
      {dialog}
    </>
  );
}
