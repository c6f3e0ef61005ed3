"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions";
import { merchantSettingsSchema, updateMerchant } from "@/lib/merchants";
import { changeRole, removeMember } from "@/lib/team/members";
import { createInvite, revokeInvite } from "@/lib/team/invites";
import { changeRoleSchema, inviteSchema, removeMemberSchema, revokeInviteSchema } from "@/lib/team/schemas";

export const updateMerchantAction = authorizedAction(merchantSettingsSchema, "merchant.manage", async (input, { db, actor }) => {
  await updateMerchant(db, actor, input);
  revalidatePath("/", "layout");
  return { name: input.name };
});

export const inviteMemberAction = authorizedAction(inviteSchema, "team.manage", async (input, { db, actor }) => {
  const { invite, token } = await createInvite(db, actor, input);
  revalidatePath("/settings/team");
  return { email: invite.email, role: invite.role, path: `/invite/${token}` };
});

export const changeRoleAction = authorizedAction(changeRoleSchema, "team.manage", async (input, { db, actor }) => {
  await changeRole(db, actor, input);
  revalidatePath("/settings/team");
  return { role: input.role };
});

export const removeMemberAction = authorizedAction(removeMemberSchema, "team.manage", async (input, { db, actor }) => {
  await removeMember(db, actor, input);
  revalidatePath("/settings/team");
  return null;
});

export const revokeInviteAction = authorizedAction(revokeInviteSchema, "team.manage", async (input, { db, actor }) => {
  await revokeInvite(db, actor, input.inviteId);
  revalidatePath("/settings/team");
  return null;
});
