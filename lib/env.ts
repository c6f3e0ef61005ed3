import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { databaseEnvShape, dataDir, invalidEnvError } from "@/db/env";

/** pino's levels, most severe first; the logger falls back to info on anything else. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL, like https://pay.example.com" });
/** An http(s) origin, like https://pay.example.com: the app is served from its root, so no path, query or fragment. */
const publicOrigin = httpUrl.refine((v) => {
  const u = URL.parse(v);
  return !u || (u.pathname === "/" && !u.search && !u.hash && !u.username && !u.password);
}, "must be the app's origin only (no path, query, fragment or credentials), like https://pay.example.com");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // DATABASE_URL, DATABASE_DRIVER, NEON_WS_PROXY, SETTLE_DATA_DIR: db/ reads them itself.
  ...databaseEnvShape,
  AUTH_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
  /** The public URL customers and providers reach this server on; every absolute URL Settle builds starts with it. */
  APP_URL: z.preprocess(emptyAsUndefined, publicOrigin.optional()),
  /** next-auth's own setting (it may carry next-auth's path); its origin is the public URL when APP_URL is unset. */
  NEXTAUTH_URL: z.preprocess(emptyAsUndefined, httpUrl.optional()),
  GITHUB_ID: optionalString,
  GITHUB_SECRET: optionalString,
  GOOGLE_ID: optionalString,
  GOOGLE_SECRET: optionalString,
  /** Encrypts webhook signing secrets at rest (≥ 32 chars). Required in production; generated into the data folder in development. */
  SETTLE_ENCRYPTION_KEY: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
  /** Lets webhooks reach private, loopback and link-local addresses (and plain http). Defaults to true outside production. */
  WEBHOOKS_ALLOW_PRIVATE: z.preprocess(emptyAsUndefined, z.enum(["true", "false"]).optional()),
  /** `off` on serverless hosts, which call /api/cron/webhooks instead of running the in-process loop. */
  WEBHOOKS_DISPATCHER: z.preprocess(emptyAsUndefined, z.enum(["on", "off"]).default("on")),
  /** Bearer token that /api/cron/webhooks requires; unset, the route refuses every call. */
  CRON_SECRET: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
  /** fatal | error | warn | info | debug | trace | silent; default info (silent under the test runner). Read by lib/log/logger.ts. */
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS).optional()),
  /** Requests per second each API key may make, counted across every instance; 0 turns the limit off. */
  API_RATE_LIMIT_PER_SECOND: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int("must be a whole number").min(0, "must be 0 (off) or more").default(100),
  ),
  /** `1` serves the benchmark's floor routes (POST /api/v1/ping, GET /api/v1/ping/{id}; lib/api/floor.ts). Unset, they are 405 and 404. */
  SETTLE_BENCH_ROUTES: z.preprocess(emptyAsUndefined, z.enum(["0", "1"]).optional()),
  /** smtp://user:pass@host:587 or smtps://…:465: where mail goes. Unset: the outbox outside production, no mail in production. */
  SMTP_URL: z.preprocess(emptyAsUndefined, z.string().regex(/^smtps?:\/\//, "must start with smtp:// or smtps://").optional()),
  /** The From of every mail, e.g. `Settle <billing@example.com>`. */
  MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().max(200).default("Settle <no-reply@settle.invalid>")),
  /** `1` keeps mail in the outbox (/dev/outbox) even under NODE_ENV=production, with no SMTP_URL: for tests only. */
  MAIL_OUTBOX: z.preprocess(emptyAsUndefined, z.enum(["0", "1"]).optional()),
  /** /api/health answers 503 when the oldest due webhook delivery has waited longer than this. */
  HEALTH_MAX_WEBHOOK_LAG_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int("must be a whole number of seconds").positive("must be more than 0").default(300),
  ),
});

export type Env = z.infer<typeof envSchema>;

const mailEnvSchema = envSchema.pick({ NODE_ENV: true, SMTP_URL: true, MAIL_FROM: true, MAIL_OUTBOX: true });

/**
 * The mail settings, read afresh on each call (cheap): a test starts its SMTP
 * server on a port it learns only then, after env() may have been cached.
 */
export function mailEnv(): z.infer<typeof mailEnvSchema> {
  const parsed = mailEnvSchema.safeParse(process.env);
  if (!parsed.success) throw invalidEnvError(parsed.error);
  return parsed.data;
}

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) throw invalidEnvError(parsed.error);
  cached = parsed.data;
  return cached;
}

export { dataDir };

export function usesEmbeddedDb(): boolean {
  const e = env();
  return e.DATABASE_DRIVER ? e.DATABASE_DRIVER === "pglite" : !e.DATABASE_URL;
}

/**
 * The secret that signs session cookies. Production must set AUTH_SECRET; on a
 * developer's machine one is generated once and kept in the data folder so
 * sessions survive restarts.
 */
export function authSecret(): string {
  const e = env();
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (e.NODE_ENV === "production") {
    throw new Error(
      "Settle cannot start: AUTH_SECRET is not set. Generate one with `openssl rand -base64 32` and set it in the environment.",
    );
  }
  return readOrCreateSecret("auth-secret");
}

/** The key that encrypts webhook secrets; like AUTH_SECRET, production must set it. */
export function encryptionKey(): string {
  const e = env();
  if (e.SETTLE_ENCRYPTION_KEY) return e.SETTLE_ENCRYPTION_KEY;
  if (e.NODE_ENV === "production") {
    throw new Error(
      "Settle cannot start: SETTLE_ENCRYPTION_KEY is not set. Generate one with `openssl rand -base64 32` and set it in the environment.",
    );
  }
  return readOrCreateSecret("encryption-key");
}

const publicUrlSchema = envSchema.pick({ NODE_ENV: true, APP_URL: true, NEXTAUTH_URL: true }).extend({ PORT: optionalString });

/**
 * The public URL of this server (an origin, no trailing slash): the start of
 * every absolute URL Settle builds (checkout links, provider return and notify
 * URLs, the links in mail), never a request's Host or X-Forwarded-* headers,
 * which whoever sends the request chooses. APP_URL, else NEXTAUTH_URL; outside
 * production, the server's own port on localhost; in production one of them
 * must be set. Read afresh on each call (cheap): tests set it as they go.
 */
export function publicUrl(vars: Record<string, string | undefined> = process.env): string {
  const parsed = publicUrlSchema.safeParse(vars);
  if (!parsed.success) throw invalidEnvError(parsed.error);
  const e = parsed.data;
  const configured = e.APP_URL ?? e.NEXTAUTH_URL;
  if (configured) return new URL(configured).origin;
  if (e.NODE_ENV === "production") {
    throw new Error(
      "Settle cannot start: APP_URL is not set. Set it (or NEXTAUTH_URL) to the URL customers reach this server on, like https://pay.example.com: every link Settle builds starts with it.",
    );
  }
  const port = /^\d+$/.test(e.PORT ?? "") ? e.PORT : "3000";
  return `http://localhost:${port}`;
}

/** Webhooks may reach private addresses and plain http: the default everywhere but production. */
export function webhooksAllowPrivate(): boolean {
  const e = env();
  return e.WEBHOOKS_ALLOW_PRIVATE ? e.WEBHOOKS_ALLOW_PRIVATE === "true" : e.NODE_ENV !== "production";
}

export function readOrCreateSecret(name: string): string {
  const dir = dataDir();
  const file = path.join(dir, name);
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(dir, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    // wx: if another process wrote it first, keep theirs.
    try {
      writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
    } catch {
      return readFileSync(file, "utf8").trim();
    }
    return secret;
  }
}
