import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import { apiKeys, auditLog, memberships } from "@/db/schema";
import { liveKeyCountsByMaker, revokeApiKey } from "@/lib/api-keys/keys";
import { AppError } from "@/lib/errors";
import { call, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { changeRole, removeMember } from "./members";

const { db } = useApiTestDb();

const live = async (keyId: string) => (await db().select().from(apiKeys).where(eq(apiKeys.id, keyId)))[0]!.revokedAt === null;
const revokedAudit = (keyId: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, keyId), eq(auditLog.action, "api_key.revoked")));

describe("API keys do not outlive their maker's access", () => {
  it("removing a member revokes every live key they made for this merchant, one audit entry each", async () => {
    const m = await makeMerchant(db());
    const admin = await m.addMember("admin");
    const orders = await makeApiKey(db(), admin.actor, "Orders");
    const reports = await makeApiKey(db(), admin.actor, "Reports", "viewer");
    const old = await makeApiKey(db(), admin.actor, "Old");
    await revokeApiKey(db(), admin.actor, { keyId: old.keyId });
    const owners = await makeApiKey(db(), m.ownerActor, "Owner's");
    // The same person at another merchant keeps their keys there.
    const other = await makeMerchant(db(), "Other");
    await db().insert(memberships).values({ id: "mem_other_admin", merchantId: other.merchant.id, userId: admin.user.id, role: "admin" });
    const elsewhere = await makeApiKey(db(), { ...admin.actor, merchantId: other.merchant.id }, "Elsewhere");

    expect((await liveKeyCountsByMaker(db(), m.merchant.id)).get(admin.user.id)).toBe(2);
    expect(await removeMember(db(), m.ownerActor, { membershipId: admin.membershipId })).toEqual({ revokedKeys: 2 });

    expect([await live(orders.keyId), await live(reports.keyId)]).toEqual([false, false]);
    expect([await live(owners.keyId), await live(elsewhere.keyId)]).toEqual([true, true]);
    expect((await liveKeyCountsByMaker(db(), m.merchant.id)).get(admin.user.id)).toBeUndefined();
    for (const key of [orders, reports]) {
      const entries = await revokedAudit(key.keyId);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ merchantId: m.merchant.id, actorUserId: m.owner.id, after: { revoked: true, reason: "maker removed" } });
    }
    // The key revoked before keeps its one entry and its first revoker.
    expect(await revokedAudit(old.keyId)).toHaveLength(1);
    const [oldRow] = await db().select().from(apiKeys).where(eq(apiKeys.id, old.keyId));
    expect(oldRow!.revokedBy).toBe(admin.user.id);
  });

  it("a removed member's key is refused with 401 revoked_key on its very next request", async () => {
    const m = await makeMerchant(db());
    const admin = await m.addMember("admin");
    const key = await makeApiKey(db(), admin.actor, "Integration");
    // The handlers now remember the key; only the database learns of the removal, as on another instance.
    expect((await call(invoicesRoute.GET, "/invoices", key, { auth: "bearer" })).status).toBe(200);
    await removeMember(db(), m.ownerActor, { membershipId: admin.membershipId });
    for (const auth of ["signed", "bearer"] as const) {
      const res = await call(invoicesRoute.GET, "/invoices", key, { auth });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe("revoked_key");
    }
  });

  it("a refused removal revokes nothing (same transaction)", async () => {
    const m = await makeMerchant(db());
    const key = await makeApiKey(db(), m.ownerActor, "Owner's");
    const [own] = await db().select().from(memberships).where(eq(memberships.userId, m.owner.id));
    // The last owner cannot be removed: the check runs after the keys were revoked, and rolls them back.
    await expect(removeMember(db(), m.ownerActor, { membershipId: own!.id })).rejects.toBeInstanceOf(AppError);
    expect(await live(key.keyId)).toBe(true);
    expect(await revokedAudit(key.keyId)).toHaveLength(0);
  });

  it("a key cannot be made by someone removed or lowered meanwhile (an actor read before the change)", async () => {
    const m = await makeMerchant(db());
    const admin = await m.addMember("admin");
    const lowered = await m.addMember("admin");
    await removeMember(db(), m.ownerActor, { membershipId: admin.membershipId });
    await changeRole(db(), m.ownerActor, { membershipId: lowered.membershipId, role: "viewer" });
    for (const stale of [admin.actor, lowered.actor]) {
      await expect(makeApiKey(db(), stale, "Late")).rejects.toMatchObject({ code: "forbidden" });
    }
    expect(await db().$count(apiKeys, eq(apiKeys.merchantId, m.merchant.id))).toBe(0);
  });

  it("lowering a maker's role revokes their keys above the new role; the rest keep working", async () => {
    const m = await makeMerchant(db());
    const admin = await m.addMember("admin");
    const full = await makeApiKey(db(), admin.actor, "Full", "admin");
    const support = await makeApiKey(db(), admin.actor, "Support", "support");
    const viewer = await makeApiKey(db(), admin.actor, "Viewer", "viewer");
    expect((await call(invoicesRoute.GET, "/invoices", full, { auth: "bearer" })).status).toBe(200);

    expect(await changeRole(db(), m.ownerActor, { membershipId: admin.membershipId, role: "support" })).toMatchObject({ revokedKeys: 1 });
    expect([await live(full.keyId), await live(support.keyId), await live(viewer.keyId)]).toEqual([false, true, true]);
    expect((await revokedAudit(full.keyId))[0]).toMatchObject({ after: { revoked: true, reason: "maker's role lowered to support" } });
    const refused = await call(invoicesRoute.GET, "/invoices", full, { auth: "bearer" });
    expect([refused.status, refused.json.error.code]).toEqual([401, "revoked_key"]);
    expect((await call(invoicesRoute.GET, "/invoices", viewer, { auth: "bearer" })).status).toBe(200);

    await changeRole(db(), m.ownerActor, { membershipId: admin.membershipId, role: "viewer" });
    expect([await live(support.keyId), await live(viewer.keyId)]).toEqual([false, true]);
    // Raising the role again brings no key back.
    expect(await changeRole(db(), m.ownerActor, { membershipId: admin.membershipId, role: "admin" })).toMatchObject({ revokedKeys: 0 });
    expect(await db().$count(apiKeys, and(eq(apiKeys.createdBy, admin.user.id), isNull(apiKeys.revokedAt)))).toBe(1);
  });

  it("an owner lowered to admin keeps their keys: no key has more than admin access", async () => {
    const m = await makeMerchant(db());
    const second = await m.addMember("owner");
    const key = await makeApiKey(db(), m.ownerActor, "Owner's");
    const [own] = await db().select().from(memberships).where(eq(memberships.userId, m.owner.id));
    expect(await changeRole(db(), second.actor, { membershipId: own!.id, role: "admin" })).toMatchObject({ revokedKeys: 0 });
    expect(await live(key.keyId)).toBe(true);
  });
});
