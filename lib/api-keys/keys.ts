import { createHash, randomBytes } from "node:crypto";
import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { type ApiKey, apiKeys, memberships, merchants, users } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { type ApiKeyRole, apiKeyRoles, can, type Role } from "@/lib/auth/roles";
import { defineCommand } from "@/lib/commands/command";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { lockMerchant } from "@/lib/team/lock";

export const createApiKeySchema = z.object({
  name: z.string({ error: "Name the key." }).trim().min(1, "Name the key, e.g. the system that will use it.").max(60, "Use at most 60 characters."),
  role: z.enum(apiKeyRoles, { error: "Choose full access, support or read only." }).default("admin"),
});
export const revokeApiKeySchema = z.object({ keyId: z.string({ error: "Choose a key." }).min(1, "Choose a key.") });

/** How many characters of the secret are kept in clear to tell keys apart ("sk_live_AbCd1234…"). */
const PREFIX_LENGTH = 16;

/** `live` or `test`: the word in a key's secret and client id, so its mode shows wherever it is pasted. */
export const modeWord = (livemode: boolean) => (livemode ? "live" : "test");

export const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

export interface NewApiKey {
  key: ApiKey;
  /** In clear: shown once, never again. */
  secret: string;
}

/** Makes a key for the actor's merchant; the secret comes back once. Audit-logged without it. */
export const createApiKey = defineCommand({
  name: "api_keys.create",
  permission: "apikeys.manage",
  input: createApiKeySchema,
  async run({ tx, actor, merchantId, accountId, livemode }, { name, role }): Promise<NewApiKey> {
    // Under the lock a removal or role change takes, the maker's membership as it is now: a key
    // made while they were being removed would otherwise outlive them (their keys are revoked then).
    await lockMerchant(tx, accountId);
    const [maker] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.merchantId, accountId), eq(memberships.userId, actor.userId)));
    if (!maker || !can(maker.role, "apikeys.manage")) throw forbidden("You can no longer make API keys for this merchant.");
    const mode = modeWord(livemode);
    const secret = `sk_${mode}_${randomBytes(32).toString("base64url")}`;
    const [key] = await tx
      .insert(apiKeys)
      .values({
        id: newId("key"),
        merchantId,
        name,
        clientId: `ck_${mode}_${randomBytes(15).toString("base64url")}`,
        prefix: secret.slice(0, PREFIX_LENGTH),
        secretHash: hashSecret(secret),
        secretSealed: sealSecret(secret),
        createdBy: actor.userId,
        role,
      })
      .returning();
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "api_key.created",
      targetType: "api_key",
      targetId: key!.id,
      after: { name, clientId: key!.clientId, prefix: key!.prefix, role },
    });
    return { key: key!, secret };
  },
});

/** Takes effect on the next request, on every instance: each request asks Postgres whether its key is live (lib/api/rate-limit.ts). */
export const revokeApiKey = defineCommand({
  name: "api_keys.revoke",
  permission: "apikeys.manage",
  input: revokeApiKeySchema,
  async run({ tx, actor, merchantId }, { keyId }): Promise<ApiKey> {
    const scope = and(eq(apiKeys.merchantId, merchantId), eq(apiKeys.id, keyId));
    const [before] = await tx.select().from(apiKeys).where(scope).for("update");
    if (!before) throw notFound("API key not found.");
    if (before.revokedAt) throw new AppError("conflict", "This key is already revoked.");
    const [key] = await tx.update(apiKeys).set({ revokedAt: new Date(), revokedBy: actor.userId }).where(scope).returning();
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: keyId,
      before: { name: before.name, clientId: before.clientId, revoked: false },
      after: { revoked: true },
    });
    return key!;
  },
});

/** Key access from least to most: a key keeps working for a member only while it is within their role. */
const accessRank: Record<ApiKeyRole, number> = { viewer: 0, support: 1, admin: 2 };
const roleRank: Record<Role, number> = { viewer: 0, support: 1, admin: 2, owner: 3 };

/**
 * Revokes, inside the caller's transaction, the live keys a person made for
 * this merchant, in both modes: all of them (they were removed), or those whose access is
 * above `within` (their role was lowered). One `api_key.revoked` audit entry
 * per key, with the reason. Like any revoke, the next request with such a key
 * is refused on every instance. Returns the revoked keys.
 */
export async function revokeKeysMadeBy(
  tx: Database,
  { accountId, actorUserId, makerUserId, reason, within }: { accountId: string; actorUserId: string; makerUserId: string; reason: string; within?: Role },
): Promise<Array<{ id: string; name: string; clientId: string; role: ApiKeyRole }>> {
  const exceeding = within === undefined ? [...apiKeyRoles] : apiKeyRoles.filter((r) => accessRank[r] > roleRank[within]);
  if (!exceeding.length) return [];
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: new Date(), revokedBy: actorUserId })
    .where(and(inArray(apiKeys.merchantId, spacesOf(accountId)), eq(apiKeys.createdBy, makerUserId), isNull(apiKeys.revokedAt), inArray(apiKeys.role, exceeding)))
    .returning({ id: apiKeys.id, name: apiKeys.name, clientId: apiKeys.clientId, role: apiKeys.role, merchantId: apiKeys.merchantId });
  for (const key of revoked) {
    await writeAudit(tx, {
      merchantId: key.merchantId,
      actorUserId,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: key.id,
      before: { name: key.name, clientId: key.clientId, revoked: false },
      after: { revoked: true, reason },
    });
  }
  return revoked;
}

/** An account's two data spaces (its live row and its test space), for a statement's `IN`. */
const spacesOf = (accountId: string) =>
  sql`(select ${merchants.id} from ${merchants} where ${merchants.id} = ${accountId} or ${merchants.liveMerchantId} = ${accountId})`;

/** How many live keys each member made for the merchant, in both modes (by user id): what removing them would revoke. */
export async function liveKeyCountsByMaker(db: Database, accountId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ userId: apiKeys.createdBy, n: count() })
    .from(apiKeys)
    .where(and(inArray(apiKeys.merchantId, spacesOf(accountId)), isNull(apiKeys.revokedAt)))
    .groupBy(apiKeys.createdBy);
  return new Map(rows.map((r) => [r.userId, r.n]));
}

/** Every key of the merchant, newest first; never a secret. */
export async function listApiKeys(db: Database, merchantId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      clientId: apiKeys.clientId,
      prefix: apiKeys.prefix,
      role: apiKeys.role,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      createdByEmail: users.email,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.merchantId, merchantId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}
export type ApiKeyRow = Awaited<ReturnType<typeof listApiKeys>>[number];

/** The demo merchant's key (development seed only, lib/demo/seed.ts): made once, its credentials printed at every start. */
export const DEMO_KEY_NAME = "Demo key";

export interface ClearCredentials {
  clientId: string;
  secret: string;
}

/** The demo keys' credentials in clear, one per mode, for the development start-up banner; null where there is none. */
export async function demoApiCredentials(db: Database, ownerEmail: string): Promise<{ test: ClearCredentials | null; live: ClearCredentials | null }> {
  const keys = await db
    .select({ clientId: apiKeys.clientId, secretSealed: apiKeys.secretSealed, livemode: merchants.livemode })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
    .where(and(eq(users.email, ownerEmail), eq(apiKeys.name, DEMO_KEY_NAME), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt));
  const of = (livemode: boolean) => {
    const key = keys.find((k) => k.livemode === livemode);
    return key ? { clientId: key.clientId, secret: openSecret(key.secretSealed) } : null;
  };
  return { test: of(false), live: of(true) };
}
