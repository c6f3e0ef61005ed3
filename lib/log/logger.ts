import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { LOG_LEVELS } from "@/lib/env";
import { currentRequestId } from "./request-context";
import { processSecrets, REDACTED, redactPaths, scrubText, scrubValue } from "./redact";

export type { Logger };

/** LOG_LEVEL if valid; otherwise info, and silent under the test runner (tests that read logs make their own logger). */
function defaultLevel(): string {
  const given = process.env.LOG_LEVEL;
  if (given && (LOG_LEVELS as readonly string[]).includes(given)) return given;
  return process.env.NODE_ENV === "test" ? "silent" : "info";
}

/**
 * Settle's logger options: one JSON object per line, the request id of the
 * request being served (when there is one), and redaction twice over: pino's
 * `redact` paths (the only layer child bindings pass through), then a scrub
 * of every object, message and error (lib/log/redact.ts). The process's
 * secrets are read once, when the logger is made.
 */
function loggerOptions(level = defaultLevel()): LoggerOptions {
  const secrets = processSecrets();
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
      bindings: (bindings) => scrubValue(bindings, secrets) as Record<string, unknown>,
      log: (object) => scrubValue(object, secrets) as Record<string, unknown>,
    },
    serializers: {
      // The message after interpolation, and an error's message when it stands in for one.
      msg: (msg: unknown) => (typeof msg === "string" ? scrubText(msg, secrets) : msg),
      // formatters.log has made errors plain, scrubbed objects already; this keeps pino's
      // default err serializer from re-shaping them (it would call each one an "Object").
      err: (err: unknown) => (err instanceof Error ? scrubValue(err, secrets) : err),
    },
  };
}

export function createLogger(destination?: DestinationStream, level?: string): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

const slot = globalThis as unknown as { __settleLogger?: Logger };

/** The process's logger (one for every Next module graph). Children name the part of Settle that logs. */
export const log: Logger = (slot.__settleLogger ??= createLogger());
