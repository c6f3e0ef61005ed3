import { and, eq } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "@/db/client";
import { AppError } from "./errors";

/** A table every list pages through by (created_at, id), newest first. */
type Paged = PgTable & { id: PgColumn; merchantId: PgColumn; createdAt: PgColumn };

/** Where a keyset page starts: after this row. */
export interface Keyset {
  createdAt: string;
  id: string;
}

/**
 * The keyset of `startingAfter` (the last id of the previous page), read in
 * the merchant's scope: an id of nothing (or of another merchant's row) is a
 * field error on `starting_after`, saying which kind of object it should be.
 */
export async function keysetAfter(
  db: Database,
  table: Paged,
  { merchantId, startingAfter, what }: { merchantId: string; startingAfter: string | undefined; what: string },
): Promise<Keyset | undefined> {
  if (!startingAfter) return undefined;
  const [row] = await db
    .select({ createdAt: table.createdAt })
    .from(table as PgTable)
    .where(and(eq(table.merchantId, merchantId), eq(table.id, startingAfter)));
  if (!row) throw new AppError("validation_failed", "Some query parameters need attention.", { starting_after: [`No ${what} has this id.`] });
  return { createdAt: (row.createdAt as Date).toISOString(), id: startingAfter };
}
