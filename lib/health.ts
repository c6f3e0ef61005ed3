import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { rowsOf } from "@/db/rows";
import journal from "@/db/migrations/meta/_journal.json";
import { log } from "@/lib/log/logger";

/** A migration this build ships: drizzle records `when` as the applied row's created_at. */
export interface JournalEntry {
  tag: string;
  when: number;
}

export interface HealthReport {
  status: "ok" | "unavailable";
  /** Why the status is not ok, in words an operator can act on; empty when ok. */
  reasons: string[];
  checkedAt: string;
  database: { reachable: boolean; latencyMs: number | null };
  migrations: { current: boolean; applied: number; expected: number; pending: string[] } | null;
  webhooks: { due: number; oldestDueSeconds: number; maxLagSeconds: number } | null;
}

export interface HealthOptions {
  maxLagSeconds: number;
  now?: Date;
  timeoutMs?: number;
  /** The migrations this build expects; the journal in db/migrations by default. */
  expected?: JournalEntry[];
}

/** Counting stops here: the figure is for a dashboard, not an audit, and must stay cheap at any backlog. */
const DUE_COUNT_CAP = 10_000;

/** Applied migrations' timestamps; none when the database was never migrated. */
async function appliedMigrations(db: Database): Promise<number[]> {
  try {
    const rows = rowsOf(await db.execute(sql`select created_at from drizzle.__drizzle_migrations`), z.object({ created_at: z.coerce.number() }));
    return rows.map((r) => r.created_at);
  } catch (err) {
    if ((err as { code?: string }).code === "42P01" || (err as { cause?: { code?: string } }).cause?.code === "42P01") return [];
    throw err;
  }
}

/**
 * What `GET /api/health` reports. Pending follows drizzle's own rule: a
 * migration newer than the last one applied is what `migrate` would run.
 */
export function pendingMigrations(expected: JournalEntry[], applied: number[]): string[] {
  const last = applied.length ? Math.max(...applied) : Number.NEGATIVE_INFINITY;
  return expected.filter((m) => m.when > last).map((m) => m.tag);
}

async function webhookLag(db: Database, now: Date): Promise<{ due: number; oldestDueSeconds: number }> {
  const at = now.toISOString();
  const [row] = rowsOf(
    await db.execute(sql`
      select count(*)::int as due, coalesce(extract(epoch from (${at}::timestamptz - min(next_attempt_at))), 0)::float8 as lag
      from (select next_attempt_at from webhook_deliveries where next_attempt_at <= ${at}::timestamptz order by next_attempt_at limit ${DUE_COUNT_CAP}) d`),
    z.object({ due: z.coerce.number(), lag: z.coerce.number() }),
  );
  return { due: row?.due ?? 0, oldestDueSeconds: Math.max(0, Math.floor(row?.lag ?? 0)) };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Is this instance fit to serve? The database answers, its schema is what
 * this build expects, and webhooks are not falling behind (the oldest due
 * delivery has waited at most `maxLagSeconds`). Public: figures and reasons,
 * never a host, a driver message or a secret (those go to the log).
 */
export async function checkHealth(getDb: () => Promise<Database>, opts: HealthOptions): Promise<HealthReport> {
  const now = opts.now ?? new Date();
  const expected = opts.expected ?? (journal.entries as JournalEntry[]);
  const report: HealthReport = {
    status: "ok",
    reasons: [],
    checkedAt: now.toISOString(),
    database: { reachable: false, latencyMs: null },
    migrations: null,
    webhooks: null,
  };
  try {
    await withTimeout(
      (async () => {
        const db = await getDb();
        const started = performance.now();
        await db.execute(sql`select 1`);
        report.database = { reachable: true, latencyMs: Math.round(performance.now() - started) };
        const [applied, lag] = await Promise.all([appliedMigrations(db), webhookLag(db, now)]);
        const pending = pendingMigrations(expected, applied);
        report.migrations = { current: pending.length === 0, applied: applied.length, expected: expected.length, pending };
        report.webhooks = { ...lag, maxLagSeconds: opts.maxLagSeconds };
      })(),
      opts.timeoutMs ?? 5_000,
    );
  } catch (err) {
    log.error({ err }, "health: database check failed");
    report.reasons.push(report.database.reachable ? "database query failed" : "database unreachable");
  }
  if (report.migrations && !report.migrations.current) {
    report.reasons.push(`migrations pending: ${report.migrations.pending.join(", ")} (run npm run db:migrate)`);
  }
  if (report.webhooks && report.webhooks.oldestDueSeconds > opts.maxLagSeconds) {
    report.reasons.push(`webhook dispatch lagging: oldest due delivery waiting ${report.webhooks.oldestDueSeconds}s (limit ${opts.maxLagSeconds}s)`);
  }
  if (report.reasons.length) {
    report.status = "unavailable";
    log.warn({ reasons: report.reasons }, "health: unavailable");
  }
  return report;
}
