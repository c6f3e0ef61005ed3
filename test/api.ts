import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import type { Database } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { signedHeaders } from "@/lib/api/auth";
import type { ApiKeyRole } from "@/lib/auth/roles";
import { createApiKey } from "@/lib/api-keys/keys";
import type { RouteHandler } from "@/lib/api/operation";
import type { Actor } from "@/lib/auth/roles";
import { useTestDb } from "./db";

/**
 * A fresh test database that the route handlers use as the app's own (they
 * call getDb(), which reads this slot), so tests call the exported GET/POST
 * functions with real Requests exactly as Next does.
 */
export function useApiTestDb() {
  const t = useTestDb();
  const slot = globalThis as unknown as { __settleDb?: { handle?: Promise<unknown> } };
  let previous: typeof slot.__settleDb;
  beforeAll(() => {
    previous = slot.__settleDb;
    slot.__settleDb = { handle: Promise.resolve(t.handle()) };
  });
  afterAll(() => {
    slot.__settleDb = previous;
  });
  return t;
}

export interface Credentials {
  clientId: string;
  secret: string;
  keyId: string;
}

export async function makeApiKey(db: Database, actor: Actor, name = "Test key", role?: ApiKeyRole): Promise<Credentials> {
  const { key, secret } = await createApiKey(db, actor, { name, role });
  return { clientId: key.clientId, secret, keyId: key.id };
}

export const ORIGIN = "http://127.0.0.1:3999";

export interface CallOptions {
  body?: unknown;
  /** Sent as is (no JSON.stringify): for malformed bodies. */
  raw?: string;
  headers?: Record<string, string>;
  /** How to authenticate: signed (default), bearer, or not at all. */
  auth?: "signed" | "bearer" | "none";
  now?: Date;
}

/** The params Next would pass: `/invoices/{id}/void` against `/invoices/inv_1/void` → `{ id: "inv_1" }`. */
function paramsOf(pattern: string, path: string): Record<string, string> {
  const names: string[] = [];
  const re = new RegExp(`^${pattern.replace(/\{(\w+)\}/g, (_m, n: string) => (names.push(n), "([^/]+)"))}$`);
  const m = re.exec(path.split("?")[0]!);
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m?.[i + 1] ?? "")]));
}

const signedAt = new Map<string, number>();

/**
 * The time to sign a call at: `now`, unless this client already signed the
 * same write in that second, then the next second free, as a real client
 * would re-sign a request it sends again (the API refuses a signed write it
 * has already seen: lib/api/auth.ts). Reads may repeat a signature.
 */
function freshSecond(creds: Credentials, method: string, pathWithQuery: string, raw: string, now = new Date()): Date {
  if (method === "GET") return now;
  const request = `${creds.clientId}\n${method}\n${pathWithQuery}\n${raw}`;
  const second = Math.max(Math.floor(now.getTime() / 1000), (signedAt.get(request) ?? -Infinity) + 1);
  signedAt.set(request, second);
  return new Date(second * 1000);
}

/** Calls a route handler as Next would, signed with the key unless told otherwise. */
export async function call(handler: RouteHandler, path: string, creds: Credentials | null, opts: CallOptions = {}) {
  const op = handler.operation;
  const raw = opts.raw ?? (opts.body === undefined ? "" : JSON.stringify(opts.body));
  const pathWithQuery = `/api/v1${path}`;
  const headers: Record<string, string> = { ...(raw ? { "content-type": "application/json" } : {}) };
  if (creds && opts.auth !== "none") {
    if (opts.auth === "bearer") headers.authorization = `Bearer ${creds.secret}`;
    else Object.assign(headers, signedHeaders(creds, { method: op.method, pathWithQuery, body: raw }, freshSecond(creds, op.method, pathWithQuery, raw, opts.now)));
  }
  Object.assign(headers, opts.headers);
  const request = new Request(`${ORIGIN}${pathWithQuery}`, { method: op.method, headers, body: raw || undefined });
  const response = await handler(request, { params: Promise.resolve(paramsOf(op.path, path)) });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/**
 * Everything the database holds, as one hash per table; aside: api_keys (its
 * last_used_at moves on every call), api_rate_windows (every call counts) and
 * api_seen_signatures (every signed write is remembered, refused or not).
 */
export async function databaseSnapshot(db: Database): Promise<Record<string, string>> {
  const tables = rowsOf(
    await db.execute(sql`select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('api_keys', 'api_rate_windows', 'api_seen_signatures', '__drizzle_migrations') order by 1`),
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables as { table_name: string }[]) {
    const [row] = rowsOf(await db.execute(sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from "${table_name}" t`)));
    out[table_name] = String(row!.h);
  }
  return out;
}
