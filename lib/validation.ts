import type { z } from "zod";
import { AppError, type FieldErrors } from "./errors";

/** Every issue, grouped by its field path (`items.0.name`), so a form can show them all. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_form";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("validation_failed", "Some fields need attention.", fieldErrorsOf(parsed.error));
  }
  return parsed.data;
}
