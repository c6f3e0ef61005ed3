import { getTableName, type SQL, sql, type SQLWrapper, type Table } from "drizzle-orm";
import type { Database } from "./client";

/**
 * Transactions whose nested parts join the outer one, and whose bookkeeping
 * writes go out together just before COMMIT.
 *
 * Why: a row lock (an invoice number's counter, a dashboard rollup) is held
 * from the statement that takes it until COMMIT. Every `await` in between is a
 * trip through the event loop, which under load waits behind every other
 * request's JavaScript. A create that awaited each of its dozen statements
 * held the merchant's counter for a dozen such turns, and concurrent creates
 * queued behind it. Here the writes nobody reads back in the transaction
 * (events, deliveries, audit entries, rollups, a stored API response) are
 * queued with `queueWrite` and sent back to back, in order, on the
 * transaction's one connection, with the COMMIT right behind them: one round
 * trip for all of it. Neighbouring queued writes
 * are folded into one statement (data-modifying WITH clauses) wherever that
 * cannot change what they do: each statement costs a parse, a plan and an
 * execution in Postgres, and building, sending and reading in Node.
 */
type Write = () => PromiseLike<unknown>;
type Hook = () => void;

/** A drizzle insert or update, built and not yet run. */
type Statement = SQLWrapper & PromiseLike<unknown>;

export interface Queued {
  /** The one table the statement writes. */
  table: Table;
  statement: Statement;
  /** A plain insert (queueAppend). */
  append: boolean;
}

/** An open transaction's queued writes and what runs once it has committed. */
interface Open {
  writes: Queued[];
  afterCommit: Hook[];
}

/** The open transactions of this module; `null` once committed or rolled back. */
const queues = new WeakMap<Database, Open | null>();

/**
 * Runs `fn` in a transaction. Called with a transaction this module opened, it
 * joins it (no savepoint: an error anywhere rolls back the whole, which is
 * what every caller wants); otherwise it opens one, and sends the queued
 * writes just ahead of its COMMIT.
 */
export async function transaction<T>(db: Database, fn: (tx: Database) => Promise<T>): Promise<T> {
  if (queues.has(db)) {
    openOf(db); // a finished transaction cannot be joined
    return fn(db);
  }
  const hooks: Hook[] = [];
  let flushed: Promise<unknown> = Promise.resolve();
  // The one place a transaction is opened (eslint forbids `.transaction(` outside db/).
  const committed = db.transaction(async (tx) => {
    const open: Open = { writes: [], afterCommit: hooks };
    queues.set(tx, open);
    try {
      const out = await fn(tx);
      // Sent, not awaited: drizzle's COMMIT follows on the same connection at once, so the
      // writes and the COMMIT share one round trip (pg pipelines them; the other drivers queue).
      flushed = sendAll(foldWrites(tx, open.writes.splice(0)));
      flushed.catch(() => {}); // its error is thrown below, once the COMMIT has answered
      return out;
    } finally {
      queues.set(tx, null);
    }
  });
  // A failed write aborts the transaction, so its COMMIT rolls back (PGlite then throws a
  // generic error, Postgres answers ROLLBACK): nothing is kept, and that write's error is the answer.
  const result = await committed.catch(async (err: unknown) => {
    await flushed;
    throw err;
  });
  await flushed;
  for (const hook of hooks) hook();
  return result;
}

/** The state of an open transaction of this module; a finished one is a bug in the caller. */
function openOf(tx: Database): Open {
  const open = queues.get(tx);
  if (!open) throw new Error("This transaction has already ended: use it only inside its callback.");
  return open;
}

/**
 * Runs `hook` once the current transaction has committed (never after a
 * rollback), or now when `db` is not a transaction of this module. For what
 * must see the committed rows: waking the webhook dispatcher, scheduling a
 * delivery after the response. A hook must not throw.
 */
export function afterCommit(db: Database, hook: Hook): void {
  if (queues.has(db)) openOf(db).afterCommit.push(hook);
  else hook();
}

/**
 * A write for the end of the current transaction (in the order queued), or
 * now when `db` is not a transaction of this module. Only for writes nothing
 * in the same transaction reads back: `statement` is a drizzle upsert or
 * update of `table`, not yet awaited. For a plain insert, `queueAppend`.
 */
export async function queueWrite(db: Database, table: Table, statement: Statement): Promise<void> {
  if (queues.has(db)) openOf(db).writes.push({ table, statement, append: false });
  else await statement;
}

/**
 * `queueWrite` for a plain insert (no ON CONFLICT): it adds rows and locks
 * none that other transactions change, so it may share a statement with the
 * writes around it.
 */
export async function queueAppend(db: Database, table: Table, statement: Statement): Promise<void> {
  if (queues.has(db)) openOf(db).writes.push({ table, statement, append: true });
  else await statement;
}

/**
 * The queued writes as few statements as can do exactly what they would do
 * one by one, in order. Sub-statements of one WITH all see the same snapshot,
 * none sees another's rows, and Postgres runs them in an order of its own. So
 * a statement writes each table once at most (a second event, whose seq must
 * come after the first's, starts the next statement), and holds one change
 * (upsert or update) at most: changes take row locks that every transaction
 * of the merchant takes in one order (lib/invoices/apply-change.ts), and a
 * statement that took two could take them in the other. Foreign keys are
 * checked at the end of the statement, so a delivery may come in the same
 * statement as the event it names.
 */
export function foldWrites(tx: Database, writes: Queued[]): Write[] {
  const groups: Queued[][] = [];
  let group: Queued[] = [];
  let tables = new Set<string>();
  let changes = 0;
  for (const w of writes) {
    const name = getTableName(w.table);
    if (tables.has(name) || (!w.append && changes > 0)) {
      groups.push(group);
      group = [];
      tables = new Set();
      changes = 0;
    }
    group.push(w);
    tables.add(name);
    if (!w.append) changes += 1;
  }
  if (group.length) groups.push(group);
  return groups.map((g) => {
    if (g.length === 1) return () => g[0]!.statement;
    const last = g[g.length - 1]!;
    const ctes = g.slice(0, -1).map((w, i): SQL => sql`${sql.identifier(`w${i}`)} as (${w.statement.getSQL()})`);
    return () => tx.execute(sql`with ${sql.join(ctes, sql`, `)} ${last.statement.getSQL()}`);
  });
}

/**
 * Starts every statement at once and waits for all of them. On one connection
 * (a transaction) they run in the order given with no turn of the event loop
 * in between: pg (pipeline mode, db/client.ts) writes them all at once;
 * PGlite and Neon's Pool queue them and send each as the previous answers. Every
 * one settles before the first error is thrown, so a ROLLBACK is never sent
 * ahead of a statement still queued. Each write returns its statement unrun (a
 * drizzle query, or an async function that awaits one first): a promise chained
 * on a query with `.then` starts it at once, ahead of the writes before it.
 */
export async function sendAll<T extends readonly Write[]>(writes: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const settled = await Promise.allSettled(writes.map((w) => w()));
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}
