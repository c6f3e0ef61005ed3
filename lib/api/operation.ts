import { z } from "zod";
import { type Database, getDb } from "@/db/client";
import { transaction } from "@/db/transaction";
import { AppError, type FieldErrors } from "@/lib/errors";
import { loggedRoute } from "@/lib/log/route";
import { env, publicUrl } from "@/lib/env";
import { requireRole } from "@/lib/auth/roles";
import type { Command } from "@/lib/commands/command";
import { nulFields, refuseNulBytes } from "@/lib/nul-bytes";
import { fieldErrorsOf } from "@/lib/validation";
import { type ApiPrincipal, authenticate } from "./auth";
import { parseJsonBody, readBody } from "./body";
import { apiErrorBody } from "./errors";
import { beginIdempotent, checkIdempotencyKey, completeIdempotent, fingerprintOf, holdIdempotent, releaseIdempotent } from "./idempotency";
import { retryAfterSeconds } from "./rate-limit";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface OperationContext<P, Q, B> {
  db: Database;
  principal: ApiPrincipal;
  params: P;
  query: Q;
  body: B;
  /** The configured public URL (`publicUrl()`), for links back (checkout URLs): never the request's Host. */
  origin: string;
}

/** An endpoint of /api/v1: its shapes (which validate requests and make the OpenAPI document) and what it does. */
export interface Operation<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI style, under /api/v1: `/invoices/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The success response's shape: documented, and checked by the contract tests. */
  response: z.ZodType;
  status?: 200 | 201;
  /** Needs no API key (the document itself, the liveness check). */
  public?: true;
  /**
   * The command a changing operation runs (lib/commands): its permission is
   * checked before the body is read or an Idempotency-Key claimed, so a
   * refusal (403) stores nothing. Reads run none.
   */
  command?: Command;
  examples?: { request?: unknown; response?: unknown };
  /**
   * POSTs honour Idempotency-Key. `transaction`: the change and its stored
   * response commit together. `after`: the work talks to the outside world
   * (sends a webhook), so it runs first and its response is stored after.
   */
  idempotency?: "transaction" | "after";
  /** Domain field names the API spells differently (`serviceIds` → `payment_service_id`). */
  fieldRenames?: Record<string, string>;
  run(ctx: OperationContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

/** Identity, for type inference of `run`'s context from the schemas. */
export const defineOperation = <P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType>(
  op: Operation<P, Q, B>,
) => op;

/** An endpoint that takes no body accepts nothing but an empty one (or `{}`). */
export const noBody = z.object({}).strict();
const noQuery = z.object({}).strict();

/** Search params as an object: a name given several times becomes an array. */
export function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length > 1 ? all : all[0]!;
  }
  return out;
}

/** Every issue by field; an unknown field is named as one, not as a complaint about its parent. */
function apiFieldErrors(error: z.ZodError): FieldErrors {
  const known = new z.ZodError(error.issues.filter((i) => i.code !== "unrecognized_keys"));
  // A Map, then fromEntries: a field named `__proto__` (anyone can send one) stays a field like any other.
  const fields = new Map(Object.entries(fieldErrorsOf(known)));
  for (const issue of error.issues) {
    if (issue.code !== "unrecognized_keys") continue;
    for (const key of issue.keys) {
      const path = [...issue.path, key].join(".");
      fields.set(path, [...(fields.get(path) ?? []), "Unknown field: leave it out."]);
    }
  }
  return Object.fromEntries(fields);
}

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, message: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", message, apiFieldErrors(parsed.error));
  return parsed.data;
}

export const jsonResponse = (status: number, text: string, headers: Record<string, string> = {}) =>
  new Response(text, { status, headers: { "content-type": "application/json", "cache-control": "no-store", ...headers } });

/** Every 401 says how to authenticate: a bearer secret, or the signed headers (lib/api/guide.ts). */
export const WWW_AUTHENTICATE = 'Bearer realm="settle-api", SettleSignature realm="settle-api", headers="x-client-id x-timestamp x-signature"';

type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = ((request: Request, context?: RouteContext) => Promise<Response>) & { operation: Operation };

/**
 * The route handler of one operation, in the order a client can act on:
 * body size (413), credentials (401), the key's rate (429), the key's access
 * (403), media type (415), JSON (400), path (404), query and body (422, every
 * field; nothing stored), Idempotency-Key (replay or 409), then the work. Errors leave through lib/errors' one mapping.
 */
export function handler(op: Operation): RouteHandler {
  const fn = loggedRoute(`api.${op.operationId}`, async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const db = await getDb();
      const raw = await readBody(request);
      const principal = await authenticate(db, request, raw, { ratePerSecond: env().API_RATE_LIMIT_PER_SECOND });
      if (op.command) requireRole(principal.actor, op.command.permission);
      const json = refuseNulBytes(op.method === "POST" || op.method === "PATCH" ? parseJsonBody(raw, request.headers.get("content-type")) : {});
      const rawParams = (await context?.params) ?? {};
      const params = op.params ? op.params.safeParse(rawParams) : { success: true as const, data: {} };
      // An id holding a NUL names nothing (and Postgres could not even compare it).
      if (!params.success || Object.keys(nulFields(rawParams)).length > 0) throw new AppError("not_found", "Nothing here has this id.");
      const url = new URL(request.url);
      const query = parseOrThrow(op.query ?? noQuery, refuseNulBytes(queryObject(url), "Some query parameters need attention."), "Some query parameters need attention.");
      const body = parseOrThrow(op.body ?? noBody, json, "Some fields need attention.");
      const ctx = { db, principal, params: params.data, query, body, origin: publicUrl() };
      const live = { ...op, run: async (c: OperationContext<unknown, unknown, unknown>) => withLivemode(await op.run(c), principal.livemode) };

      const key = op.method === "POST" && op.idempotency ? request.headers.get("idempotency-key") : null;
      if (key === null) return jsonResponse(op.status ?? 200, JSON.stringify(await live.run(ctx)));
      return await runIdempotent(live, ctx, {
        merchantId: principal.merchantId,
        key: checkIdempotencyKey(key),
        fingerprint: fingerprintOf(op.method, url.pathname + url.search, raw),
      });
    } catch (err) {
      const { status, body } = apiErrorBody(err, op.fieldRenames);
      return jsonResponse(status, JSON.stringify(body), status === 429 ? { "retry-after": String(retryAfterSeconds) } : status === 401 ? { "www-authenticate": WWW_AUTHENTICATE } : {});
    }
  });
  return Object.assign(fn, { operation: op as Operation });
}

/**
 * Every object the API returns says its mode, as its key's: the object
 * itself, or each object of a list's `data`.
 */
function withLivemode(out: unknown, livemode: boolean): unknown {
  if (!out || typeof out !== "object" || Array.isArray(out)) return out;
  const o = out as Record<string, unknown>;
  if (o.object === "list" && Array.isArray(o.data)) return { ...o, data: o.data.map((item: unknown) => (item && typeof item === "object" ? { livemode, ...item } : item)) };
  return { livemode, ...o };
}

function runIdempotent(
  op: Operation,
  ctx: OperationContext<unknown, unknown, unknown>,
  ref: { merchantId: string; key: string; fingerprint: string },
): Promise<Response> {
  return runIdempotentWork(ctx.db, ref, {
    mode: op.idempotency === "transaction" ? "transaction" : "after",
    status: op.status ?? 200,
    run: async (db) => JSON.stringify(await op.run({ ...ctx, db })),
    failed: (err) => {
      const { status, body } = apiErrorBody(err, op.fieldRenames);
      return { status, text: JSON.stringify(body) };
    },
  });
}

/** One idempotent POST's work, however its answers are shaped (/api/v1's, or the Finan-compatible API's envelope). */
export interface IdempotentWork {
  /** `transaction`: the change and its stored response commit together. `after`: the work talks to the outside world, so its response is stored after. */
  mode: "transaction" | "after";
  status: number;
  /** Does the work on `db` (the transaction, in `transaction` mode) and returns the body to send. */
  run(db: Database): Promise<string>;
  /** What a failure sends. */
  failed(err: unknown): { status: number; text: string };
}

/**
 * Runs a POST under its Idempotency-Key: the first request runs and its
 * answer is stored; the same key and request again get that answer, with
 * `Idempotent-Replayed: true`.
 */
export async function runIdempotentWork(
  db: Database,
  ref: { merchantId: string; key: string; fingerprint: string },
  work: IdempotentWork,
): Promise<Response> {
  const begun = await beginIdempotent(db, ref);
  if (!begun.execute) return jsonResponse(begun.response.status, begun.response.body, { "idempotent-replayed": "true" });
  const release = holdIdempotent(db, ref);
  try {
    const text =
      work.mode === "transaction"
        ? await transaction(db, async (tx) => {
            const out = await work.run(tx);
            await completeIdempotent(tx, ref, { status: work.status, body: out });
            return out;
          })
        : await work.run(db);
    if (work.mode !== "transaction") await completeIdempotent(db, ref, { status: work.status, body: text });
    return jsonResponse(work.status, text);
  } catch (err) {
    const failed = work.failed(err);
    // A refusal is the answer to this request and is replayed; our own failure is not: the retry runs again.
    if (failed.status < 500) await completeIdempotent(db, ref, { status: failed.status, body: failed.text });
    else await releaseIdempotent(db, ref).catch(() => {});
    return jsonResponse(failed.status, failed.text);
  } finally {
    release();
  }
}

/** Routes that need no key (the OpenAPI document, the liveness check): no database, no body. */
export function publicHandler(op: Omit<Operation, "run"> & { run(): unknown }): RouteHandler {
  const fn = loggedRoute(`api.${op.operationId}`, async (): Promise<Response> =>
    jsonResponse(op.status ?? 200, JSON.stringify(await op.run()), { "cache-control": "public, max-age=60" }),
  );
  return Object.assign(fn, { operation: { ...op, public: true, run: async () => op.run() } as Operation });
}

const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type RouteMethod = (typeof ROUTE_METHODS)[number];

/** A handler that answers with an error whatever is asked: a method a route does not serve, a route that does not exist. */
export type FallbackHandler = ((request: Request, context?: unknown) => Promise<Response>) & { fallback: "method_not_allowed" | "not_found" };

const errorResponse = (code: "method_not_allowed" | "not_found", message: string, headers: Record<string, string> = {}) => {
  const { status, body } = apiErrorBody(new AppError(code, message));
  return jsonResponse(status, JSON.stringify(body), headers);
};

/**
 * The methods a route does not serve, each a 405 with `Allow` and the error
 * body (Next's own answer is an empty 405): `export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST")`.
 */
export function otherMethods(...served: HttpMethod[]): Record<RouteMethod, FallbackHandler> {
  const allow = [...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const answer = loggedRoute("api.method_not_allowed", async (request: Request, _context?: unknown) =>
    errorResponse("method_not_allowed", `${request.method} is not served here; this path serves ${served.join(", ")}.`, { allow }),
  );
  const fallback = Object.assign(answer, { fallback: "method_not_allowed" as const });
  return Object.fromEntries(ROUTE_METHODS.map((m) => [m, fallback])) as Record<RouteMethod, FallbackHandler>;
}

/** Every method of a path under /api/v1 that no route serves: 404 with the error body (Next's own is an HTML page). */
export const notFoundRoute: FallbackHandler = Object.assign(
  loggedRoute("api.not_found", async (request: Request, _context?: unknown) => {
    const path = new URL(request.url).pathname;
    return errorResponse("not_found", `No API route at ${path}. See /docs/api for the routes there are.`);
  }),
  { fallback: "not_found" as const },
);
