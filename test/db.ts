import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { type Database, type DbHandle, openDb } from "@/db/client";

export interface TestDb extends DbHandle {
  /** Set on server Postgres: a URL other processes (dispatchers, servers) can open. */
  url?: string;
}

export const onServerPostgres = () => !!process.env.DATABASE_URL;

/** A fresh, migrated database: PGlite in memory, or a new database on server Postgres. */
export async function createTestDb(): Promise<TestDb> {
  const base = process.env.DATABASE_URL;
  const template = inject("templateDb");
  if (!base || !template) {
    const handle = await openDb({ driver: "pglite", pgliteDir: "memory://" });
    await handle.migrate();
    return handle;
  }
  const name = `settle_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString(), driver: "pg" });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      // pg's pool.end() resolves before its sockets have closed; dropping with force before then
      // kills those backends and the client gets an unhandled 57P01. Wait for them (briefly) first.
      for (let i = 0; i < 50; i++) {
        const { rows } = await admin.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** One fresh database for the test file; `db()` is valid inside tests. */
export function useTestDb(): { db: () => Database; handle: () => TestDb } {
  let handle: TestDb | undefined;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });
  return {
    db: () => {
      if (!handle) throw new Error("test database not ready");
      return handle.db;
    },
    handle: () => handle!,
  };
}
