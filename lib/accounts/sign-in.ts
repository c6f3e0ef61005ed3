import { and, desc, eq, gt, lte } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loginFailures } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log/logger";
import { checkPassword } from "./passwords";
import { findUserByEmail } from "./users";

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_WINDOW_MS = 15 * 60 * 1000;

/** When the email is locked, the moment it unlocks: 15 minutes after the 5th failure within 15 minutes. */
export async function lockedUntil(db: Database, email: string, now = new Date()): Promise<Date | null> {
  const recent = await db
    .select({ at: loginFailures.createdAt })
    .from(loginFailures)
    .where(
      and(
        eq(loginFailures.email, email),
        gt(loginFailures.createdAt, new Date(now.getTime() - 2 * LOCK_WINDOW_MS)),
        lte(loginFailures.createdAt, now),
      ),
    )
    .orderBy(desc(loginFailures.createdAt))
    .limit(LOCK_AFTER_FAILURES);
  if (recent.length < LOCK_AFTER_FAILURES) return null;
  const newest = recent[0]!.at.getTime();
  const oldest = recent[recent.length - 1]!.at.getTime();
  if (newest - oldest > LOCK_WINDOW_MS) return null;
  const until = new Date(newest + LOCK_WINDOW_MS);
  return until > now ? until : null;
}

/** The email as logged: people type their password into the email field, and that must not reach a log. */
const loggable = (email: string) => (/^[^\s@]+@[^\s@]+$/.test(email) ? email : "(not an email address)");

export const WRONG_CREDENTIALS = "Email or password is incorrect.";
export const LOCKED = "Too many failed sign-in attempts. Try again in 15 minutes.";

/** Checks an email and password; counts failures in the database so every instance sees them. */
export async function verifyCredentials(db: Database, rawEmail: string, password: string, now = new Date()) {
  const email = rawEmail.trim().toLowerCase();
  const until = await lockedUntil(db, email, now);
  if (until) {
    log.warn({ email: loggable(email), lockedUntil: until.toISOString() }, "sign-in refused: locked");
    throw new AppError("rate_limited", LOCKED);
  }
  const user = await findUserByEmail(db, email);
  const ok = await checkPassword(password, user?.passwordHash);
  if (!ok || !user) {
    await db.insert(loginFailures).values({ id: newId("lf"), email, createdAt: now });
    log.info({ email: loggable(email), knownUser: !!user }, "sign-in failed");
    throw new AppError("unauthenticated", WRONG_CREDENTIALS);
  }
  await db.delete(loginFailures).where(eq(loginFailures.email, email));
  return user;
}
