import { AppError, toErrorBody } from "@/lib/errors";
import { log } from "./logger";
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequest } from "./request-context";

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/**
 * Every route handler runs through this: it serves the request inside its
 * request id (set by proxy.ts, or taken from the caller), turns anything
 * thrown into the one error body, and writes one line per request: route,
 * method, path (never the query), status and time. `quiet` routes (polled
 * ones) log at debug while they succeed.
 */
export function loggedRoute<C>(route: string, handler: Handler<C>, opts: { quiet?: boolean } = {}): Handler<C> {
  return (request, context) => {
    const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    return runWithRequest({ requestId }, async () => {
      const started = performance.now();
      let response: Response;
      try {
        response = await handler(request, context);
      } catch (err) {
        if (!(err instanceof AppError)) log.error({ err }, "unexpected error");
        const { status, body } = toErrorBody(err);
        response = Response.json(body, { status });
      }
      // A polled route's success is logged at debug: build nothing when that is off.
      if (opts.quiet && response.status < 400 && !log.isLevelEnabled("debug")) return response;
      const line = {
        route,
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        ms: Math.round(performance.now() - started),
      };
      if (response.status >= 500) log.error(line, "request failed");
      else if (opts.quiet && response.status < 400) log.debug(line, "request");
      else log.info(line, "request");
      return response;
    });
  };
}

/**
 * Next's onRequestError hook (instrumentation.ts): errors thrown while
 * rendering a page, in an action or in proxy.ts. Logged by route pattern, not
 * path, because some paths carry tokens (invite links).
 */
export function logRequestError(
  err: unknown,
  request: { method: string; headers: Record<string, string | string[] | undefined> },
  context: { routePath: string; routeType: string },
): void {
  const given = request.headers[REQUEST_ID_HEADER];
  const requestId = requestIdFrom(Array.isArray(given) ? given[0] : given);
  const digest = typeof err === "object" && err !== null && "digest" in err ? String(err.digest) : undefined;
  runWithRequest({ requestId }, () =>
    log.error({ err, digest, method: request.method, route: context.routePath, routeType: context.routeType }, "request error"),
  );
}
