import { format } from "node:util";
import type { Logger } from "./logger";

/**
 * In production, what Next (or a library) prints with console.error and
 * console.warn (a page's render error, with its message and stack) goes
 * through the logger too: one JSON line, with the request id, redacted like
 * every other. Returns a function that puts the console back.
 */
export function routeConsoleThroughLogger(logger: Logger): () => void {
  const original = { error: console.error, warn: console.warn };
  for (const level of ["error", "warn"] as const) {
    console[level] = (...args: unknown[]) => {
      const err = args.find((a): a is Error => a instanceof Error);
      const rest = args.filter((a) => a !== err);
      const msg = rest.length ? format(...rest) : (err?.message ?? "");
      // An error with a digest is one Next also hands to onRequestError (instrumentation.ts),
      // which logs it with its route: here it is only a debug echo, so it counts once.
      const echo = err !== undefined && "digest" in err;
      logger[echo ? "debug" : level](err ? { err, source: "console" } : { source: "console" }, msg);
    };
  }
  return () => Object.assign(console, original);
}
