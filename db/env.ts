import path from "node:path";
import { z } from "zod";

/**
 * The database's own environment variables, read here so db/ needs nothing
 * from lib/. lib/env.ts checks them again with every other variable when the
 * server starts, from this same shape.
 */
const blankAsAbsent = (v: unknown) => (v === "" ? undefined : v);

export const databaseEnvShape = {
  DATABASE_URL: z.preprocess(blankAsAbsent, z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional()),
  /** Forces a driver; normally chosen from DATABASE_URL. */
  DATABASE_DRIVER: z.preprocess(blankAsAbsent, z.enum(["pglite", "pg", "neon"]).optional()),
  /** Test harness only: route the Neon driver's WebSocket through a local proxy (host:port). */
  NEON_WS_PROXY: z.preprocess(blankAsAbsent, z.string().optional()),
  SETTLE_DATA_DIR: z.preprocess(blankAsAbsent, z.string().default(".data")),
};

const databaseEnvSchema = z.object(databaseEnvShape);
export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;

/** "Settle cannot start" with every invalid variable, one a line. */
export function invalidEnvError(error: z.ZodError): Error {
  const lines = error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  return new Error(`Settle cannot start: invalid environment variables\n${lines.join("\n")}`);
}

let cached: DatabaseEnv | undefined;

export function databaseEnv(): DatabaseEnv {
  if (cached) return cached;
  const parsed = databaseEnvSchema.safeParse(process.env);
  if (!parsed.success) throw invalidEnvError(parsed.error);
  cached = parsed.data;
  return cached;
}

/** Where the embedded database and the generated development secrets are kept. */
export function dataDir(): string {
  return path.resolve(databaseEnv().SETTLE_DATA_DIR);
}
