import { z } from "zod";
import { AppError, type FieldErrors } from "./errors";

/**
 * The zod building blocks every form and API schema shares, and the one way a
 * parse failure becomes field errors. Messages name the field (`label`) so a
 * form can show them beside it and an API client can read them.
 */

/** A form field left blank arrives as "": treat it as absent. */
export const blankAsAbsent = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** `schema`, or absent when the field was left blank. */
export const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blankAsAbsent, schema.optional());

/** Trimmed text of at most `max` characters, absent when blank. */
export const optionalText = (max: number, label: string) =>
  optional(z.string({ error: `${label} must be text.` }).trim().max(max, `${label} must be at most ${max} characters.`));

/** The characters a merchant's own reference (an order number) may use. */
export const referenceIdSchema = z
  .string()
  .trim()
  .max(100, "The reference ID must be at most 100 characters.")
  .regex(/^[\w.:/#-]+$/, "The reference ID may use letters, digits and - _ . : / # only.");

/** A calendar day, `YYYY-MM-DD`, that exists (no 2026-02-30). */
export const isoDate = (label: string) =>
  z
    .string({ error: `${label} must be a date.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date like 2026-01-31.`)
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
    }, `${label} is not a real date.`)
    .meta({ examples: ["2026-01-31"] });

/** An http(s) URL of at most 2,000 characters. */
export const httpUrl = (label: string) =>
  z
    .url({ error: `${label} must be a full URL, like https://shop.example.com/thanks.` })
    .refine((u) => /^https?:\/\//i.test(u), `${label} must start with https:// or http://.`)
    .max(2000, `${label} must be at most 2000 characters.`);

/** A checkbox or a JSON boolean: "on" / "true" / true. */
export const checkbox = z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean());

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
