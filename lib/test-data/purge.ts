import { and, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { merchants, testDataDeletions } from "@/db/schema";
import { transaction } from "@/db/transaction";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log/logger";

/** Rows per statement: each batch is its own short transaction, so no lock is held for long. */
export const PURGE_BATCH = 500;
/** A run renews its lease with every batch; one that stops renewing (a crash) is picked up after this. */
const LEASE_SECONDS = 60;
/** Rounds over every table before giving up on a space that keeps getting new test data. */
const MAX_ROUNDS = 10;

/**
 * What "all test data" is, in foreign-key order (a row before what it
 * references). Attempts go with their delivery and invoice lines with their
 * invoice (ON DELETE CASCADE). Configuration stays: payment services (the
 * sandbox), webhook endpoints and settings, API keys, the team, the audit log
 * and these deletion records.
 *
 * `keep`: rows another table still references with no cascade (a link or an
 * invoice that test data made while this ran points at); they wait for the
 * next round, so a batch never fails on a foreign key.
 */
const steps: { table: string; keep?: SQL }[] = [
  { table: "webhook_deliveries" },
  { table: "webhook_retry_jobs" },
  { table: "events" },
  { table: "provider_notifications" },
  { table: "provider_sessions" },
  { table: "api_payment_requests" },
  { table: "api_idempotency_keys" },
  { table: "refunds" },
  { table: "payments", keep: sql`exists (select 1 from refunds r where r.payment_id = t.id)` },
  { table: "payment_links", keep: sql`exists (select 1 from provider_notifications n where n.payment_link_id = t.id)` },
  {
    table: "invoices",
    keep: sql`(exists (select 1 from events e where e.invoice_id = t.id)
      or exists (select 1 from payments p where p.invoice_id = t.id)
      or exists (select 1 from refunds r where r.invoice_id = t.id)
      or exists (select 1 from payment_links l where l.invoice_id = t.id)
      or exists (select 1 from provider_notifications n where n.invoice_id = t.id))`,
  },
  { table: "dashboard_daily" },
  { table: "dashboard_outstanding" },
];

/** The tables a deletion empties, for its tests and for counting. */
export const purgedTables = steps.map((s) => s.table);

const counted = z.object({ n: z.coerce.number() });

/** How many rows "delete all test data" would delete in a space now. */
export async function countTestData(db: Database, spaceId: string): Promise<number> {
  const parts = steps.map((s) => sql`(select count(*) from ${sql.identifier(s.table)} where merchant_id = ${spaceId})`);
  const [row] = rowsOf(await db.execute(sql`select ${sql.join(parts, sql` + `)} as n`), counted);
  return row!.n;
}

class LeaseLost extends Error {}

/** One batch of one table, in the deletion's own space only; the job's progress moves in the same transaction. */
async function deleteBatch(db: Database, job: { id: string; spaceId: string; lease: string }, step: (typeof steps)[number], size: number) {
  return transaction(db, async (tx) => {
    const table = sql.identifier(step.table);
    const gone = rowsOf(
      await tx.execute(sql`delete from ${table} where merchant_id = ${job.spaceId} and ctid = any(array(
        select t.ctid from ${table} t where t.merchant_id = ${job.spaceId} ${step.keep ? sql`and not ${step.keep}` : sql``} limit ${size}
      )) returning 1`),
    ).length;
    const [kept] = await tx
      .update(testDataDeletions)
      .set({ deleted: sql`${testDataDeletions.deleted} + ${gone}`, step: step.table, lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
      .where(and(eq(testDataDeletions.id, job.id), eq(testDataDeletions.leaseId, job.lease), eq(testDataDeletions.status, "running")))
      .returning({ id: testDataDeletions.id });
    if (!kept) throw new LeaseLost();
    return gone;
  });
}

/**
 * The last step, once a round found nothing more: with the space's counter
 * row locked (invoice create and every invoice change take it), nothing is
 * left, so the invoice numbers start again at 1 and the tab counts are 0;
 * false when test data arrived meanwhile (another round deletes it).
 */
async function finish(db: Database, job: { id: string; spaceId: string; lease: string }): Promise<boolean> {
  return transaction(db, async (tx) => {
    await tx.execute(sql`select 1 from merchant_counters where merchant_id = ${job.spaceId} for update`);
    const left = steps.map((s) => sql`exists (select 1 from ${sql.identifier(s.table)} where merchant_id = ${job.spaceId})`);
    const [row] = rowsOf(await tx.execute(sql`select (${sql.join(left, sql` or `)}) as any`), z.object({ any: z.boolean() }));
    if (row!.any) return false;
    await tx.execute(sql`update merchant_counters
      set invoice_seq = 0, unpaid_count = 0, partial_count = 0, paid_count = 0, extra_count = 0, void_count = 0
      where merchant_id = ${job.spaceId}`);
    const [done] = await tx
      .update(testDataDeletions)
      // Rows that arrived while it ran were deleted too: the final count is what was deleted.
      .set({ status: "finished", total: sql`${testDataDeletions.deleted}`, step: null, leaseId: null, lockedUntil: null, finishedAt: sql`now()` })
      .where(and(eq(testDataDeletions.id, job.id), eq(testDataDeletions.leaseId, job.lease), eq(testDataDeletions.status, "running")))
      .returning({ id: testDataDeletions.id });
    if (!done) throw new LeaseLost();
    return true;
  });
}

/**
 * Takes the job's lease when nobody holds it. Only a test space's job is
 * taken: whatever wrote the row, a live space is never emptied.
 */
async function claim(db: Database, jobId: string, lease: string) {
  const [job] = await db
    .update(testDataDeletions)
    .set({ leaseId: lease, lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
    .where(
      and(
        eq(testDataDeletions.id, jobId),
        eq(testDataDeletions.status, "running"),
        or(isNull(testDataDeletions.lockedUntil), lt(testDataDeletions.lockedUntil, sql`now()`)),
        sql`exists (select 1 from ${merchants} m where m.id = ${testDataDeletions.merchantId} and not m.livemode and m.live_merchant_id is not null)`,
      ),
    )
    .returning({ id: testDataDeletions.id, spaceId: testDataDeletions.merchantId });
  return job ? { ...job, lease } : null;
}

async function fail(db: Database, job: { id: string; lease: string }, error: string) {
  await db
    .update(testDataDeletions)
    .set({ status: "failed", error, step: null, leaseId: null, lockedUntil: null, finishedAt: sql`now()` })
    .where(and(eq(testDataDeletions.id, job.id), eq(testDataDeletions.leaseId, job.lease), eq(testDataDeletions.status, "running")));
}

const isForeignKeyViolation = (err: unknown): boolean =>
  typeof err === "object" && err !== null && ((err as { code?: unknown }).code === "23503" || isForeignKeyViolation((err as { cause?: unknown }).cause));

/** Lets the next sweep take the job at once. */
async function release(db: Database, job: { id: string; lease: string }) {
  await db
    .update(testDataDeletions)
    .set({ leaseId: null, lockedUntil: null })
    .where(and(eq(testDataDeletions.id, job.id), eq(testDataDeletions.leaseId, job.lease), eq(testDataDeletions.status, "running")));
}

export type PurgeOutcome = "finished" | "failed" | "busy" | "paused";

/**
 * Runs a deletion to its end: table by table, `batchSize` rows a statement,
 * the progress moving with each batch. "busy" when another run holds the job
 * (or it is not running); that run, or the sweep after its lease ends, finishes it.
 * "paused" when `until` (a time in ms) came first: the next sweep goes on from there.
 */
export async function runTestDataDeletion(
  db: Database,
  jobId: string,
  { batchSize = PURGE_BATCH, until = Infinity }: { batchSize?: number; until?: number } = {},
): Promise<PurgeOutcome> {
  const job = await claim(db, jobId, newId("lease"));
  if (!job) return "busy";
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      for (const step of steps) {
        for (;;) {
          if (Date.now() > until) {
            await release(db, job);
            return "paused";
          }
          let gone: number;
          try {
            gone = await deleteBatch(db, job, step, batchSize);
          } catch (err) {
            // A row made while this ran still points here: the next round takes it.
            if (isForeignKeyViolation(err)) break;
            throw err;
          }
          if (gone < batchSize) break;
        }
      }
      if (await finish(db, job)) return "finished";
    }
    await fail(db, job, "New test data kept arriving while it was being deleted. Stop what creates it and delete again.");
    return "failed";
  } catch (err) {
    if (err instanceof LeaseLost) return "busy";
    log.error({ err, jobId }, "test data: deletion failed");
    await fail(db, job, "The deletion stopped on an error. What was deleted stays deleted; delete again to finish.").catch((e: unknown) =>
      log.error({ err: e, jobId }, "test data: could not mark the deletion failed"),
    );
    return "failed";
  }
}

/**
 * Picks up deletions nobody is running (the process that ran one stopped, or
 * a serverless host froze it after the response): the server's sweep loop
 * and the cron route (with a time budget, `until`) call this. Answers how
 * many it ran, to their end or until the budget.
 */
export async function resumeTestDataDeletions(db: Database, { until = Infinity }: { until?: number } = {}): Promise<number> {
  const stale = await db
    .select({ id: testDataDeletions.id })
    .from(testDataDeletions)
    .where(and(eq(testDataDeletions.status, "running"), or(isNull(testDataDeletions.lockedUntil), lt(testDataDeletions.lockedUntil, sql`now()`))))
    .limit(10);
  let ran = 0;
  for (const { id } of stale) {
    if (Date.now() > until) break;
    if ((await runTestDataDeletion(db, id, { until })) !== "busy") ran++;
  }
  return ran;
}
