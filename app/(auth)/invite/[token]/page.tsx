import Link from "next/link";
import { AcceptInvite } from "@/components/team/accept-invite";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { buttonClass } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { roleLabels } from "@/lib/auth/roles";
import { getViewer } from "@/lib/auth/session";
import { findPendingInvite } from "@/lib/team/invites";

export const metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [found, viewer] = await Promise.all([findPendingInvite(await getDb(), token), getViewer()]);
  let body: React.ReactNode;
  if (!found) {
    body = (
      <>
        <h1 className="text-xl font-semibold">This invite link no longer works</h1>
        <p className="mt-2 text-sm text-muted">It is invalid, was already used, was revoked or has expired. Ask for a new one.</p>
      </>
    );
  } else {
    const { invite, merchantName } = found;
    const intro = (
      <>
        <h1 className="text-xl font-semibold">Join {merchantName}</h1>
        <p className="mt-2 mb-6 text-sm text-muted">
          You were invited as <strong>{roleLabels[invite.role]}</strong> ({invite.email}).
        </p>
      </>
    );
    if (!viewer) {
      body = (
        <>
          {intro}
          <div className="space-y-3">
            <Link href={`/signup?invite=${encodeURIComponent(token)}`} className={buttonClass("primary", "md", "w-full")}>
              Create an account and join
            </Link>
            <Link
              href={`/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}&email=${encodeURIComponent(invite.email)}`}
              className={buttonClass("secondary", "md", "w-full")}
            >
              I already have an account
            </Link>
          </div>
        </>
      );
    } else if (viewer.user.email.toLowerCase() !== invite.email.toLowerCase()) {
      body = (
        <>
          {intro}
          <p className="mb-4 text-sm text-muted">You are signed in as {viewer.user.email}. Sign out and sign in as {invite.email} to accept.</p>
          <SignOutButton callbackUrl={`/invite/${token}`} />
        </>
      );
    } else {
      body = (
        <>
          {intro}
          <AcceptInvite token={token} merchantName={merchantName} />
        </>
      );
    }
  }
  return body;
}
