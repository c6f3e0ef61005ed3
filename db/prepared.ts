import { type Placeholder, sql } from "drizzle-orm";
import type { Database } from "./client";

/**
 * Something made once per database handle and kept for its life: prepared
 * statements above all. A statement run on every request is built once, so
 * drizzle makes its SQL once and Postgres parses and plans it once per
 * connection; the request only binds its values. `build` gets the handle it
 * is for (a prepared statement runs on the handle it was made on, so only
 * ever pass a pool's handle, never a transaction's).
 */
export function perDatabase<T>(build: (db: Database) => T): (db: Database) => T {
  const made = new WeakMap<Database, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) made.set(db, (value = build(db)));
    return value;
  };
}

/** `{ a: sql.placeholder("a"), … }`: the values of a prepared insert, bound at each run. */
export const placeholders = <K extends string>(...names: K[]) =>
  Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as { [N in K]: Placeholder<N> };
