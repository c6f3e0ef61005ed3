"use server";

import { z } from "zod";
import { changePassword, changePasswordSchema, signOutEverywhere } from "@/lib/accounts/password-change";
import { userAction } from "@/lib/actions";

// The signed-in person's own account, in no merchant: userAction (lib/actions.ts) says how they are authorised.

export const changePasswordAction = userAction(changePasswordSchema, (input, { db, user, sessionId }) =>
  changePassword(db, { userId: user.id, sessionId }, input),
);

export const signOutEverywhereAction = userAction(z.object({}), (_input, { db, user }) => signOutEverywhere(db, user.id));
