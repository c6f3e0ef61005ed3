import { and, eq, gt, lte, ne } from "drizzle-orm";
import type { Database } from "@/db/client";
import { userSessions, users } from "@/db/schema";
import { newId } from "@/lib/ids";

/** How long a sign-in lasts: the session cookie's lifetime, and its row's. */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/**
 * Records a sign-in and returns its id, which the session cookie carries.
 * The user's sessions that expired on their own are cleared on the way.
 */
export async function startSession(db: Database, userId: string, now = new Date()): Promise<string> {
  await db.delete(userSessions).where(and(eq(userSessions.userId, userId), lte(userSessions.expiresAt, now)));
  const id = newId("ses");
  await db.insert(userSessions).values({ id, userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) });
  return id;
}

/**
 * The user a session cookie stands for, read fresh, while its session has
 * not been ended; otherwise null. One indexed read, on every request that
 * acts for a signed-in person, so an ended session is refused at once on
 * every instance.
 */
export async function liveSessionUser(db: Database, { sessionId, userId }: { sessionId: string; userId: string }, now = new Date()) {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), gt(userSessions.expiresAt, now)));
  return user ?? null;
}

/** Ends one session (signing out): its cookie, wherever a copy of it is, no longer signs anyone in. */
export async function endSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.id, sessionId));
}

/** Ends every session of the user, or every one but `except` (the browser that asked); returns how many ended. */
export async function endSessions(db: Database, userId: string, { except }: { except?: string } = {}): Promise<number> {
  const ended = await db
    .delete(userSessions)
    .where(and(eq(userSessions.userId, userId), except ? ne(userSessions.id, except) : undefined))
    .returning({ id: userSessions.id });
  return ended.length;
}

/** How many browsers the user is signed in on now. */
export async function liveSessionCount(db: Database, userId: string, now = new Date()): Promise<number> {
  return db.$count(userSessions, and(eq(userSessions.userId, userId), gt(userSessions.expiresAt, now)));
}
