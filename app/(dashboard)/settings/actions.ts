"use server";

import { revalidatePath } from "next/cache";
import { commandAction } from "@/lib/actions";
import { updateMerchant } from "@/lib/merchants";
import { deleteTestData, testDataDeletionJson } from "@/lib/test-data/deletions";
import { createInvite, revokeInvite } from "@/lib/team/invites";
import { changeRole, removeMember } from "@/lib/team/members";

export const updateMerchantAction = commandAction(updateMerchant, ({ name }) => {
  revalidatePath("/", "layout");
  return { name };
});

export const inviteMemberAction = commandAction(createInvite, ({ invite, token, mail }) => {
  revalidatePath("/settings/team");
  return { email: invite.email, role: invite.role, path: `/invite/${token}`, mailed: mail !== "off" };
});

export const changeRoleAction = commandAction(changeRole, ({ role }) => {
  revalidatePath("/settings/team");
  return { role };
});

export const removeMemberAction = commandAction(removeMember, () => {
  revalidatePath("/settings/team");
  return null;
});

export const revokeInviteAction = commandAction(revokeInvite, () => {
  revalidatePath("/settings/team");
  return null;
});

export const deleteTestDataAction = commandAction(deleteTestData, (job) => testDataDeletionJson(job));
