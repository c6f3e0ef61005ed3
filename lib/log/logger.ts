import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { currentRequestId } from "./request-context";
import { REDACTED, redactPaths, scrubText, scrubValue } from "./redact";

export type { Logger };

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** LOG_LEVEL if valid; otherwise info, and silent under the test runner (tests that read logs make their own logger). */
function defaultLevel(): string {
  const given = process.env.LOG_LEVEL;
  if (given && (LEVELS as readonly string[]).includes(given)) return given;
  return process.env.NODE_ENV === "test" ? "silent" : "info";
}

/**
 * Settle's logger options: one JSON object per line, the request id of the
 * request being served (when there is one), and redaction twice over: pino's
 * `redact` paths, then a scrub of every object, binding, message and error
 * (lib/log/redact.ts).
 */
export function loggerOptions(level = defaultLevel()): LoggerOptions {
  return {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: REDACTED },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => scrubValue(bindings) as Record<string, unknown>,
      log: (object) => scrubValue(object) as Record<string, unknown>,
    },
    serializers: {
      // The message after interpolation, and an error's message when it stands in for one.
      msg: (msg: unknown) => (typeof msg === "string" ? scrubText(msg) : msg),
      // formatters.log has flattened and scrubbed errors already; this catches one logged on its own.
      err: (err: unknown) => (err instanceof Error ? scrubValue(err) : err),
    },
  };
}

export function createLogger(destination?: DestinationStream, level?: string): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

const slot = globalThis as unknown as { __settleLogger?: Logger };

/** The process's logger (one for every Next module graph). Children name the part of Settle that logs. */
export const log: Logger = (slot.__settleLogger ??= createLogger());
