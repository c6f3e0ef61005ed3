import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { merchants, roleEnum, users } from "./accounts";
import { paymentLinks } from "./payment-links";

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * A merchant's server credentials for /api/v1. The secret is shown once; it is
 * kept AES-256-GCM sealed (HMAC signatures need it) and as a SHA-256 hash for
 * bearer look-ups. `client_id` is public and names the key in signed requests.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    clientId: text("client_id").notNull(),
    /** The first characters of the secret, so a person can tell keys apart. */
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    secretSealed: text("secret_sealed").notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    /** What the key may do: a team role below owner (admin: everything the API offers; viewer: read only). */
    role: roleEnum("role").$type<Exclude<(typeof roleEnum.enumValues)[number], "owner">>().notNull().default("admin"),
    createdAt: at("created_at").notNull().defaultNow(),
    /** Written at most once a minute per key, so authentication stays one read. */
    lastUsedAt: at("last_used_at"),
    revokedAt: at("revoked_at"),
    revokedBy: text("revoked_by").references(() => users.id),
  },
  (t) => [
    uniqueIndex("api_keys_client_id_key").on(t.clientId),
    uniqueIndex("api_keys_secret_hash_key").on(t.secretHash),
    index("api_keys_merchant_idx").on(t.merchantId, t.createdAt),
    check("api_keys_role_not_owner", sql`${t.role} <> 'owner'`),
  ],
);

export const idempotencyStateEnum = pgEnum("api_idempotency_state", ["running", "done"]);

/**
 * One row per (merchant, Idempotency-Key) for 24 hours: the request's
 * fingerprint, and once it finished, the response to replay. In Postgres, so
 * every instance sees the same keys; a `running` row whose lease ran out (its
 * process died) may be taken over.
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** SHA-256 of method, path and body: the same key with anything else is a conflict. */
    fingerprint: text("fingerprint").notNull(),
    state: idempotencyStateEnum("state").notNull().default("running"),
    lockedUntil: at("locked_until").notNull(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    createdAt: at("created_at").notNull().defaultNow(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.key] }), index("api_idempotency_keys_expires_idx").on(t.expiresAt)],
);

/**
 * What a payment request made through POST /api/v1/payments said about itself
 * (Finan's shape): the method asked for and the caller's reference. Links made
 * in the dashboard have no row and read as attached to their invoice.
 */
export const apiPaymentRequests = pgTable(
  "api_payment_requests",
  {
    paymentLinkId: text("payment_link_id")
      .primaryKey()
      .references(() => paymentLinks.id, { onDelete: "cascade" }),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    paymentMethod: text("payment_method").$type<"bank_transfer" | "card" | "ewallet">().notNull(),
    referenceType: text("reference_type").$type<"invoice">(),
    referenceId: text("reference_id").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [index("api_payment_requests_reference_idx").on(t.merchantId, t.referenceId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type ApiIdempotencyKey = typeof apiIdempotencyKeys.$inferSelect;
export type ApiPaymentRequest = typeof apiPaymentRequests.$inferSelect;

/**
 * Requests per API key per second, shared by every instance (rate limits).
 * UNLOGGED in the migration: a count nobody needs after a crash is not worth
 * a WAL write on every request. Rows older than a minute are swept.
 */
export const apiRateWindows = pgTable(
  "api_rate_windows",
  {
    keyId: text("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    windowStart: at("window_start").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.windowStart] })],
);

/**
 * Signatures of signed API writes already admitted, so the same signed request
 * sent again within its 5-minute window is refused on every instance, unless
 * it carries the same Idempotency-Key as the first (the idempotency store then
 * answers it, never running it twice). UNLOGGED in the migration: a crash loses
 * at most the last few minutes' signatures, not worth a WAL write per request.
 * Swept once expired.
 */
export const apiSeenSignatures = pgTable(
  "api_seen_signatures",
  {
    /** The x-signature as lowercase hex. */
    signature: text("signature").primaryKey(),
    /** The Idempotency-Key header the first request carried, if any. */
    idempotencyKey: text("idempotency_key"),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [index("api_seen_signatures_expires_idx").on(t.expiresAt)],
);
