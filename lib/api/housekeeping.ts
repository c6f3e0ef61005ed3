import type { Database } from "@/db/client";
import { log } from "@/lib/log/logger";
import { deleteExpiredIdempotencyKeys } from "./idempotency";
import { deleteOldRateWindows } from "./rate-limit";

/** Forgets the API's short-lived rows: idempotency keys past their 24 hours, rate-limit windows over a minute old. */
export async function sweepApiTables(db: Database, now = new Date()): Promise<void> {
  await deleteExpiredIdempotencyKeys(db, now);
  await deleteOldRateWindows(db, now);
}

let sweeper: ReturnType<typeof setInterval> | undefined;

/** For a long-running server: sweeps every hour (the cron route does it on serverless hosts). */
export function startApiSweeper(db: () => Promise<Database>, everyMs = 60 * 60 * 1000): void {
  if (sweeper) return;
  sweeper = setInterval(() => {
    void db()
      .then((d) => sweepApiTables(d))
      .catch((err: unknown) => log.error({ err }, "API housekeeping sweep failed"));
  }, everyMs);
  sweeper.unref?.();
}
