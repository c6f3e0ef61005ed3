import type { z } from "zod";

export type Row = Record<string, unknown>;

/**
 * The rows of a raw statement (`db.execute(sql…)`): every driver (pg, PGlite,
 * Neon) answers with `{ rows }`. With `row`, each is checked against it, so a
 * renamed column fails here, loudly, and not as an `undefined` further on
 * (coerce numbers in the schema: drivers return bigint and numeric as
 * strings). Without, a row is a bag of unknowns that code must check before
 * use; production code passes a schema, never a cast.
 */
export function rowsOf<S extends z.ZodType>(result: unknown, row: S): z.output<S>[];
export function rowsOf(result: unknown): Row[];
export function rowsOf(result: unknown, row?: z.ZodType): unknown[] {
  const rows = (result as { rows: Row[] }).rows;
  return row ? rows.map((r) => row.parse(r)) : rows;
}
