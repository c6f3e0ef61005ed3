import { AppError, type ErrorBody, type FieldErrors, toErrorBody } from "@/lib/errors";
import { log } from "@/lib/log/logger";

/** `unitPrice` → `unit_price`; anything not lowerCamelCase (`_form`, `Idempotency-Key`, `0`) stays. */
const snake = (segment: string) => (/^[a-z][A-Za-z0-9]*$/.test(segment) ? segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : segment);

/**
 * The domain names fields as its forms do (`referenceId`, `items.0.unitPrice`);
 * the API as its JSON does (`reference_id`, `items.0.unit_price`). `renames`
 * maps a domain field (or its first segment) to the API's own where they differ.
 */
export function apiFieldNames(fields: FieldErrors, renames: Record<string, string> = {}): FieldErrors {
  const out = new Map<string, string[]>();
  for (const [path, messages] of Object.entries(fields)) {
    const [head = "", ...rest] = path.split(".");
    const renamed = Object.hasOwn(renames, path)
      ? renames[path]!
      : Object.hasOwn(renames, head)
        ? [renames[head], ...rest.map(snake)].join(".")
        : path.split(".").map(snake).join(".");
    out.set(renamed, [...(out.get(renamed) ?? []), ...messages]);
  }
  // fromEntries defines each key as its own property, `__proto__` included.
  return Object.fromEntries(out);
}

/** The one way an API response says what went wrong: lib/errors' mapping, with API field names. */
export function apiErrorBody(err: unknown, renames?: Record<string, string>): { status: number; body: ErrorBody } {
  if (err instanceof AppError && err.fields) {
    return toErrorBody(new AppError(err.code, err.message, apiFieldNames(err.fields, renames)));
  }
  // The client sees a generic 500; the log keeps what happened (redacted), under the request's id.
  if (!(err instanceof AppError)) log.error({ err }, "unexpected error");
  return toErrorBody(err);
}
