"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { publicAction } from "@/lib/actions";
import { forgotPasswordSchema, requestPasswordReset, resetPasswordSchema, resetPassword } from "@/lib/accounts/password-reset";
import { credentialsSchema, signupSchema } from "@/lib/accounts/schemas";
import { verifyCredentials } from "@/lib/accounts/sign-in";
import { signUp } from "@/lib/accounts/signup";
import { safeCallback } from "@/lib/auth/callback";
import { setCurrentMerchant } from "@/lib/auth/session";
import { signInAs } from "@/lib/auth/session-start";
import { optional } from "@/lib/validation";

const next = z.object({ callbackUrl: optional(z.string().max(2000)) });

/** Creates the account, signs its owner in and opens the dashboard (or the page they came for): no JavaScript needed. */
export const signupAction = publicAction(z.intersection(signupSchema, next), async ({ callbackUrl, ...input }, db) => {
  const { user, merchantId } = await signUp(db, input);
  await signInAs(db, user);
  await setCurrentMerchant(merchantId);
  redirect(safeCallback(callbackUrl));
});

const signInSchema = credentialsSchema.extend(next.shape);

/**
 * Email and password sign-in as a POST, so it works before hydration and
 * without JavaScript (a form without an action would GET, putting the
 * password in the URL). The same checks and lockout as next-auth's
 * credentials provider (lib/auth/options.ts), the same session.
 */
export const signInAction = publicAction(signInSchema, async ({ email, password, callbackUrl }, db) => {
  const user = await verifyCredentials(db, email, password);
  await signInAs(db, user);
  redirect(safeCallback(callbackUrl));
});

/** "Forgot password": the same answer whether or not the email has an account (the form says it). */
export const forgotPasswordAction = publicAction(forgotPasswordSchema, (input, db) => requestPasswordReset(db, input));

/** A new password through a reset link; signs nobody in: on to /login, which says the password changed. */
export const resetPasswordAction = publicAction(resetPasswordSchema, async (input, db) => {
  const { email } = await resetPassword(db, input);
  redirect(`/login?reset=1&email=${encodeURIComponent(email)}`);
});
