import { InviteForm } from "@/components/team/invite-form";
import { MemberActions, RevokeInvite } from "@/components/team/member-actions";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { liveKeyCountsByMaker } from "@/lib/api-keys/keys";
import { type Role, can, roleLabels, roles } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format/time";
import { mailMode } from "@/lib/mail/mailer";
import { listPendingInvites } from "@/lib/team/invites";
import { listMembers } from "@/lib/team/members";

export const metadata = { title: "Team" };

const roleTone = { owner: "purple", admin: "blue", support: "green", viewer: "gray" } as const;

export default async function TeamPage() {
  const actor = await requireActor();
  const db = await getDb();
  const manage = can(actor.role, "team.manage");
  const [members, invites, keyCounts] = await Promise.all([
    listMembers(db, actor.accountId),
    listPendingInvites(db, actor.accountId),
    manage ? liveKeyCountsByMaker(db, actor.accountId) : new Map<string, number>(),
  ]);
  const assignable: Role[] = actor.role === "owner" ? [...roles] : roles.filter((r) => r !== "owner");

  return (
    <div className="space-y-6">
      {manage ? (
        <Card>
          <CardHeader
            title="Invite a teammate"
            description={
              mailMode() === "off"
                ? "Mail is not configured on this server: you get a one-time link to send yourself."
                : "We email them a one-time link, and show it to you to copy as well."
            }
          />
          <InviteForm assignable={assignable} />
        </Card>
      ) : null}

      <Card>
        <CardHeader title="Members" description={manage ? "Change roles or remove access. A merchant always keeps one owner." : "Only owners and admins can manage the team."} />
        <ul className="divide-y divide-line-soft" aria-label="Members">
          {members.map((m) => (
            <li key={m.membershipId} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-strong">
                  {m.name} {m.userId === actor.userId ? <span className="text-subtle">(you)</span> : null}
                </p>
                <p className="truncate text-sm text-subtle">{m.email}</p>
              </div>
              {manage && (m.role !== "owner" || actor.role === "owner") ? (
                <MemberActions
                  membershipId={m.membershipId}
                  email={m.email}
                  role={m.role}
                  assignable={assignable}
                  liveKeys={keyCounts.get(m.userId) ?? 0}
                />
              ) : (
                <Badge tone={roleTone[m.role]}>{roleLabels[m.role]}</Badge>
              )}
            </li>
          ))}
        </ul>
      </Card>

      {invites.length ? (
        <Card>
          <CardHeader title="Pending invites" />
          <ul className="divide-y divide-line-soft" aria-label="Pending invites">
            {invites.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
                <div>
                  <p className="text-sm font-medium text-strong">{i.email}</p>
                  <p className="text-sm text-subtle">
                    {roleLabels[i.role]} · expires {formatDateTime(i.expiresAt)}
                  </p>
                </div>
                {manage ? <RevokeInvite inviteId={i.id} email={i.email} /> : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
