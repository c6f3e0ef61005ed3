import { lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiRateWindows } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** Windows kept this long after they end (for a look at recent traffic), then swept. */
const KEEP_MS = 60_000;

/**
 * Counts one request of an API key in the current second and refuses it when
 * the key has made more than `limit` in that second, on any instance: the
 * count lives in Postgres (one upsert; an unlogged table, so no WAL write),
 * never only in this process. Called after authentication, so nobody can
 * spend a merchant's allowance with a client id alone. Refused requests
 * count too: a client that keeps hammering stays refused until it slows down.
 */
export async function takeRequest(db: Database, keyId: string, limit: number, now = new Date()): Promise<void> {
  if (limit <= 0) return;
  const windowStart = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const [row] = await db
    .insert(apiRateWindows)
    .values({ keyId, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [apiRateWindows.keyId, apiRateWindows.windowStart],
      set: { count: sql`${apiRateWindows.count} + 1` },
    })
    .returning({ count: apiRateWindows.count });
  if (row!.count > limit) {
    throw new AppError("rate_limited", `This API key may make ${limit} requests a second. Wait a moment (see Retry-After) and try again.`);
  }
}

/** Seconds a refused client should wait: until the next window. */
export const retryAfterSeconds = 1;

/** Housekeeping, with the idempotency sweep: windows that ended over a minute ago. */
export async function deleteOldRateWindows(db: Database, now = new Date()): Promise<number> {
  const gone = await db
    .delete(apiRateWindows)
    .where(lt(apiRateWindows.windowStart, new Date(now.getTime() - KEEP_MS)))
    .returning({ keyId: apiRateWindows.keyId });
  return gone.length;
}
