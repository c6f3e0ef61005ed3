import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { perDatabase } from "@/db/prepared";
import { apiKeys, merchants } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { openSecret } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import type { ApiKeyRole } from "@/lib/auth/roles";
import { hashSecret } from "@/lib/api-keys/keys";
import { admitRequest } from "./rate-limit";
import { REQUEST_TARGET_HEADER, sameRequest } from "./request-target";

/** Signed requests older or newer than this many seconds are refused. */
export const TIMESTAMP_TOLERANCE_S = 300;
/** last_used_at is written at most this often per key. */
const TOUCH_EVERY_MS = 60_000;

/** Who is calling: one key of one merchant. */
export interface ApiPrincipal {
  keyId: string;
  /** The key's data space: a key sees only its own mode's data. */
  merchantId: string;
  /** true for an `sk_live_` key, false for an `sk_test_` one. */
  livemode: boolean;
  /**
   * Domain functions take an actor: a key acts with its own access as its role (admin,
   * support or viewer, chosen when it was made), in the name of the person
   * who made it (so audit entries say who that was).
   */
  actor: Extract<Actor, { apiKeyId: string }>;
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

const refuse = (
  code: "missing_credentials" | "invalid_key" | "invalid_signature" | "stale_timestamp" | "revoked_key" | "replayed_request",
  message: string,
) =>
  new AppError(code, message);
const revoked = () => refuse("revoked_key", "This API key was revoked.");

/** At most this many `%27`s are tried both ways (2^n signatures); past it, all or none. */
const MAX_AMBIGUOUS_QUOTES = 4;

/**
 * The request targets (path and query) a client may have sent. The handler's
 * own URL has its query re-encoded by Next, so the target proxy.ts forwards
 * (lib/api/request-target.ts) is used when it names the same request. Even
 * that went through WHATWG's parser, which keeps every byte as sent but two:
 * an apostrophe in the query becomes `%27`, and an empty query (a trailing
 * `?`) may be dropped; those are tried both ways, only when the target holds
 * a `%27` or no query. The first candidate is the common case.
 */
export function sentTargets(requestUrl: string, forwarded?: string | null): string[] {
  const handed = new URL(requestUrl);
  // The target proxy.ts saw, when it names this very request (it always does behind the proxy).
  const url = forwarded && sameRequest(forwarded, handed) ? new URL(forwarded, handed.origin) : handed;
  const target = url.pathname + url.search;
  const out = [target];
  if (url.search === "") out.push(`${target}?`);
  const parts = url.search.split("%27");
  const quotes = parts.length - 1;
  if (quotes > MAX_AMBIGUOUS_QUOTES) out.push(url.pathname + parts.join("'"));
  else {
    for (let mask = 1; mask < 2 ** quotes; mask++) {
      out.push(url.pathname + parts.reduce((search, part, i) => search + ((mask >> (i - 1)) & 1 ? "'" : "%27") + part));
    }
  }
  return out;
}

/** Two SHA-256 hex digests compared in constant time; `given` may be in capitals. */
export function sameHex(expected: string, given: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given.toLowerCase(), "hex"));
}

export interface SignedRequest {
  method: string;
  url: string;
  headers: Headers;
}

/**
 * How the signed headers x-client-id / x-timestamp / x-signature are checked:
 * Settle's own scheme (/api/v1), or Finan's (the Finan-compatible API,
 * lib/api/finan). Which key signed, its rate, its revocation and replays are
 * the same for both (`authenticate`).
 */
export interface SignatureScheme {
  /** Seconds x-timestamp may be from Settle's clock, either way. */
  toleranceS: number;
  /** Whether `Authorization: Bearer <secret>` is accepted too. */
  bearer: boolean;
  /** Whether `signature` (hex, as sent) is this secret's over the request. */
  verify(secret: string, request: SignedRequest, body: string, timestamp: string, signature: string): boolean;
  /** What each refusal tells the client. */
  messages: { missing: string; stale: string; invalid: string };
}

