"use server";

import { publicAction } from "@/lib/actions";
import { signupSchema } from "@/lib/accounts/schemas";
import { signUp } from "@/lib/accounts/signup";
import { setCurrentMerchant } from "@/lib/auth/session";

export const signupAction = publicAction(signupSchema, async (input, db) => {
  const { user, merchantId } = await signUp(db, input);
  await setCurrentMerchant(merchantId);
  return { email: user.email };
});
