import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invites, memberships, merchants, users } from "@/db/schema";
import { transaction } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { fieldError, forbidden, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { sendMail } from "@/lib/mail/mailer";
import { inviteMail } from "@/lib/mail/messages";
import { roleLabels } from "@/lib/auth/roles";
import { lockMerchant } from "./lock";
import { inviteSchema, revokeInviteSchema } from "./schemas";

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * A one-time link for `email` to join with `role`; the token comes back once
 * (the page shows the link to copy), only its hash is kept. The link is also
 * mailed to the invitee, after COMMIT; `mail` says whether it went (`off`:
 * mail is not configured, the copied link is the only way).
 */
export const createInvite = defineCommand({
  name: "team.member.invite",
  permission: "team.manage",
  input: inviteSchema,
  async run({ tx, actor, merchantId, accountId }, input) {
    if (input.role === "owner" && actor.role !== "owner") throw forbidden("Only an owner can invite another owner.");
    await lockMerchant(tx, accountId);
    const [existing] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.merchantId, accountId), eq(sql`lower(${users.email})`, input.email)));
    if (existing) throw fieldError("email", "This person is already a member.");
    const token = randomBytes(24).toString("base64url");
    const [invite] = await tx
      .insert(invites)
      .values({
        id: newId("ivt"),
        merchantId: accountId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: actor.userId,
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
      })
      .returning();
    await writeAudit(tx, {
      merchantId: accountId,
      actorUserId: actor.userId,
      action: "member.invited",
      targetType: "invite",
      targetId: invite!.id,
      after: { email: input.email, role: input.role },
    });
    const [names] = await tx
      .select({ merchantName: merchants.name, inviterName: users.name })
      .from(merchants)
      .innerJoin(users, eq(users.id, actor.userId))
      .where(eq(merchants.id, accountId));
    const mail = await sendMail(tx, (origin) =>
      inviteMail(input.email, `${origin}/invite/${token}`, {
        merchantName: names?.merchantName ?? "a merchant",
        inviterName: names?.inviterName ?? "A teammate",
        role: roleLabels[input.role],
      }),
    );
    return { invite: invite!, token, mail };
  },
});

/** A pending invite by its token, or undefined when it is unknown, used, revoked or expired. */
export async function findPendingInvite(db: Database, token: string, now = new Date()) {
  const [row] = await db
    .select({ invite: invites, merchantName: merchants.name })
    .from(invites)
    .innerJoin(merchants, eq(merchants.id, invites.merchantId))
    .where(
      and(
        eq(invites.tokenHash, hashToken(token)),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, now),
      ),
    );
  return row;
}

export async function acceptInvite(db: Database, input: { token: string; userId: string; email: string }) {
  const found = await findPendingInvite(db, input.token);
  if (!found) throw notFound("This invite link is invalid, used or expired.");
  const { invite } = found;
  if (invite.email.toLowerCase() !== input.email.toLowerCase()) {
    throw forbidden(`This invite was sent to ${invite.email}. Sign in with that email to accept it.`);
  }
  const run = async (tx: Database) => {
    await lockMerchant(tx, invite.merchantId);
    const [claimed] = await tx
      .update(invites)
      .set({ acceptedAt: new Date(), acceptedBy: input.userId })
      .where(and(eq(invites.id, invite.id), isNull(invites.acceptedAt)))
      .returning({ id: invites.id });
    if (!claimed) throw notFound("This invite link is invalid, used or expired.");
    const [membership] = await tx
      .insert(memberships)
      .values({ id: newId("mem"), merchantId: invite.merchantId, userId: input.userId, role: invite.role })
      .onConflictDoNothing()
      .returning();
    await writeAudit(tx, {
      merchantId: invite.merchantId,
      actorUserId: input.userId,
      action: "member.joined",
      targetType: "membership",
      targetId: membership?.id ?? invite.id,
      after: { email: input.email, role: invite.role },
    });
    return { merchantId: invite.merchantId, role: invite.role };
  };
  return transaction(db, run);
}

export const revokeInvite = defineCommand({
  name: "team.invite.revoke",
  permission: "team.manage",
  input: revokeInviteSchema,
  async run({ tx, actor, merchantId, accountId }, { inviteId }) {
    const [invite] = await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(and(eq(invites.id, inviteId), eq(invites.merchantId, accountId), isNull(invites.acceptedAt)))
      .returning();
    if (!invite) throw notFound("Invite not found.");
    await writeAudit(tx, {
      merchantId: accountId,
      actorUserId: actor.userId,
      action: "invite.revoked",
      targetType: "invite",
      targetId: invite.id,
      before: { email: invite.email, role: invite.role },
    });
  },
});

export async function listPendingInvites(db: Database, merchantId: string, now = new Date()) {
  return db
    .select({ id: invites.id, email: invites.email, role: invites.role, expiresAt: invites.expiresAt })
    .from(invites)
    .where(
      and(eq(invites.merchantId, merchantId), isNull(invites.acceptedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)),
    )
    .orderBy(desc(invites.createdAt));
}
