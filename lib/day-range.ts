import { gte, lt, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

const DAY_MS = 86_400_000;

/**
 * A list's date filter as conditions: `column` on or after the UTC day `from`
 * and on or before the UTC day `to` (YYYY-MM-DD; both included, so `to` runs
 * until the next midnight).
 */
export function withinDays(column: PgColumn, { from, to }: { from?: string; to?: string }): SQL[] {
  const conds: SQL[] = [];
  if (from) conds.push(gte(column, new Date(`${from}T00:00:00Z`)));
  if (to) conds.push(lt(column, new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS)));
  return conds;
}
