import { sql } from "drizzle-orm";
import { type AnyPgColumn, boolean, check, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["owner", "admin", "support", "viewer"]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/**
 * A merchant account and its two data spaces. The account's own row is its
 * live space; its test space is a second row naming it in `live_merchant_id`.
 * Everything a merchant owns references one of the two rows by `merchant_id`,
 * so a query scoped by merchant is scoped by mode too and cannot mix them.
 * Team, memberships and the account's name belong to the live row.
 */
export const merchants = pgTable(
  "merchants",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Set on a test space: the live row (the account) it belongs to. */
    liveMerchantId: text("live_merchant_id").references((): AnyPgColumn => merchants.id, { onDelete: "cascade" }),
    livemode: boolean("livemode").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("merchants_live_merchant_id_key").on(t.liveMerchantId),
    check("merchants_livemode_space", sql`${t.livemode} = (${t.liveMerchantId} is null)`),
  ],
);

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

export const memberships = pgTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("memberships_merchant_user_key").on(t.merchantId, t.userId),
    index("memberships_user_idx").on(t.userId),
  ],
);

export const invites = pgTable(
  "invites",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: roleEnum("role").notNull(),
    /** SHA-256 of the one-time token; the token itself is only ever in the link. */
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").notNull().references(() => users.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: text("accepted_by").references(() => users.id),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("invites_token_hash_key").on(t.tokenHash), index("invites_merchant_idx").on(t.merchantId)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
    actorUserId: text("actor_user_id").references(() => users.id),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    createdAt: createdAt(),
  },
  // Ascending and scanned backwards: drizzle's .desc() means DESC NULLS LAST, which ORDER BY … DESC cannot use.
  (t) => [index("audit_log_merchant_created_idx").on(t.merchantId, t.createdAt, t.id)],
);

/**
 * One signed-in browser. The session cookie (a JWT) carries the row's id, and
 * every request asks Postgres whether the row is still here: deleting it ends
 * that session on every instance (sign-out, "sign out everywhere", a password
 * change ending the others).
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    /** The cookie's own lifetime from sign-in; a refreshed cookie does not outlive it. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId)],
);

/** Failed sign-ins per email, so repeated guessing is slowed down across every instance. */
export const loginFailures = pgTable(
  "login_failures",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("login_failures_email_created_idx").on(t.email, t.createdAt)],
);

/**
 * "Forgot password" links. The token is only ever in the email; its SHA-256
 * is kept. One use (`usedAt`), 30 minutes; a reset spends every other
 * outstanding one of the user. `email` as asked, lowercased: the rate limit
 * counts requests per email.
 */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("password_resets_token_hash_key").on(t.tokenHash),
    index("password_resets_email_created_idx").on(t.email, t.createdAt),
    index("password_resets_user_idx").on(t.userId),
  ],
);
