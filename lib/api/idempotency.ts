import { createHash } from "node:crypto";
import { and, eq, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { perDatabase, placeholders } from "@/db/prepared";
import { queueWrite } from "@/db/transaction";
import { apiIdempotencyKeys } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a running request owns its key past the database's clock; the
 * request renews it every third of that while it runs (holdIdempotent), so
 * only a request whose process died lets it run out, and its client's retry
 * runs it again seconds later.
 */
export const IDEMPOTENCY_LEASE_MS = 6_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export interface StoredResponse {
  status: number;
  /** The JSON body as sent the first time. */
  body: string;
}

/** The request as its key remembers it: method, path with query, and the exact body. */
export function fingerprintOf(method: string, pathWithQuery: string, body: string): string {
  return createHash("sha256").update(`${method.toUpperCase()}\n${pathWithQuery}\n${body}`).digest("hex");
}

/** A header value is a usable key: 1–255 visible ASCII characters. */
export function checkIdempotencyKey(value: string): string {
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
    throw new AppError("bad_request", `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters.`, {
      "Idempotency-Key": [`Use at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters, no spaces.`],
    });
  }
  return value;
}

// Run by every POST with a key.
const claimStatement = perDatabase((db) => {
  const t = apiIdempotencyKeys;
  return db
    .insert(t)
    .values({
      ...placeholders("merchantId", "key", "fingerprint", "createdAt", "expiresAt"),
      lockedUntil: sql`now() + ${sql.placeholder("leaseMs")}::int * interval '1 millisecond'`,
      state: "running",
    })
    .onConflictDoUpdate({
      target: [t.merchantId, t.key],
      set: {
        fingerprint: sql`excluded.fingerprint`,
        state: "running",
        lockedUntil: sql`excluded.locked_until`,
        responseStatus: null,
        responseBody: null,
        createdAt: sql`excluded.created_at`,
        expiresAt: sql`excluded.expires_at`,
      },
      setWhere: sql`${t.expiresAt} <= excluded.created_at
        or (${t.state} = 'running' and ${t.lockedUntil} <= now() and ${t.fingerprint} = excluded.fingerprint)`,
    })
    .returning({ key: t.key })
    .prepare("api_idempotency_claim");
});

interface KeyRef {
  merchantId: string;
  key: string;
}

/**
 * Claims the key for this request in one statement: a new key, an expired
 * one, or the same request's abandoned run is ours to execute. Otherwise the
 * stored row decides: a different request is a conflict, an unfinished one is
 * in progress, a finished one is replayed. Exactly one of any number of
 * concurrent requests with one key gets `execute`.
 */
export async function beginIdempotent(
  db: Database,
  ref: KeyRef & { fingerprint: string },
  now = new Date(),
  leaseMs = IDEMPOTENCY_LEASE_MS,
): Promise<{ execute: true } | { execute: false; response: StoredResponse }> {
  const t = apiIdempotencyKeys;
  const values = {
    merchantId: ref.merchantId,
    key: ref.key,
    fingerprint: ref.fingerprint,
    leaseMs,
    createdAt: now,
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    const claimed = await claimStatement(db).execute(values);
    if (claimed.length) return { execute: true };

    // A new statement: read committed sees the row that beat us, committed.
    const [row] = await db
      .select()
      .from(t)
      .where(and(eq(t.merchantId, ref.merchantId), eq(t.key, ref.key)));
    if (!row) continue; // swept away in between: try to claim again
    if (row.fingerprint !== ref.fingerprint) {
      throw new AppError("idempotency_conflict", "This Idempotency-Key was already used with a different request (method, path or body).");
    }
    if (row.state === "running") {
      throw new AppError("idempotency_in_progress", "A request with this Idempotency-Key is still running. Retry once it has finished.");
    }
    return { execute: false, response: { status: row.responseStatus!, body: row.responseBody! } };
  }
  throw new AppError("idempotency_in_progress", "This Idempotency-Key is changing hands. Retry in a moment.");
}

/**
 * Keeps a running request's claim on its key: renews the lease every third
 * of it until the returned function is called. A renewal that fails (the
 * database is away) is tried again at the next tick.
 */
export function holdIdempotent(db: Database, ref: KeyRef, leaseMs = IDEMPOTENCY_LEASE_MS): () => void {
  const t = apiIdempotencyKeys;
  const timer = setInterval(() => {
    db.update(t)
      .set({ lockedUntil: sql`now() + ${leaseMs}::int * interval '1 millisecond'` })
      .where(and(eq(t.merchantId, ref.merchantId), eq(t.key, ref.key), eq(t.state, "running")))
      .then(
        () => {},
        () => {},
      );
  }, Math.max(50, Math.floor(leaseMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Keeps the response for replays; call with the transaction that made the
 * change, so both commit together (in a transaction of db/transaction.ts it
 * goes out with the commit).
 */
export async function completeIdempotent(db: Database, ref: KeyRef, response: StoredResponse): Promise<void> {
  await queueWrite(
    db,
    apiIdempotencyKeys,
    db
      .update(apiIdempotencyKeys)
      .set({ state: "done", responseStatus: response.status, responseBody: response.body })
      .where(and(eq(apiIdempotencyKeys.merchantId, ref.merchantId), eq(apiIdempotencyKeys.key, ref.key))),
  );
}

/** Forgets a key whose request failed on our side, so the client's retry runs it again. */
export async function releaseIdempotent(db: Database, ref: KeyRef): Promise<void> {
  await db
    .delete(apiIdempotencyKeys)
    .where(and(eq(apiIdempotencyKeys.merchantId, ref.merchantId), eq(apiIdempotencyKeys.key, ref.key), eq(apiIdempotencyKeys.state, "running")));
}

/** Housekeeping: keys past their 24 hours (they are also taken over on reuse). */
export async function deleteExpiredIdempotencyKeys(db: Database, now = new Date()): Promise<number> {
  const gone = await db
    .delete(apiIdempotencyKeys)
    .where(lte(apiIdempotencyKeys.expiresAt, now))
    .returning({ key: apiIdempotencyKeys.key });
  return gone.length;
}