const MISSING = "Send `Authorization: Bearer <secret>`, or the signed headers x-client-id, x-timestamp and x-signature.";

/** Settle's own: hex HMAC-SHA256 of METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nBODY over the target as sent, ±5 minutes, or a bearer secret. */
export const settleSignatures: SignatureScheme = {
  toleranceS: TIMESTAMP_TOLERANCE_S,
  bearer: true,
  verify: (secret, request, body, timestamp, signature) =>
    sentTargets(request.url, request.headers.get(REQUEST_TARGET_HEADER)).some((pathWithQuery) =>
      sameHex(signRequest(secret, { method: request.method, pathWithQuery, timestamp, body }), signature),
    ),
  messages: {
    missing: MISSING,
    stale: `x-timestamp must be the current time in unix seconds, within ${TIMESTAMP_TOLERANCE_S / 60} minutes.`,
    invalid: "x-signature is not the HMAC-SHA256 of METHOD\\nPATH\\nTIMESTAMP\\nBODY with this key's secret.",
  },
};

const keyColumns = {
  id: apiKeys.id,
  merchantId: apiKeys.merchantId,
  accountId: sql<string>`coalesce(${merchants.liveMerchantId}, ${merchants.id})`,
  livemode: merchants.livemode,
  createdBy: apiKeys.createdBy,
  role: apiKeys.role,
  secretSealed: apiKeys.secretSealed,
  revokedAt: apiKeys.revokedAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

const keyLookups = perDatabase((db) => {
  const by = (column: typeof apiKeys.clientId | typeof apiKeys.secretHash, name: string) =>
    db
      .select(keyColumns)
      .from(apiKeys)
      .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
      .where(eq(column, sql.placeholder("value")))
      .limit(1)
      .prepare(name);
  return { clientId: by(apiKeys.clientId, "api_key_by_client_id"), secretHash: by(apiKeys.secretHash, "api_key_by_secret_hash") };
});

type By = "clientId" | "secretHash";

async function findKey(db: Database, by: By, value: string) {
  const [row] = await keyLookups(db)[by].execute({ value });
  return row;
}

/**
 * What never changes about a key (its id, merchant, maker, access and secret), kept in
 * memory after its first request so the next ones need not read and open it
 * again. Whether it is still live is not kept: every request asks Postgres
 * (lib/api/rate-limit.ts's admitRequest), so a revoke made on any instance
 * refuses the very next request everywhere.
 */
interface KnownKey {
  id: string;
  merchantId: string;
  accountId: string;
  livemode: boolean;
  createdBy: string;
  role: ApiKeyRole;
  /** Opened on the first signed request; bearer-only keys never open it. */
  sealed: string;
  secret?: string;
  /** When last_used_at was last known to be written (ms); it is written at most once a minute. */
  usedAt: number;
  /** Entries are dropped after a while, so secrets of keys no longer in use do not stay in memory. */
  knownUntil: number;
  /** Read revoked just now (never remembered). */
  revoked: boolean;
}

const KNOWN_FOR_MS = 10 * 60_000;
const MAX_KNOWN = 1_000;
const knownKeys = perDatabase(() => new Map<string, KnownKey>());

/** The key a credential names: from memory, or read (and remembered unless revoked). */
async function identify(db: Database, by: By, value: string, now: Date): Promise<KnownKey | undefined> {
  const map = knownKeys(db);
  const entry = `${by}:${value}`;
  const hit = map.get(entry);
  if (hit && hit.knownUntil > now.getTime()) return hit;
  map.delete(entry);
  const row = await findKey(db, by, value);
  if (!row) return undefined;
  const key: KnownKey = {
    id: row.id,
    merchantId: row.merchantId,
    accountId: row.accountId,
    livemode: row.livemode,
    createdBy: row.createdBy,
    role: row.role,
    sealed: row.secretSealed,
    usedAt: row.lastUsedAt?.getTime() ?? 0,
    knownUntil: now.getTime() + KNOWN_FOR_MS,
    revoked: row.revokedAt !== null,
  };
  if (key.revoked) return key;
  if (map.size >= MAX_KNOWN) map.delete(map.keys().next().value!); // the oldest
  map.set(entry, key);
  return key;
}

async function touch(db: Database, key: KnownKey, now: Date): Promise<void> {
  if (now.getTime() - key.usedAt < TOUCH_EVERY_MS) return;
  key.usedAt = now.getTime();
  const stale = new Date(now.getTime() - TOUCH_EVERY_MS);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
}

function principalOf(key: KnownKey): ApiPrincipal {
  const { merchantId, accountId, livemode } = key;
  return { keyId: key.id, merchantId, livemode, actor: { userId: key.createdBy, merchantId, accountId, livemode, role: key.role, apiKeyId: key.id } };
}

/**
 * Authenticates an API request and admits it: `Authorization: Bearer
 * <secret>` (looked up by its hash), or x-client-id / x-timestamp /
 * x-signature (the HMAC compared in constant time with the key's secret).
 * Then one statement checks the key is still live and counts the request
 * against `ratePerSecond` (0: no limit). Every refusal is a 401 whose code
 * says why, or a 429.
 */
export async function authenticate(
  db: Database,
  request: SignedRequest,
  body: string,
  { ratePerSecond = 0, now = new Date(), scheme = settleSignatures }: { ratePerSecond?: number; now?: Date; scheme?: SignatureScheme } = {},
): Promise<ApiPrincipal> {
  const { key, signature } = await verifiedKey(db, request, body, now, scheme);
  const remembered =
    signature && !SAFE_METHODS.has(request.method.toUpperCase())
      ? { signature, idempotencyKey: request.headers.get("idempotency-key") }
      : undefined;
  if (!(await admitRequest(db, key.id, ratePerSecond, undefined, remembered))) {
    const [row] = await db.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, key.id));
    if (row && row.revokedAt === null && remembered) {
      throw refuse("replayed_request", "This signed request was already received. Sign each request afresh (a new x-timestamp).");
    }
    // Revoked (or deleted) since it was remembered: forget it and say which.
    const map = knownKeys(db);
    for (const [entry, k] of map) if (k.id === key.id) map.delete(entry);
    throw row ? revoked() : refuse("invalid_key", "This API key no longer exists.");
  }
  await touch(db, key, now);
  return principalOf(key);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The key whose credentials the request carries, checked: a bearer secret's
 * hash, or a signature made with its secret (then returned as lowercase hex,
 * so one spelled in capitals is the same signature).
 */
