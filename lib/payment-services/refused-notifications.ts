import { and, eq, lt, type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { providerNotifications } from "@/db/schema";
import { transaction } from "@/db/transaction";

/**
 * Refused notifications are kept for support staff ("why did my provider's
 * callback not count?"), but anyone who knows a notify URL can send them, so
 * what they may take is bounded per payment service:
 *
 * - **Rate**: at most {@link REFUSED_PER_MINUTE} stored per rolling minute and
 *   {@link REFUSED_PER_DAY} per rolling day. A provider retrying a refused
 *   notification sends a few a minute; a misconfigured secret on a busy
 *   account, a few hundred a day. Beyond a cap the request gets the same
 *   answer (401 for a forged signature, 400, 403, 502) but nothing is stored;
 *   the log still has it.
 * - **Size**: a refused body is kept up to {@link REFUSED_BODY_CHARS}
 *   characters (a gateway's notification is a few hundred bytes to a few KiB).
 * - **Retention**: refused rows older than {@link REFUSED_RETENTION_DAYS} days
 *   are deleted by the sweep (server start's loop and the cron).
 *
 * So a week-long flood at any speed leaves at most 14 × 1,000 rows of at most
 * ~8 K characters each per service. "Refused" means what an outsider can
 * cause: `rejected` (a bad signature, a malformed body, a zero amount, text
 * Postgres refuses, a turned-off service), and `error` rows of an unsigned
 * callback whose status lookup failed (verified by nothing: a made-up id
 * ends there). An `error` on a verified notification is not refused and is
 * kept like any other.
 */
export const REFUSED_PER_MINUTE = 20;
export const REFUSED_PER_DAY = 1_000;
export const REFUSED_RETENTION_DAYS = 14;
export const REFUSED_BODY_CHARS = 8 * 1024;

/** The rows the caps and the sweep count; the same predicate as the partial index `provider_notifications_refused_idx`. */
// Literals, not parameters, so the planner can match the index's predicate.
export const isRefused: SQL = sql`(${providerNotifications.outcome} = 'rejected' or (${providerNotifications.outcome} = 'error' and ${providerNotifications.verifiedBy} is null))`;

/** A refused body as kept: its first REFUSED_BODY_CHARS characters, and how long it was. */
export function refusedBody(body: string): string {
  if (body.length <= REFUSED_BODY_CHARS) return body;
  // Never half of a surrogate pair at the cut.
  const end = /[\uD800-\uDBFF]/.test(body[REFUSED_BODY_CHARS - 1]!) ? REFUSED_BODY_CHARS - 1 : REFUSED_BODY_CHARS;
  return `${body.slice(0, end)}…[truncated: ${Buffer.byteLength(body)} bytes in all]`;
}

/**
 * Stores one refused notification unless its service is over a cap; true when
 * stored. Under an advisory lock on the service, held for this short
 * transaction: a single statement would count with the snapshot it started
 * with, so a burst of concurrent requests could each count 19 and all insert.
 */
export async function storeRefusedNotification(db: Database, row: typeof providerNotifications.$inferInsert): Promise<boolean> {
  return transaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`notify-refused:${row.serviceId}`}, 0))`);
    const [counts] = await tx
      .select({
        minute: sql<number>`(count(*) filter (where ${providerNotifications.createdAt} > now() - interval '1 minute'))::int`,
        day: sql<number>`count(*)::int`,
      })
      .from(providerNotifications)
      .where(and(eq(providerNotifications.serviceId, row.serviceId), isRefused, sql`${providerNotifications.createdAt} > now() - interval '1 day'`));
    if (counts && (counts.minute >= REFUSED_PER_MINUTE || counts.day >= REFUSED_PER_DAY)) return false;
    await tx.insert(providerNotifications).values({ ...row, body: refusedBody(row.body) });
    return true;
  });
}

/** Deletes refused notifications past their retention, a batch at a time; returns how many went. */
export async function sweepRefusedNotifications(db: Database, now = new Date(), batch = 5_000): Promise<number> {
  const before = new Date(now.getTime() - REFUSED_RETENTION_DAYS * 24 * 60 * 60_000);
  let total = 0;
  for (;;) {
    const oldest = db
      .select({ id: providerNotifications.id })
      .from(providerNotifications)
      .where(and(isRefused, lt(providerNotifications.createdAt, before)))
      .limit(batch);
    const gone = await db.delete(providerNotifications).where(sql`${providerNotifications.id} in (${oldest})`).returning({ id: providerNotifications.id });
    total += gone.length;
    if (gone.length < batch) return total;
  }
}
