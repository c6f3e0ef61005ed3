import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { perDatabase } from "@/db/prepared";
import { apiKeys, apiRateWindows } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** Windows kept this long after they end (for a look at recent traffic), then swept. */
const KEEP_MS = 60_000;

// Every API request runs one of these.
const admissions = perDatabase((db) => {
  const live = db
    .$with("live")
    .as(db.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.id, sql.placeholder("keyId")), isNull(apiKeys.revokedAt))));
  return {
    /** A row when the key is live; nothing counted. */
    check: db.with(live).select({ id: live.id }).from(live).prepare("api_admit_unlimited"),
    /** The key's count in this window, with this request; no row when the key is not live. */
    count: db
      .with(live)
      .insert(apiRateWindows)
      .select(
        db
          .select({
            keyId: live.id,
            // Postgres's clock, the same for every instance; a given time only in tests.
            windowStart: sql`coalesce(${sql.placeholder("windowStart")}::timestamptz, date_trunc('second', statement_timestamp()))`.as("window_start"),
            count: sql`1`.as("count"),
          })
          .from(live),
      )
      .onConflictDoUpdate({
        target: [apiRateWindows.keyId, apiRateWindows.windowStart],
        set: { count: sql`${apiRateWindows.count} + 1` },
      })
      .returning({ count: apiRateWindows.count })
      .prepare("api_admit"),
  };
});

/**
 * Admits one request of an API key, in one statement: false when the key has
 * been revoked (or deleted); otherwise counts the request in the current
 * second and refuses it when the key has made more than `limit` (≤ 0: no
 * limit) in that second, on any instance: the count lives in Postgres (an
 * unlogged table, so no WAL write), never only in this process, and the
 * second is Postgres's, so instances whose clocks differ share one window. Called after
 * the credentials are checked, so nobody can spend a merchant's allowance with
 * a client id alone. Refused requests count too: a client that keeps
 * hammering stays refused until it slows down.
 */
export async function admitRequest(db: Database, keyId: string, limit: number, at?: Date): Promise<boolean> {
  const statements = admissions(db);
  if (limit <= 0) return (await statements.check.execute({ keyId })).length > 0;
  const windowStart = at ? new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString() : null;
  const [row] = await statements.count.execute({ keyId, windowStart });
  if (!row) return false;
  if (row.count > limit) {
    throw new AppError("rate_limited", `This API key may make ${limit} requests a second. Wait a moment (see Retry-After) and try again.`);
  }
  return true;
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
