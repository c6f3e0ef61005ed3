import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiKeys } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { openSecret } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import { hashSecret } from "./keys";

/** Signed requests older or newer than this many seconds are refused. */
export const TIMESTAMP_TOLERANCE_S = 300;
/** last_used_at is written at most this often per key. */
const TOUCH_EVERY_MS = 60_000;

/** Who is calling: one key of one merchant. */
export interface ApiPrincipal {
  keyId: string;
  merchantId: string;
  /**
   * Domain functions take an actor: a key acts with the admin role, in the
   * name of the person who made it (so audit entries say who that was).
   */
  actor: Actor;
}

export interface SignedParts {
  method: string;
  /** Path and query string exactly as sent: `/api/v1/payments?reference_id=A-1`. */
  pathWithQuery: string;
  /** Unix seconds, as sent in x-timestamp. */
  timestamp: string;
  body: string;
}

/** hex HMAC-SHA256 over `METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nBODY`: what x-signature carries. */
export function signRequest(secret: string, parts: SignedParts): string {
  const message = `${parts.method.toUpperCase()}\n${parts.pathWithQuery}\n${parts.timestamp}\n${parts.body}`;
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** The three headers of a signed request, for clients written in TypeScript (tests, the bench, the docs). */
export function signedHeaders(
  credentials: { clientId: string; secret: string },
  request: { method: string; pathWithQuery: string; body?: string },
  now = new Date(),
): Record<"x-client-id" | "x-timestamp" | "x-signature", string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = signRequest(credentials.secret, { ...request, body: request.body ?? "", timestamp });
  return { "x-client-id": credentials.clientId, "x-timestamp": timestamp, "x-signature": signature };
}

const refuse = (code: "missing_credentials" | "invalid_key" | "invalid_signature" | "stale_timestamp" | "revoked_key", message: string) =>
  new AppError(code, message);

function sameHex(expected: string, given: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given.toLowerCase(), "hex"));
}

const keyColumns = {
  id: apiKeys.id,
  merchantId: apiKeys.merchantId,
  createdBy: apiKeys.createdBy,
  secretSealed: apiKeys.secretSealed,
  revokedAt: apiKeys.revokedAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

function keyLookups(db: Database) {
  const by = (column: typeof apiKeys.clientId | typeof apiKeys.secretHash, name: string) =>
    db.select(keyColumns).from(apiKeys).where(eq(column, sql.placeholder("value"))).limit(1).prepare(name);
  return { clientId: by(apiKeys.clientId, "api_key_by_client_id"), secretHash: by(apiKeys.secretHash, "api_key_by_secret_hash") };
}
// Every API request runs one of these: prepared once per database handle, so Postgres
// parses and plans them once per connection and drizzle builds their SQL once.
const prepared = new WeakMap<Database, ReturnType<typeof keyLookups>>();

async function findKey(db: Database, by: "clientId" | "secretHash", value: string) {
  let lookups = prepared.get(db);
  if (!lookups) prepared.set(db, (lookups = keyLookups(db)));
  const [row] = await lookups[by].execute({ value });
  return row;
}

async function touch(db: Database, key: { id: string; lastUsedAt: Date | null }, now: Date): Promise<void> {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < TOUCH_EVERY_MS) return;
  const stale = new Date(now.getTime() - TOUCH_EVERY_MS);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
}

function principalOf(key: { id: string; merchantId: string; createdBy: string }): ApiPrincipal {
  return { keyId: key.id, merchantId: key.merchantId, actor: { userId: key.createdBy, merchantId: key.merchantId, role: "admin" } };
}

/**
 * Authenticates an API request in one read of the key: `Authorization: Bearer
 * <secret>` (looked up by its hash), or x-client-id / x-timestamp / x-signature
 * (the sealed secret opened and the HMAC compared in constant time). Every
 * refusal is a 401 whose code says why.
 */
export async function authenticate(
  db: Database,
  request: { method: string; url: string; headers: Headers },
  body: string,
  now = new Date(),
): Promise<ApiPrincipal> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw refuse("missing_credentials", "Send `Authorization: Bearer <secret>`, or the signed headers x-client-id, x-timestamp and x-signature.");
    const key = await findKey(db, "secretHash", hashSecret(match[1]!));
    if (!key) throw refuse("invalid_key", "No API key has this secret.");
    if (key.revokedAt) throw refuse("revoked_key", "This API key was revoked.");
    await touch(db, key, now);
    return principalOf(key);
  }

  const clientId = request.headers.get("x-client-id");
  const timestamp = request.headers.get("x-timestamp");
  const signature = request.headers.get("x-signature");
  if (!clientId || !timestamp || !signature) {
    throw refuse("missing_credentials", "Send `Authorization: Bearer <secret>`, or the signed headers x-client-id, x-timestamp and x-signature.");
  }
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!(Math.abs(now.getTime() / 1000 - seconds) <= TIMESTAMP_TOLERANCE_S)) {
    throw refuse("stale_timestamp", `x-timestamp must be the current time in unix seconds, within ${TIMESTAMP_TOLERANCE_S / 60} minutes.`);
  }
  const key = await findKey(db, "clientId", clientId);
  if (!key) throw refuse("invalid_key", "No API key has this client id.");
  const url = new URL(request.url);
  const expected = signRequest(openSecret(key.secretSealed), { method: request.method, pathWithQuery: url.pathname + url.search, timestamp, body });
  if (!sameHex(expected, signature)) {
    throw refuse("invalid_signature", "x-signature is not the HMAC-SHA256 of METHOD\\nPATH\\nTIMESTAMP\\nBODY with this key's secret.");
  }
  // Only after the signature: telling a key is revoked is for whoever holds it.
  if (key.revokedAt) throw refuse("revoked_key", "This API key was revoked.");
  await touch(db, key, now);
  return principalOf(key);
}
