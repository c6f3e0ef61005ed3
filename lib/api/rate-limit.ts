import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { perDatabase } from "@/db/prepared";
import { apiKeys, apiRateWindows, apiSeenSignatures } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** Windows kept this long after they end (for a look at recent traffic), then swept. */
const KEEP_MS = 60_000;

/**
 * A signature is remembered this long after it was first admitted: longer than
 * any signature can stay valid (its timestamp may be up to 5 minutes ahead and
 * is accepted for 5 minutes after), with a minute for instances' clocks.
 */
export const SEEN_SIGNATURE_FOR_S = 11 * 60;

// Every API request runs one of these.
const admissions = perDatabase((db) => {
  /** The key, when live: the statements count or admit a request only through it. */
  const liveKey = (...also: ReturnType<typeof sql>[]) =>
    db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, sql.placeholder("keyId")), isNull(apiKeys.revokedAt), ...also));
  /**
   * A signed write's signature, remembered in the same statement that admits
   * it. A new signature is inserted; one already seen is let through (as an
   * update that changes nothing) only when it carries the same Idempotency-Key
   * as the first time, which the idempotency store answers without running it
   * again. Otherwise nothing is returned, `exists` is false and the key reads
   * as not live: the caller then asks why (lib/api/auth.ts), a round trip only
   * on refusal.
   */
  const seen = db.$with("seen", { signature: sql<string>`signature` }).as(
    sql`insert into ${apiSeenSignatures} as s (signature, idempotency_key, expires_at)
        values (${sql.placeholder("signature")}, ${sql.placeholder("idempotencyKey")}::text,
                statement_timestamp() + make_interval(secs => ${sql.raw(String(SEEN_SIGNATURE_FOR_S))}))
        on conflict (signature) do update set signature = excluded.signature
          where s.idempotency_key is not null and s.idempotency_key = excluded.idempotency_key
        returning signature`,
  );
  const live = db.$with("live").as(liveKey());
  const liveUnseen = db.$with("live").as(liveKey(sql`exists (select 1 from ${seen})`));
  const count = (from: typeof live, name: string) =>
    db
      .with(...(from === live ? [live] : [seen, liveUnseen]))
      .insert(apiRateWindows)
      .select(
        db
          .select({
            keyId: from.id,
            // Postgres's clock, the same for every instance; a given time only in tests.
            windowStart: sql`coalesce(${sql.placeholder("windowStart")}::timestamptz, date_trunc('second', statement_timestamp()))`.as("window_start"),
            count: sql`1`.as("count"),
          })
          .from(from),
      )
      .onConflictDoUpdate({
        target: [apiRateWindows.keyId, apiRateWindows.windowStart],
        set: { count: sql`${apiRateWindows.count} + 1` },
      })
      .returning({ count: apiRateWindows.count })
      .prepare(name);
  return {
    /** A row when the key is live; nothing counted. */
    check: db.with(live).select({ id: live.id }).from(live).prepare("api_admit_unlimited"),
    /** The key's count in this window, with this request; no row when the key is not live. */
    count: count(live, "api_admit"),
    /** The same two for a signed write: no row either when its signature was already seen. */
    checkFirstSeen: db.with(seen, liveUnseen).select({ id: liveUnseen.id }).from(liveUnseen).prepare("api_admit_signed_unlimited"),
    countFirstSeen: count(liveUnseen, "api_admit_signed"),
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
 *
 * With `signed` (a signed write), the same statement remembers its signature,
 * and one already remembered makes it return false too unless it comes with
 * the same Idempotency-Key (see `seen`), so a replay is refused on every
 * instance at no extra round trip.
 */
export async function admitRequest(
  db: Database,
  keyId: string,
  limit: number,
  at?: Date,
  signed?: { signature: string; idempotencyKey: string | null },
): Promise<boolean> {
  const statements = admissions(db);
  if (limit <= 0) {
    const rows = signed ? await statements.checkFirstSeen.execute({ keyId, ...signed }) : await statements.check.execute({ keyId });
    return rows.length > 0;
  }
  const windowStart = at ? new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString() : null;
  const [row] = signed
    ? await statements.countFirstSeen.execute({ keyId, windowStart, ...signed })
    : await statements.count.execute({ keyId, windowStart });
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

/** Housekeeping: signatures past the time they could still be valid. */
export async function deleteExpiredSignatures(db: Database, now = new Date()): Promise<number> {
  const gone = await db.delete(apiSeenSignatures).where(lt(apiSeenSignatures.expiresAt, now)).returning({ signature: apiSeenSignatures.signature });
  return gone.length;
}
