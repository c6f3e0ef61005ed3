import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { testDataDeletions } from "@/db/schema";
import { afterCommit } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { testSpaceOf } from "@/lib/merchants";
import { countTestData } from "./purge";

/**
 * Who runs a deletion once it is committed: the server sets this at start
 * (lib/server-start.ts). Kept on globalThis for the same reason as the webhook
 * poke (lib/webhooks/poke.ts): Next loads instrumentation and routes as
 * separate module graphs. With none set (tests, scripts) the job waits for
 * the sweep or the cron (`resumeTestDataDeletions`).
 */
const slot = globalThis as unknown as { __settleTestDataDeletion?: (jobId: string) => void };

export function setTestDataDeletionRunner(run: ((jobId: string) => void) | undefined): void {
  slot.__settleTestDataDeletion = run;
}

/**
 * "Delete all test data": records the job and hands it to the background run
 * (lib/test-data/purge.ts) after COMMIT. Always the account's test space,
 * whichever mode the owner works in: live data is never a target.
 */
export const deleteTestData = defineCommand({
  name: "test_data.delete",
  permission: "test_data.delete",
  input: z.object({}),
  async run({ tx, actor, accountId }) {
    const spaceId = await testSpaceOf(tx, accountId);
    const total = await countTestData(tx, spaceId);
    const [job] = await tx
      .insert(testDataDeletions)
      .values({ id: newId("tdd"), merchantId: spaceId, requestedBy: actor.userId, total })
      // The one-running-per-space index: a deletion already running is this request's answer.
      .onConflictDoNothing()
      .returning();
    if (!job) throw new AppError("conflict", "Test data is already being deleted. Wait for it to finish.");
    // Written to both logs: the live one is the account's lasting record of who
    // wiped its test data and when, whichever mode is being read later; the
    // test one sits beside the emptied space, so the emptiness is explained
    // where it shows.
    for (const merchantId of [accountId, spaceId]) {
      await writeAudit(tx, {
        merchantId,
        actorUserId: actor.userId,
        action: "test_data.deletion_started",
        targetType: "test_data_deletion",
        targetId: job.id,
        after: { testSpace: spaceId, rows: total },
      });
    }
    afterCommit(tx, () => slot.__settleTestDataDeletion?.(job.id));
    return job;
  },
});

/** The latest deletion of an account's test space, as its progress panel polls it; null when there has been none. */
export async function latestTestDataDeletion(db: Database, { accountId }: { accountId: string }) {
  const spaceId = await testSpaceOf(db, accountId);
  const [job] = await db
    .select()
    .from(testDataDeletions)
    .where(eq(testDataDeletions.merchantId, spaceId))
    .orderBy(desc(testDataDeletions.createdAt), desc(testDataDeletions.id))
    .limit(1);
  return job ? testDataDeletionJson(job) : null;
}

export function testDataDeletionJson(job: typeof testDataDeletions.$inferSelect) {
  return {
    id: job.id,
    status: job.status,
    total: job.total,
    deleted: job.deleted,
    step: job.step,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
export type TestDataDeletionProgress = NonNullable<Awaited<ReturnType<typeof latestTestDataDeletion>>>;
