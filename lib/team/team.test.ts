import { and, eq } from "drizzle-orm";
import { listAudit } from "@/lib/audit";
import { describe, expect, it } from "vitest";
import { auditLog, memberships } from "@/db/schema";
import { type Role, roles } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { makeMerchant, makeUser } from "@/test/factories";
import { useTestDb } from "@/test/db";
import { acceptInvite, createInvite, findPendingInvite, INVITE_TTL_MS } from "./invites";
import { changeRole, removeMember } from "./members";

const { db } = useTestDb();

const errorCode = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof AppError ? e.code : `unexpected: ${String(e)}`),
  );

const managers: Role[] = ["owner", "admin"];

describe("role matrix: who may invite, change roles and remove members", () => {
  for (const role of roles) {
    const allowed = managers.includes(role);

    it(`${role} ${allowed ? "can" : "cannot"} invite a support member`, async () => {
      const m = await makeMerchant(db());
      const actor = role === "owner" ? m.ownerActor : (await m.addMember(role)).actor;
      const result = await errorCode(createInvite(db(), actor, { email: `new-${role}@example.test`, role: "support" }));
      expect(result).toBe(allowed ? "ok" : "forbidden");
      const written = await db().$count(auditLog, and(eq(auditLog.merchantId, m.account.id), eq(auditLog.action, "member.invited")));
      expect(written).toBe(allowed ? 1 : 0);
    });

    it(`${role} ${allowed ? "can" : "cannot"} change a viewer to support`, async () => {
      const m = await makeMerchant(db());
      const actor = role === "owner" ? m.ownerActor : (await m.addMember(role)).actor;
      const target = await m.addMember("viewer");
      const result = await errorCode(changeRole(db(), actor, { membershipId: target.membershipId, role: "support" }));
      expect(result).toBe(allowed ? "ok" : "forbidden");
      const [row] = await db().select().from(memberships).where(eq(memberships.id, target.membershipId));
      expect(row?.role).toBe(allowed ? "support" : "viewer");
    });

    it(`${role} ${allowed ? "can" : "cannot"} remove a viewer`, async () => {
      const m = await makeMerchant(db());
      const actor = role === "owner" ? m.ownerActor : (await m.addMember(role)).actor;
      const target = await m.addMember("viewer");
      const result = await errorCode(removeMember(db(), actor, { membershipId: target.membershipId }));
      expect(result).toBe(allowed ? "ok" : "forbidden");
      expect(await db().$count(memberships, eq(memberships.id, target.membershipId))).toBe(allowed ? 0 : 1);
    });
  }

  it("an admin cannot grant the owner role, demote an owner or remove one", async () => {
    const m = await makeMerchant(db());
    const admin = (await m.addMember("admin")).actor;
    const viewer = await m.addMember("viewer");
    const ownerMembership = (await db().select().from(memberships).where(eq(memberships.userId, m.owner.id)))[0]!;
    expect(await errorCode(createInvite(db(), admin, { email: "boss@example.test", role: "owner" }))).toBe("forbidden");
    expect(await errorCode(changeRole(db(), admin, { membershipId: viewer.membershipId, role: "owner" }))).toBe("forbidden");
    expect(await errorCode(changeRole(db(), admin, { membershipId: ownerMembership.id, role: "viewer" }))).toBe("forbidden");
    expect(await errorCode(removeMember(db(), admin, { membershipId: ownerMembership.id }))).toBe("forbidden");
  });

  it("the last owner can be neither demoted nor removed; with a second owner they can", async () => {
    const m = await makeMerchant(db());
    const [own] = await db().select().from(memberships).where(eq(memberships.userId, m.owner.id));
    expect(await errorCode(changeRole(db(), m.ownerActor, { membershipId: own!.id, role: "admin" }))).toBe("conflict");
    expect(await errorCode(removeMember(db(), m.ownerActor, { membershipId: own!.id }))).toBe("conflict");
    const [still] = await db().select().from(memberships).where(eq(memberships.id, own!.id));
    expect(still?.role).toBe("owner");

    const second = await m.addMember("owner");
    expect(await errorCode(changeRole(db(), second.actor, { membershipId: own!.id, role: "admin" }))).toBe("ok");
  });

  it("acting on another merchant's member is refused as not found", async () => {
    const a = await makeMerchant(db(), "A");
    const b = await makeMerchant(db(), "B");
    const bViewer = await b.addMember("viewer");
    expect(await errorCode(changeRole(db(), a.ownerActor, { membershipId: bViewer.membershipId, role: "admin" }))).toBe("not_found");
    expect(await errorCode(removeMember(db(), a.ownerActor, { membershipId: bViewer.membershipId }))).toBe("not_found");
    const [row] = await db().select().from(memberships).where(eq(memberships.id, bViewer.membershipId));
    expect(row?.role).toBe("viewer");
  });
});

describe("invites", () => {
  it("a one-time link joins the invited email with the invited role, and is audit-logged", async () => {
    const m = await makeMerchant(db());
    const invitee = await makeUser(db(), "Sam Support");
    const { token } = await createInvite(db(), m.ownerActor, { email: invitee.email, role: "support" });
    const joined = await acceptInvite(db(), { token, userId: invitee.id, email: invitee.email });
    expect(joined).toEqual({ merchantId: m.account.id, role: "support" });
    const [row] = await db().select().from(memberships).where(and(eq(memberships.userId, invitee.id), eq(memberships.merchantId, m.account.id)));
    expect(row?.role).toBe("support");
    expect(await errorCode(acceptInvite(db(), { token, userId: invitee.id, email: invitee.email }))).toBe("not_found");
    // Team changes are the account's: in its live log, and listed in both modes.
    const actions = (await db().select().from(auditLog).where(eq(auditLog.merchantId, m.account.id))).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["member.invited", "member.joined"]));
    for (const merchantId of [m.account.id, m.merchant.id]) {
      expect((await listAudit(db(), { merchantId, accountId: m.account.id })).map((r) => r.action)).toEqual(expect.arrayContaining(["member.invited", "member.joined"]));
    }
  });

  it("refuses a different email, and expires after 7 days", async () => {
    const m = await makeMerchant(db());
    const other = await makeUser(db());
    const { token } = await createInvite(db(), m.ownerActor, { email: "someone@example.test", role: "viewer" });
    expect(await errorCode(acceptInvite(db(), { token, userId: other.id, email: other.email }))).toBe("forbidden");
    expect(await findPendingInvite(db(), token, new Date(Date.now() + INVITE_TTL_MS - 60_000))).toBeDefined();
    expect(await findPendingInvite(db(), token, new Date(Date.now() + INVITE_TTL_MS + 60_000))).toBeUndefined();
  });

  it("does not invite someone who is already a member", async () => {
    const m = await makeMerchant(db());
    const viewer = await m.addMember("viewer");
    const result = createInvite(db(), m.ownerActor, { email: viewer.user.email, role: "admin" });
    await expect(result).rejects.toMatchObject({ code: "validation_failed", fields: { email: ["This person is already a member."] } });
  });
});
