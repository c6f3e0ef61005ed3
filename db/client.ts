import { mkdirSync } from "node:fs";
import path from "node:path";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { dataDir, databaseEnv } from "./env";
import * as schema from "./schema";

export type Schema = typeof schema;
/** A database or a transaction: every query function takes one of these first. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Driver = "pglite" | "pg" | "neon";

export interface DbHandle {
  db: Database;
  driver: Driver;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  url?: string;
  driver?: Driver;
  /** PGlite only: a folder to keep data in; `memory://` for a throwaway database. */
  pgliteDir?: string;
  /** Neon only: a local WebSocket-to-TCP proxy (test harness); defaults to NEON_WS_PROXY. */
  neonWsProxy?: string;
  /** pg only: the pool's size; defaults to DATABASE_POOL_MAX, else 10. Tests that race widen it. */
  poolMax?: number;
}

type ConnectionLost = (err: Error) => void;
const reporter = globalThis as unknown as { __settleDbConnectionLost?: ConnectionLost };

/**
 * Where a pool reports an idle connection that died (a Postgres restart, a
 * dropped database); the console until the server points it at its logger
 * (lib/server-start.ts). Kept on globalThis, like the handle, for every Next
 * module graph; read when it happens, so a pool opened first still uses it.
 */
export function onConnectionLost(report: ConnectionLost): void {
  reporter.__settleDbConnectionLost = report;
}

const connectionLost = (err: Error) =>
  (reporter.__settleDbConnectionLost ?? ((e: Error) => console.warn("postgres: idle connection lost", e)))(err);

const migrationsFolder = path.join(process.cwd(), "db/migrations");
// Any fixed number: serialises migrations when several instances start at once.
const MIGRATION_LOCK = 727_274_001;

export function driverFor(url: string | undefined): Driver {
  if (!url) return "pglite";
  const host = new URL(url).hostname;
  return host.endsWith(".neon.tech") || host.endsWith(".neon.build") ? "neon" : "pg";
}

export async function openDb(opts: OpenOptions = {}): Promise<DbHandle> {
  const driver = opts.driver ?? driverFor(opts.url);
  if (driver === "pglite") return openPglite(opts.pgliteDir ?? path.join(dataDir(), "pglite"));
  if (!opts.url) throw new Error(`DATABASE_URL is required for the ${driver} driver`);
  return driver === "neon" ? openNeon(opts.url, opts.neonWsProxy ?? databaseEnv().NEON_WS_PROXY) : openPg(opts.url, opts.poolMax);
}

async function openPglite(dir: string): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzle(client, { schema });
  return {
    db: db as unknown as Database,
    driver: "pglite",
    migrate: () => migrate(db, { migrationsFolder }),
    close: () => client.close(),
  };
}

async function openPg(url: string, poolMax = Number(process.env.DATABASE_POOL_MAX ?? 10)): Promise<DbHandle> {
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  // pipeline: statements started together on one connection (db/transaction.ts's sendAll)
  // go out in one write and are answered in order, instead of one round trip each.
  const pool = new Pool({ connectionString: url, max: poolMax, pipeline: true });
  // An idle connection that dies (a Postgres restart, a dropped database) is
  // re-emitted on the pool; unheard, that 'error' would crash the process.
  pool.on("error", connectionLost);
  const db = drizzle(pool, { schema });
  return {
    db: db as unknown as Database,
    driver: "pg",
    async migrate() {
      const client = await pool.connect();
      await withMigrationLock(client, () => migrate(drizzle(client, { schema }), { migrationsFolder }));
    },
    close: () => pool.end(),
  };
}

async function openNeon(url: string, proxy: string | undefined): Promise<DbHandle> {
  const { Pool, neonConfig } = await import("@neondatabase/serverless");
  const { drizzle } = await import("drizzle-orm/neon-serverless");
  const { migrate } = await import("drizzle-orm/neon-serverless/migrator");
  const { default: ws } = await import("ws");
  neonConfig.webSocketConstructor = ws;
  if (proxy) {
    // Test harness: a plain WebSocket-to-TCP proxy in front of local Postgres.
    neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({ connectionString: url });
  pool.on("error", connectionLost);
  const db = drizzle(pool, { schema });
  return {
    db: db as unknown as Database,
    driver: "neon",
    async migrate() {
      const client = await pool.connect();
      await withMigrationLock(client, () => migrate(drizzle(client, { schema }), { migrationsFolder }));
    },
    close: () => pool.end(),
  };
}

interface LockClient {
  query(text: string, values: unknown[]): Promise<unknown>;
  release(): void;
}

/** One connection holds a session advisory lock while it migrates. */
async function withMigrationLock(client: LockClient, run: () => Promise<void>): Promise<void> {
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await run();
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

type Cache = { handle?: Promise<DbHandle> };
const cache = globalThis as unknown as { __settleDb?: Cache };

/**
 * The app's one database handle, cached on globalThis so that dev hot reloads
 * and Next's separate module graphs (instrumentation, routes) share it; PGlite
 * in particular must be opened once per process.
 */
export function appDb(): Promise<DbHandle> {
  const c = (cache.__settleDb ??= {});
  c.handle ??= openDb({ url: databaseEnv().DATABASE_URL, driver: databaseEnv().DATABASE_DRIVER });
  return c.handle;
}

export async function getDb(): Promise<Database> {
  return (await appDb()).db;
}
