import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { rowsOf } from "@/db/rows";

/** Clocks of the app and the database may differ a little; a step's own timestamps fall in its window widened by this. */
const SKEW_MS = 2_000;

type TimestampColumns = { table: string; columns: string[]; hasCreatedAt: boolean }[];
const columnsCache = new WeakMap<Database, Promise<TimestampColumns>>();

/** Every timestamptz column of every table that belongs to a merchant (has merchant_id), read from the catalog. */
function timestampColumns(db: Database): Promise<TimestampColumns> {
  let cached = columnsCache.get(db);
  if (!cached) {
    cached = db
      .execute(sql`
        select c.table_name as table, array_agg(c.column_name::text order by c.column_name) as columns
        from information_schema.columns c
        where c.table_schema = current_schema() and c.data_type = 'timestamp with time zone'
          and exists (select 1 from information_schema.columns m
                      where m.table_schema = c.table_schema and m.table_name = c.table_name and m.column_name = 'merchant_id')
        group by c.table_name`)
      .then((r) =>
        rowsOf(r).map((row) => {
          const columns = row.columns as string[];
          return { table: row.table as string, columns, hasCreatedAt: columns.includes("created_at") };
        }),
      );
    columnsCache.set(db, cached);
  }
  return cached;
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected identifier ${name}`);
  return `"${name}"`;
};
const literal = (value: string) => {
  if (!/^[\w.:+ -]+$/.test(value)) throw new Error(`unexpected literal ${value}`);
  return `'${value}'`;
};

/**
 * Runs `write` (any domain functions) and then moves every timestamp it wrote
 * for this merchant to `at`, keeping their order and spacing: the rows it
 * created move whole (an expiry 30 minutes after creation stays 30 minutes
 * after), and older rows it touched (a void, a payment turned succeeded) move
 * only the columns it wrote. How the demo seed writes a month of history
 * through the real code paths; steps must run oldest first, each `at` in the past.
 * Rollups keyed by day are not moved: rebuild them afterwards.
 */
export async function backdated<T>(db: Database, { merchantId, at }: { merchantId: string; at: Date }, write: () => Promise<T>): Promise<T> {
  const tables = await timestampColumns(db);
  const [{ mark }] = rowsOf(await db.execute(sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as mark`)) as [{ mark: number }];
  const result = await write();
  const start = new Date(Number(mark) - SKEW_MS).toISOString();
  const shift = `${Math.round(at.getTime() - Number(mark))} milliseconds`;
  const m = literal(merchantId);
  const inWindow = (col: string) => `${ident(col)} between ${literal(start)} and clock_timestamp() + interval '${SKEW_MS} milliseconds'`;
  const moves = (cols: string[]) => cols.map((c) => `${ident(c)} = ${ident(c)} + interval ${literal(shift)}`).join(", ");
  const statements: string[] = [];
  for (const t of tables) {
    if (t.hasCreatedAt) statements.push(`update ${ident(t.table)} set ${moves(t.columns)} where merchant_id = ${m} and ${inWindow("created_at")};`);
    // What is left in the window after the move above was written to an older row.
    for (const c of t.columns) statements.push(`update ${ident(t.table)} set ${moves([c])} where merchant_id = ${m} and ${inWindow(c)};`);
  }
  // One round trip: every statement of a step in one anonymous block.
  await db.execute(sql.raw(`do $$ begin ${statements.join(" ")} end $$`));
  return result;
}
