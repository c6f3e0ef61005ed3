"use client";

import { useTransition } from "react";
import { changeRoleAction, removeMemberAction, revokeInviteAction } from "@/app/(dashboard)/settings/actions";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/field";
import { toastResult } from "@/components/ui/toast";
import { type Role, roleLabels } from "@/lib/auth/roles";

/** What removing a member also does to the API keys they made (lib/team/members.ts revokes them). */
export function removeConfirmBody(liveKeys: number): string {
  const keys = liveKeys === 1 ? "The API key they made will be revoked." : `The ${liveKeys} API keys they made will be revoked.`;
  return liveKeys > 0 ? `They lose access to this merchant at once. ${keys}` : "They lose access to this merchant at once.";
}

export function MemberActions({
  membershipId,
  email,
  role,
  assignable,
  liveKeys,
}: {
  membershipId: string;
  email: string;
  role: Role;
  assignable: Role[];
  /** Live API keys this member made for the merchant. */
  liveKeys: number;
}) {
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
          start(async () => void toastResult(await changeRoleAction(null, { membershipId, role: next }), `${email} is now ${roleLabels[next]}`));
        }}
      >
        {options.map((r) => (
          <option key={r} value={r}>
            {roleLabels[r]}
          </option>
        ))}
      </Select>
      <ConfirmButton
        variant="ghost"
        size="sm"
        disabled={pending}
        confirm={{ title: `Remove ${email}?`, body: removeConfirmBody(liveKeys), confirmLabel: "Remove member" }}
        run={() => removeMemberAction(null, { membershipId })}
        success={`${email} removed`}
      >
        Remove
      </ConfirmButton>
    </div>
  );
}

export function RevokeInvite({ inviteId, email }: { inviteId: string; email: string }) {
  return (
    <ConfirmButton
      variant="ghost"
      size="sm"
      confirm={{ title: `Revoke the invite for ${email}?`, body: "The link stops working; you can invite them again later.", confirmLabel: "Revoke invite" }}
      run={() => revokeInviteAction(null, { inviteId })}
      success="Invite revoked"
    >
      Revoke
    </ConfirmButton>
  );
}
