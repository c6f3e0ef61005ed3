import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { loginFailures, passwordResets, users } from "@/db/schema";
import { transaction } from "@/db/transaction";
import { AppError, fieldError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log/logger";
import { type MailMode, mailMode, sendMail } from "@/lib/mail/mailer";
import { passwordResetMail } from "@/lib/mail/messages";
import { passwordWeakness } from "./password-strength";
import { hashPassword } from "./passwords";
import { emailSchema, passwordSchema } from "./schemas";
import { endSessions } from "./sessions";
import { findUserByEmail } from "./users";

export const RESET_TTL_MS = 30 * 60 * 1000;
/** At most this many reset mails per email per window: the form cannot be used to flood someone's inbox. */
export const RESETS_PER_WINDOW = 3;
export const RESET_WINDOW_MS = 15 * 60 * 1000;

export const RESET_LINK_DEAD = "This reset link is invalid, was already used or has expired. Ask for a new one.";

/** Prefixed, so a log scan can recognise one (test/log-leaks.ts) and the logger scrubs it (lib/log/redact.ts). */
const TOKEN_PREFIX = "prt_";
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const forgotPasswordSchema = z.object({ email: emailSchema });
export const resetPasswordSchema = z.object({
  token: z.string().min(1).max(200),
  password: passwordSchema,
});

/**
 * "Forgot password": mails a one-time link to the account with this email,
 * if there is one and it has not had 3 in the last 15 minutes. The caller
 * learns nothing about the account: the answer is the mail mode only, and
 * both paths take the same lock and count; the mail itself goes out after
 * COMMIT, never awaited here, so an existing account does not answer slower.
 */
export async function requestPasswordReset(db: Database, { email }: { email: string }, now = new Date()): Promise<{ mail: MailMode }> {
  if (mailMode() === "off") return { mail: "off" };
  const user = await findUserByEmail(db, email);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const mail = await transaction(db, async (tx) => {
    // Serialises requests for one email (on every instance), so a burst cannot slip past the count.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`password-reset:${email}`}, 0))`);
    const recent = await tx.$count(
      passwordResets,
      and(eq(passwordResets.email, email), gt(passwordResets.createdAt, new Date(now.getTime() - RESET_WINDOW_MS))),
    );
    if (!user || recent >= RESETS_PER_WINDOW) {
      log.info({ knownUser: !!user, recent }, "password reset asked: no mail sent");
      return mailMode();
    }
    await tx.insert(passwordResets).values({
      id: newId("prs"),
      userId: user.id,
      email,
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_TTL_MS),
    });
    log.info({ userId: user.id }, "password reset asked: link mailed");
    return sendMail(tx, (origin) => passwordResetMail(user.email, `${origin}/reset-password/${token}`));
  });
  return { mail };
}

/** The account a live reset link is for, or undefined when the link is unknown, used or expired. */
export async function findResetLink(db: Database, token: string, now = new Date()) {
  const [row] = await db
    .select({ id: passwordResets.id, userId: users.id, email: users.email, name: users.name })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)));
  return row;
}

/**
 * Sets a new password through a reset link, which it spends, with every other
 * outstanding link of the user. Ends every session of the user (whoever held
 * a cookie is signed out), clears the email's failed sign-ins (the lockout),
 * and signs nobody in: the person signs in with the new password.
 */
export async function resetPassword(db: Database, input: z.output<typeof resetPasswordSchema>, now = new Date()): Promise<{ email: string }> {
  const link = await findResetLink(db, input.token, now);
  if (!link) throw new AppError("not_found", RESET_LINK_DEAD);
  const weakness = passwordWeakness(input.password, link);
  if (weakness) throw fieldError("password", weakness);
  const passwordHash = await hashPassword(input.password);
  const endedSessions = await transaction(db, async (tx) => {
    // The claim decides between two submissions of one link: only one updates the row.
    const [claimed] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.id, link.id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
      .returning({ id: passwordResets.id });
    if (!claimed) throw new AppError("not_found", RESET_LINK_DEAD);
    await tx.update(passwordResets).set({ usedAt: now }).where(and(eq(passwordResets.userId, link.userId), isNull(passwordResets.usedAt)));
    await tx.update(users).set({ passwordHash }).where(eq(users.id, link.userId));
    await tx.delete(loginFailures).where(eq(loginFailures.email, link.email.toLowerCase()));
    return endSessions(tx, link.userId);
  });
  log.info({ userId: link.userId, endedSessions }, "password reset; every session ended");
  return { email: link.email };
}
