import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { type Database, type DbHandle, openDb } from "@/db/client";
import { dropDatabaseWhenIdle } from "./pg-admin";

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
      await dropDatabaseWhenIdle(admin, name);
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
