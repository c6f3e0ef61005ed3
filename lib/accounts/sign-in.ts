import { and, desc, eq, gt, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loginFailures } from "@/db/schema";
import { transaction } from "@/db/transaction";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log/logger";
import { checkPassword } from "./passwords";
import { findUserByEmail } from "./users";

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_WINDOW_MS = 15 * 60 * 1000;
/** How far ahead another attempt's clock may read and still be counted (concurrent attempts, instances' clocks). */
const CLOCK_SKEW_MS = 60_000;

/** When the email is locked, the moment it unlocks: 15 minutes after the 5th failure within 15 minutes. */
export async function lockedUntil(db: Database, email: string, now = new Date()): Promise<Date | null> {
  const recent = await db
    .select({ at: loginFailures.createdAt })
    .from(loginFailures)
    .where(
      and(
        eq(loginFailures.email, email),
        gt(loginFailures.createdAt, new Date(now.getTime() - 2 * LOCK_WINDOW_MS)),
        // An attempt that waited for the lock counts the ones that got it first, even when their
        // clock (theirs, or another instance's) read a little later than this one's.
        lte(loginFailures.createdAt, new Date(now.getTime() + CLOCK_SKEW_MS)),
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

/**
 * Reserves one attempt for the email before its password is checked: under a
 * lock on the email (an advisory lock, held only for this short transaction,
 * never across bcrypt), decides whether the email is locked and, if not,
 * records the attempt as a failure. The caller removes that one row if the
 * password turns out right. So concurrent attempts see each other's
 * reservations, on every instance, and at most 5 per window reach bcrypt.
 * (An advisory lock rather than one statement: a single statement counts with
 * the snapshot it started with, so concurrent ones could all count 4.)
 */
async function reserveAttempt(db: Database, email: string, now: Date): Promise<{ id: string } | { lockedUntil: Date }> {
  return transaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${email}`}, 0))`);
    const until = await lockedUntil(tx, email, now);
    if (until) return { lockedUntil: until };
    const id = newId("lf");
    await tx.insert(loginFailures).values({ id, email, createdAt: now });
    return { id };
  });
}

/** The email as logged: people type their password into the email field, and that must not reach a log. */
const loggable = (email: string) => (/^[^\s@]+@[^\s@]+$/.test(email) ? email : "(not an email address)");

export const WRONG_CREDENTIALS = "Email or password is incorrect.";
export const LOCKED = "Too many failed sign-in attempts. Try again in 15 minutes.";

/**
 * Checks an email and password; counts failures in the database so every
 * instance sees them. Every attempt is counted before bcrypt runs; a right
 * password removes only its own attempt, never the failures of others (so a
 * burst cannot sign in once locked, nor wipe the count).
 */
export async function verifyCredentials(db: Database, rawEmail: string, password: string, now = new Date()) {
  const email = rawEmail.trim().toLowerCase();
  const attempt = await reserveAttempt(db, email, now);
  if ("lockedUntil" in attempt) {
    log.warn({ email: loggable(email), lockedUntil: attempt.lockedUntil.toISOString() }, "sign-in refused: locked");
    throw new AppError("rate_limited", LOCKED);
  }
  const user = await findUserByEmail(db, email);
  const ok = await checkPassword(password, user?.passwordHash);
  if (!ok || !user) {
    log.info({ email: loggable(email), knownUser: !!user }, "sign-in failed");
    throw new AppError("unauthenticated", WRONG_CREDENTIALS);
  }
  await db.delete(loginFailures).where(eq(loginFailures.id, attempt.id));
  return user;
}
