import { redirect } from "next/navigation";
import { ChangePasswordForm } from "@/components/settings/change-password-form";
import { SignOutEverywhere } from "@/components/settings/sign-out-everywhere";
import { Card, CardHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { NO_PASSWORD } from "@/lib/accounts/password-change";
import { liveSessionCount } from "@/lib/accounts/sessions";
import { hasPassword } from "@/lib/accounts/users";
import { getViewer } from "@/lib/auth/session";

export const metadata = { title: "Your account" };

/** The signed-in person's own account: the same in every merchant they belong to. */
export default async function AccountPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  const db = await getDb();
  const [withPassword, sessions] = await Promise.all([hasPassword(db, viewer.user.id), liveSessionCount(db, viewer.user.id)]);
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Your account" description="Yours in every merchant you belong to; nobody else on your team sees or changes it." />
        <dl className="grid max-w-md grid-cols-[auto_1fr] gap-x-6 gap-y-2 p-5 text-sm">
          <dt className="text-subtle">Name</dt>
          <dd className="text-strong">{viewer.user.name}</dd>
          <dt className="text-subtle">Email</dt>
          <dd className="break-all text-strong">{viewer.user.email}</dd>
        </dl>
      </Card>
      <Card>
        <CardHeader title="Change password" description="Every other browser signed in as you is signed out; this one stays signed in." />
        {withPassword ? <ChangePasswordForm email={viewer.user.email} /> : <p className="p-5 text-sm text-muted">{NO_PASSWORD}</p>}
      </Card>
      <Card>
        <CardHeader title="Sessions" description={sessions === 1 ? "You are signed in on this browser only." : `You are signed in on ${sessions} browsers, this one included.`} />
        <SignOutEverywhere />
      </Card>
    </div>
  );
}
