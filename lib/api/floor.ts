import { env } from "@/lib/env";
import { loggedRoute } from "@/lib/log/route";
import { parseJsonBody, readBody } from "./body";
import { type FallbackHandler, jsonResponse, notFoundRoute } from "./operation";

/**
 * The floors bench:api measures each endpoint against: what the framework
 * costs for a route that reads a JSON body, and for one with a path
 * parameter, with no database and no key. Served only with
 * SETTLE_BENCH_ROUTES=1; otherwise each is the fallback it stands in for
 * (405 on /api/v1/ping, 404 on /api/v1/ping/{id}), and is marked as one, so
 * the API's contract tests and OpenAPI document see no route here.
 */
function benchOnly<C>(route: (request: Request, context: C) => Promise<Response>, otherwise: FallbackHandler): FallbackHandler {
  const fn = (request: Request, context?: unknown) => (env().SETTLE_BENCH_ROUTES === "1" ? route(request, context as C) : otherwise(request, context));
  return Object.assign(fn, { fallback: otherwise.fallback });
}

/** POST /api/v1/ping: reads and parses the body as the API's POSTs do, and says how much it got. */
export const postFloor = (otherwise: FallbackHandler) =>
  benchOnly(
    loggedRoute("api.floor.post", async (request: Request) => {
      const raw = await readBody(request);
      const json = parseJsonBody(raw, request.headers.get("content-type"));
      return jsonResponse(200, JSON.stringify({ ok: true, bytes: Buffer.byteLength(raw), fields: Object.keys(json as object).length }));
    }),
    otherwise,
  );

type IdContext = { params?: Promise<Record<string, string | string[] | undefined>> };

/** GET /api/v1/ping/{id}: reads its path parameter and echoes it. */
export const getFloor = benchOnly(
  loggedRoute("api.floor.get", async (_request: Request, context?: IdContext) => jsonResponse(200, JSON.stringify({ ok: true, id: (await context?.params)?.id }))),
  notFoundRoute,
);
