import { AppError, type FieldErrors } from "@/lib/errors";

const MESSAGE = "Must not contain a NUL character (U+0000).";

/**
 * Every place in untrusted input (a parsed JSON body, a query, a form) where a
 * string or a key holds U+0000, by its dotted path (`customer.name`,
 * `items.0.name`; `body` for the whole input). Postgres stores no NUL in text or
 * jsonb (22021 / 22P05), so it is refused where input enters, as a field error,
 * before it can reach a statement and come back as a 500. Walked without
 * recursion: a body may nest deeper than the stack.
 */
export function nulFields(input: unknown): FieldErrors {
  const fields = new Map<string, string[]>();
  const stack: [unknown, string][] = [[input, ""]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) fields.set(path || "body", [MESSAGE]);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push([item, path ? `${path}.${i}` : String(i)]));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (key.includes("\u0000")) fields.set(at.replaceAll("\u0000", "\\u0000"), [MESSAGE]);
        else stack.push([item, at]);
      }
    }
  }
  // fromEntries: a field named `__proto__` stays a field like any other.
  return Object.fromEntries(fields);
}

/** Throws a 422 `validation_failed` naming every field that holds a NUL; returns the input unchanged otherwise. */
export function refuseNulBytes<T>(input: T, message = "Some fields need attention."): T {
  const fields = nulFields(input);
  if (Object.keys(fields).length > 0) throw new AppError("validation_failed", message, fields);
  return input;
}
