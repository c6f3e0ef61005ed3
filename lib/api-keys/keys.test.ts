import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys, auditLog } from "@/db/schema";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/api-keys/keys";
import { openSecret } from "@/lib/crypto/secret-box";
import { useTestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";

const { db } = useTestDb();

describe("API keys", () => {
  it("owners and admins create and revoke keys; support and viewers cannot; both are audit-logged without the secret", async () => {
    const m = await makeMerchant(db());
    const admin = (await m.addMember("admin")).actor;
    const { key, secret } = await createApiKey(db(), admin, { name: "  Order system " });
    // A test mode key says so wherever it is pasted.
    expect(key).toMatchObject({ name: "Order system", prefix: secret.slice(0, 16) });
    expect(secret).toMatch(/^sk_test_[\w-]{43}$/);
    expect(key.clientId).toMatch(/^ck_test_[\w-]{20}$/);
    // Sealed and hashed: the secret itself is nowhere in the row.
    const [row] = await db().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(openSecret(row!.secretSealed)).toBe(secret);

    for (const role of ["support", "viewer"] as const) {
      const { actor } = await m.addMember(role);
      await expect(createApiKey(db(), actor, { name: "Nope" })).rejects.toMatchObject({ code: "forbidden" });
      await expect(revokeApiKey(db(), actor, { keyId: key.id })).rejects.toMatchObject({ code: "forbidden" });
    }
    await expect(createApiKey(db(), m.ownerActor, { name: " " })).rejects.toMatchObject({ code: "validation_failed", fields: { name: expect.any(Array) } });

    await revokeApiKey(db(), m.ownerActor, { keyId: key.id });
    await expect(revokeApiKey(db(), m.ownerActor, { keyId: key.id })).rejects.toMatchObject({ code: "conflict" });
    const listed = await listApiKeys(db(), m.merchant.id);
    expect(listed).toHaveLength(1);
    expect(listed[0]!.revokedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const audit = await db().select().from(auditLog).where(eq(auditLog.targetId, key.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["api_key.created", "api_key.revoked"]);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it("a key has full access unless made read-only or support; never owner; the choice is listed and audit-logged", async () => {
    const m = await makeMerchant(db());
    const full = await createApiKey(db(), m.ownerActor, { name: "Orders" });
    const reader = await createApiKey(db(), m.ownerActor, { name: "Reporting", role: "viewer" });
    expect([full.key.role, reader.key.role]).toEqual(["admin", "viewer"]);
    expect((await listApiKeys(db(), m.merchant.id)).map((k) => [k.name, k.role])).toEqual([
      ["Reporting", "viewer"],
      ["Orders", "admin"],
    ]);
    const [created] = await db().select().from(auditLog).where(eq(auditLog.targetId, reader.key.id));
    expect(created!.after).toMatchObject({ name: "Reporting", role: "viewer" });
    await expect(createApiKey(db(), m.ownerActor, { name: "Boss", role: "owner" as never })).rejects.toMatchObject({
      code: "validation_failed",
      fields: { role: ["Choose full access, support or read only."] },
    });
  });

  it("another merchant's key cannot be revoked", async () => {
    const a = await makeMerchant(db());
    const b = await makeMerchant(db());
    const { key } = await createApiKey(db(), b.ownerActor, { name: "B" });
    await expect(revokeApiKey(db(), a.ownerActor, { keyId: key.id })).rejects.toMatchObject({ code: "not_found" });
  });
});
