"use server";

import { redirect } from "next/navigation";
import { publicAction } from "@/lib/actions";
import { getViewer, setCurrentMerchant } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { acceptInvite } from "@/lib/team/invites";
import { acceptInviteSchema } from "@/lib/team/schemas";

export const acceptInviteAction = publicAction(acceptInviteSchema, async ({ token }, db) => {
  const viewer = await getViewer();
  if (!viewer) throw new AppError("unauthenticated", "Sign in to accept this invite.");
  const { merchantId } = await acceptInvite(db, { token, userId: viewer.user.id, email: viewer.user.email });
  await setCurrentMerchant(merchantId);
  redirect("/dashboard");
});
