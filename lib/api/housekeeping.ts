import type { Database } from "@/db/client";
import { deleteExpiredIdempotencyKeys } from "./idempotency";
import { deleteExpiredSignatures, deleteOldRateWindows } from "./rate-limit";

/** Forgets the API's short-lived rows: idempotency keys past their 24 hours, rate-limit windows over a minute old, signatures that could no longer be valid. */
export async function sweepApiTables(db: Database, now = new Date()): Promise<void> {
  await deleteExpiredIdempotencyKeys(db, now);
  await deleteOldRateWindows(db, now);
  await deleteExpiredSignatures(db, now);
}
