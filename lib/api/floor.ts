import { env } from "@/lib/env";
import { loggedRoute } from "@/lib/log/route";
import { parseJsonBody, readBody } from "./body";
import { type FallbackHandler, jsonResponse, notFoundRoute } from "./operation";

/**
 * The floors bench:api measures each endpoint against: what the framework
 * costs for a route that reads a JSON body, and for one with a path
 * parameter, with no database and no key. Served only with
 * SETTLE_BENCH_ROUTES=1; otherwise the route answers as if they were not
 * there (`otherwise`).
 */
const benchOnly =
  <C>(route: (request: Request, context: C) => Promise<Response>, otherwise: (request: Request, context: C) => Promise<Response>) =>
  (request: Request, context: C) =>
    env().SETTLE_BENCH_ROUTES === "1" ? route(request, context) : otherwise(request, context);

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

type IdContext = { params: Promise<{ id: string }> };

/** GET /api/v1/ping/{id}: reads its path parameter and echoes it. */
export const getFloor = benchOnly(
  loggedRoute("api.floor.get", async (_request: Request, context: IdContext) => jsonResponse(200, JSON.stringify({ ok: true, id: (await context.params).id }))),
  (request: Request) => notFoundRoute(request),
);
