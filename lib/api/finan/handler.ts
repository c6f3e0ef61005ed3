import { z } from "zod";
import { type Database, getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/roles";
import type { Command } from "@/lib/commands/command";
import { env, publicUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { loggedRoute } from "@/lib/log/route";
import { nulFields, refuseNulBytes } from "@/lib/nul-bytes";
import { type ApiPrincipal, authenticate } from "../auth";
import { parseJsonBody, readBody } from "../body";
import { apiErrorBody } from "../errors";
import { checkIdempotencyKey, fingerprintOf } from "../idempotency";
import { jsonResponse, noBody, type OperationContext, parseOrThrow, queryObject, runIdempotentWork } from "../operation";
import { retryAfterSeconds } from "../rate-limit";
import { FINAN_CREATED, FINAN_OK, finanError, finanSuccess } from "./envelope";
import { finanSignatures } from "./signature";

/** What a Finan endpoint's `run` gets: the same as an /api/v1 operation's. */
export type FinanContext<P, Q, B> = OperationContext<P, Q, B>;

/** One endpoint of the Finan-compatible API: Finan's path and shapes over Settle's commands and queries. */
export interface FinanEndpoint<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  /** For the request log: `finan.createPayment`. */
  name: string;
  method: "GET" | "POST";
  /** The command a POST runs: its permission is checked before the body is read or an Idempotency-Key claimed. */
  command?: Command;
  params?: P;
  query?: Q;
  body?: B;
  /** Answered with Finan's 102001 (created) rather than 102000. */
  created?: true;
  /** Domain field names this API spells differently (`serviceIds` → `account_id`). */
  fieldRenames?: Record<string, string>;
  /** What goes in the envelope's `data`. */
  run(ctx: FinanContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

export const defineFinanEndpoint = <P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType>(
  ep: FinanEndpoint<P, Q, B>,
) => ep;

/** Every 401 says how to authenticate here: Finan's signed headers. */
export const FINAN_WWW_AUTHENTICATE = 'FinanSignature realm="settle-finan", headers="x-client-id x-timestamp x-signature"';

const errorHeaders = (status: number): Record<string, string> =>
  status === 429 ? { "retry-after": String(retryAfterSeconds) } : status === 401 ? { "www-authenticate": FINAN_WWW_AUTHENTICATE } : {};

function failure(err: unknown, renames?: Record<string, string>) {
  const { status, body } = apiErrorBody(err, renames);
  return { status, text: JSON.stringify(finanError(status, body)) };
}

type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> };

/**
 * The route handler of one endpoint, in /api/v1's order (lib/api/operation.ts):
 * body size (413), Finan's signed headers (401), the key's rate (429), the
 * key's access (403), media type (415), JSON (400), path (404), query and
 * body (422), Idempotency-Key, then the work; every answer in Finan's envelope.
 * Successes are HTTP 200 with Finan's code (its doc shows no other status).
 */
export function finanHandler(ep: FinanEndpoint) {
  return loggedRoute(ep.name, async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const db = await getDb();
      const raw = await readBody(request);
      const principal = await authenticate(db, request, raw, { ratePerSecond: env().API_RATE_LIMIT_PER_SECOND, scheme: finanSignatures });
      if (ep.command) requireRole(principal.actor, ep.command.permission);
      const json = refuseNulBytes(ep.method === "POST" ? parseJsonBody(raw, request.headers.get("content-type")) : {});
      const rawParams = (await context?.params) ?? {};
      const params = ep.params ? ep.params.safeParse(rawParams) : { success: true as const, data: {} };
      if (!params.success || Object.keys(nulFields(rawParams)).length > 0) throw new AppError("not_found", "Nothing here has this id.");
      const url = new URL(request.url);
      const query = parseOrThrow(ep.query ?? z.object({}).strict(), refuseNulBytes(queryObject(url), "Some query parameters need attention."), "Some query parameters need attention.");
      const body = parseOrThrow(ep.body ?? noBody, json, "Some fields need attention.");
      const ctx = { db, principal, params: params.data, query, body, origin: publicUrl() };
      const code = ep.created ? FINAN_CREATED : FINAN_OK;
      const work = async (handle: Database) => JSON.stringify(finanSuccess(code, await ep.run({ ...ctx, db: handle })));

      const key = ep.method === "POST" ? request.headers.get("idempotency-key") : null;
      if (key === null) return jsonResponse(200, await work(db));
      return await runIdempotentWork(
        db,
        { merchantId: principal.merchantId, key: checkIdempotencyKey(key), fingerprint: fingerprintOf(ep.method, url.pathname + url.search, raw) },
        { mode: "transaction", status: 200, run: work, failed: (err) => failure(err, ep.fieldRenames) },
      );
    } catch (err) {
      const { status, text } = failure(err, ep.fieldRenames);
      return jsonResponse(status, text, errorHeaders(status));
    }
  });
}

/** A Finan-envelope error whatever is asked: for the methods a path does not serve (405, with Allow) and paths none serves (404). */
export function finanRefusal(code: "method_not_allowed" | "not_found", allow?: string) {
  return loggedRoute(`finan.${code}`, async (request: Request, _context?: unknown) => {
    const path = new URL(request.url).pathname;
    const message =
      code === "not_found"
        ? `No route at ${path}. The Finan-compatible API serves /open/api/v1/payments and /open/api/v1/payments/{id}.`
        : `${request.method} is not served here; this path serves ${allow}.`;
    const { status, text } = failure(new AppError(code, message));
    return jsonResponse(status, text, allow ? { allow: `${allow}, OPTIONS` } : {});
  });
}
