import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import { transaction } from "@/db/transaction";
import { AppError, fieldError } from "@/lib/errors";
import { log } from "@/lib/log/logger";
import { passwordWeakness } from "./password-strength";
import { hashPassword } from "./passwords";
import { PASSWORD_MAX, PASSWORD_MIN, passwordSchema } from "./schemas";
import { endSessions } from "./sessions";
import { verifyCredentials } from "./sign-in";

export const WRONG_CURRENT_PASSWORD = "That is not your current password.";
export const SAME_PASSWORD = "Choose a new password, not the one you have now.";
export const NO_PASSWORD = "You sign in with GitHub or Google: this account has no password to change.";

/** The form, for this person: the new password is judged as sign-up judges one, against their own name and email. */
export const changePasswordSchema = (person: { email: string; name: string }) =>
  z
    .object({
      currentPassword: z.string().min(1, "Enter your current password.").max(PASSWORD_MAX, "Use at most 200 characters."),
      newPassword: passwordSchema,
    })
    .superRefine(({ currentPassword, newPassword }, ctx) => {
      if (typeof newPassword !== "string" || newPassword.length < PASSWORD_MIN || newPassword.length > PASSWORD_MAX) return;
      const problem = newPassword === currentPassword ? SAME_PASSWORD : passwordWeakness(newPassword, person);
      if (problem) ctx.addIssue({ code: "custom", path: ["newPassword"], message: problem });
    });
export type ChangePasswordInput = z.output<ReturnType<typeof changePasswordSchema>>;

/**
 * Changes the signed-in user's password and ends every other session they
 * have: whoever else holds a cookie of theirs is signed out, the browser that
 * asked stays in. The current password is checked as a sign-in is, through
 * the lockout (5 wrong ones in 15 minutes lock the email), so a borrowed
 * session cannot guess it here either.
 */
export async function changePassword(
  db: Database,
  { userId, sessionId }: { userId: string; sessionId: string },
  input: ChangePasswordInput,
): Promise<{ endedSessions: number }> {
  const [user] = await db.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
  if (!user.passwordHash) throw new AppError("conflict", NO_PASSWORD);
  try {
    await verifyCredentials(db, user.email, input.currentPassword);
  } catch (err) {
    // A wrong password belongs to its field; a lock (rate_limited) is said above the form.
    if (err instanceof AppError && err.code === "unauthenticated") throw fieldError("currentPassword", WRONG_CURRENT_PASSWORD);
    throw err;
  }
  const passwordHash = await hashPassword(input.newPassword);
  const endedSessions = await transaction(db, async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    return endSessions(tx, userId, { except: sessionId });
  });
  log.info({ userId, endedSessions }, "password changed; other sessions ended");
  return { endedSessions };
}

/** Ends every session of the user, this one too: every browser, every copy of a cookie, signed out. */
export async function signOutEverywhere(db: Database, userId: string): Promise<{ endedSessions: number }> {
  const endedSessions = await endSessions(db, userId);
  log.info({ userId, endedSessions }, "signed out everywhere");
  return { endedSessions };
}
