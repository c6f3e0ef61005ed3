"use server";

import { cookies } from "next/headers";
import { publicAction } from "@/lib/actions";
import { signupSchema } from "@/lib/accounts/schemas";
import { signUp } from "@/lib/accounts/signup";
import { CURRENT_MERCHANT_COOKIE } from "@/lib/auth/session";

export const signupAction = publicAction(signupSchema, async (input, db) => {
  const { user, merchantId } = await signUp(db, input);
  (await cookies()).set(CURRENT_MERCHANT_COOKIE, merchantId, { path: "/", sameSite: "lax", httpOnly: true });
  return { email: user.email };
});
