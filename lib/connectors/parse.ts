import type { z } from "zod";

/** A gateway's JSON text parsed, or undefined when it is not JSON (a schema then says what is wrong). */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** The first problem zod found, as one line a support engineer can act on: `path: message`. */
export function firstIssue(error: z.ZodError, fallback = "not understood", prefix = ""): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? `${prefix}${issue.path.join(".")}: ` : "";
  return `${where}${issue?.message ?? fallback}`;
}
