import { z } from "zod";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `limit` and `starting_after` (the last id of the previous page), as every list takes them. */
export const pageQuery = {
  limit: z.coerce
    .number({ error: "limit must be a whole number." })
    .int("limit must be a whole number.")
    .min(1, "limit must be at least 1.")
    .max(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}.`)
    .default(DEFAULT_PAGE_SIZE)
    .meta({ description: `How many to return, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` }),
  starting_after: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "The id of the last object of the previous page: this page starts after it." }),
};

/** A list response: a page of objects, and whether another page follows. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    object: z.literal("list"),
    data: z.array(item),
    has_more: z.boolean().meta({ description: "True when there is another page: ask again with `starting_after` = the last id." }),
  });
}

/** Rows fetched with limit + 1 → the page, and whether there was more. */
export function toPage<T, U>(rows: T[], limit: number, map: (row: T) => U) {
  return { object: "list" as const, data: rows.slice(0, limit).map(map), has_more: rows.length > limit };
}
