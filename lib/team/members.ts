import { and, asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { revokeKeysMadeBy } from "@/lib/api-keys/keys";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { lockMerchant } from "./lock";
import { changeRoleSchema, removeMemberSchema } from "./schemas";

export async function listMembers(db: Database, merchantId: string) {
  return db
    .select({
      membershipId: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.merchantId, merchantId))
    .orderBy(asc(memberships.createdAt));
}

async function lockedMembership(tx: Database, merchantId: string, membershipId: string) {
  await lockMerchant(tx, merchantId);
  const [row] = await tx
    .select({ id: memberships.id, role: memberships.role, userId: memberships.userId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.merchantId, merchantId)));
  if (!row) throw notFound("Member not found.");
  return row;
}

async function assertOwnerRemains(tx: Database, merchantId: string) {
  const owners = await tx.$count(memberships, and(eq(memberships.merchantId, merchantId), eq(memberships.role, "owner")));
  if (owners < 1) {
    throw new AppError("conflict", "A merchant needs at least one owner. Make someone else an owner first.");
  }
}

export const changeRole = defineCommand({
  name: "team.member.change_role",
  permission: "team.manage",
  input: changeRoleSchema,
  async run({ tx, actor, merchantId, accountId }, input) {
    const target = await lockedMembership(tx, accountId, input.membershipId);
    if ((target.role === "owner" || input.role === "owner") && actor.role !== "owner") {
      throw forbidden("Only an owner can grant or change the owner role.");
    }
    if (target.role === input.role) return { ...target, revokedKeys: 0 };
    await tx.update(memberships).set({ role: input.role }).where(eq(memberships.id, target.id));
    // A key never does more than its maker may: keys above the new role are revoked (support and viewers make no keys).
    const revokedKeys = await revokeKeysMadeBy(tx, {
      accountId,
      actorUserId: actor.userId,
      makerUserId: target.userId,
      reason: `maker's role lowered to ${input.role}`,
      within: input.role,
    });
    await assertOwnerRemains(tx, accountId);
    await writeAudit(tx, {
      merchantId: accountId,
      actorUserId: actor.userId,
      action: "member.role_changed",
      targetType: "membership",
      targetId: target.id,
      before: { email: target.email, role: target.role },
      after: { email: target.email, role: input.role },
    });
    return { ...target, role: input.role, revokedKeys: revokedKeys.length };
  },
});

export const removeMember = defineCommand({
  name: "team.member.remove",
  permission: "team.manage",
  input: removeMemberSchema,
  async run({ tx, actor, merchantId, accountId }, input) {
    const target = await lockedMembership(tx, accountId, input.membershipId);
    if (target.role === "owner" && actor.role !== "owner") throw forbidden("Only an owner can remove an owner.");
    await tx.delete(memberships).where(eq(memberships.id, target.id));
    // No key outlives its maker's membership: in this transaction, so a refused removal revokes nothing.
    const revokedKeys = await revokeKeysMadeBy(tx, { accountId, actorUserId: actor.userId, makerUserId: target.userId, reason: "maker removed" });
    await assertOwnerRemains(tx, accountId);
    await writeAudit(tx, {
      merchantId: accountId,
      actorUserId: actor.userId,
      action: "member.removed",
      targetType: "membership",
      targetId: target.id,
      before: { email: target.email, role: target.role },
      after: { revokedKeys: revokedKeys.length },
    });
    return { revokedKeys: revokedKeys.length };
  },
});
