import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { merchants, users } from "./accounts";

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const testDataDeletionStatusEnum = pgEnum("test_data_deletion_status", ["running", "finished", "failed"]);

/**
 * "Delete all test data": one row per request, in the test space it empties,
 * with the progress its panel polls. The deletion runs in the background in
 * batches (lib/test-data/purge.ts), holding a lease on the row like a
 * webhook dispatcher holds a delivery's, so a crashed run is picked up again.
 */
export const testDataDeletions = pgTable(
  "test_data_deletions",
  {
    id: text("id").primaryKey(),
    /** Always a test space (merchants.livemode = false). */
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    requestedBy: text("requested_by").references(() => users.id),
    status: testDataDeletionStatusEnum("status").notNull().default("running"),
    /** Rows counted when it was requested; set to `deleted` when it finishes (rows may arrive meanwhile). */
    total: integer("total").notNull(),
    deleted: integer("deleted").notNull().default(0),
    /** What it is deleting now (a table's name), while running. */
    step: text("step"),
    /** Why it failed, in words for the merchant; the cause is in the log. */
    error: text("error"),
    leaseId: text("lease_id"),
    lockedUntil: ts("locked_until"),
    createdAt: ts("created_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    // One deletion at a time per space: a second request is a conflict, not a second runner.
    uniqueIndex("test_data_deletions_one_running_key").on(t.merchantId).where(sql`${t.status} = 'running'`),
    index("test_data_deletions_merchant_idx").on(t.merchantId, t.createdAt),
  ],
);

export type TestDataDeletion = typeof testDataDeletions.$inferSelect;