async function verifiedKey(
  db: Database,
  request: SignedRequest,
  body: string,
  now: Date,
  scheme: SignatureScheme,
): Promise<{ key: KnownKey; signature?: string }> {
  const authorization = scheme.bearer ? request.headers.get("authorization") : null;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw refuse("missing_credentials", scheme.messages.missing);
    const key = await identify(db, "secretHash", hashSecret(match[1]!), now);
    if (!key) throw refuse("invalid_key", "No API key has this secret.");
    if (key.revoked) throw revoked();
    return { key };
  }

  const clientId = request.headers.get("x-client-id");
  const timestamp = request.headers.get("x-timestamp");
  const signature = request.headers.get("x-signature");
  if (!clientId || !timestamp || !signature) throw refuse("missing_credentials", scheme.messages.missing);
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!(Math.abs(now.getTime() / 1000 - seconds) <= scheme.toleranceS)) throw refuse("stale_timestamp", scheme.messages.stale);
  const key = await identify(db, "clientId", clientId, now);
  if (!key) throw refuse("invalid_key", "No API key has this client id.");
  key.secret ??= openSecret(key.sealed);
  if (!scheme.verify(key.secret, request, body, timestamp, signature)) throw refuse("invalid_signature", scheme.messages.invalid);
  // Only after the signature: telling a key is revoked is for whoever holds it.
  if (key.revoked) throw revoked();
  return { key, signature: signature.toLowerCase() };
}
