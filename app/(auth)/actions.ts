"use server";

import { redirect } from "next/navigation";
import { publicAction } from "@/lib/actions";
import { forgotPasswordSchema, requestPasswordReset, resetPasswordSchema, resetPassword } from "@/lib/accounts/password-reset";
import { signupSchema } from "@/lib/accounts/schemas";
import { signUp } from "@/lib/accounts/signup";
import { setCurrentMerchant } from "@/lib/auth/session";

export const signupAction = publicAction(signupSchema, async (input, db) => {
  const { user, merchantId } = await signUp(db, input);
  await setCurrentMerchant(merchantId);
  return { email: user.email };
});

/** "Forgot password": the same answer whether or not the email has an account (the form says it). */
export const forgotPasswordAction = publicAction(forgotPasswordSchema, (input, db) => requestPasswordReset(db, input));

/** A new password through a reset link; signs nobody in: on to /login, which says the password changed. */
export const resetPasswordAction = publicAction(resetPasswordSchema, async (input, db) => {
  const { email } = await resetPassword(db, input);
  redirect(`/login?reset=1&email=${encodeURIComponent(email)}`);
});
