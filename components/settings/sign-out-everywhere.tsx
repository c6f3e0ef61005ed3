"use client";

import { signOut } from "next-auth/react";
import { signOutEverywhereAction } from "@/app/(dashboard)/settings/account/actions";
import { ConfirmButton } from "@/components/ui/confirm-dialog";

/** Ends every session of this person, this browser's too, then clears this browser's cookie. */
export function SignOutEverywhere() {
  return (
    <div className="space-y-3 p-5">
      <p className="max-w-prose text-sm text-muted">
        Lost a device, or signed in on a computer that is not yours? Every browser signed in as you is signed out at once, this one too.
      </p>
      <ConfirmButton
        variant="secondary"
        confirm={{
          title: "Sign out everywhere?",
          body: "Every browser signed in as you is signed out at once, this one too. You will need your password to sign in again.",
          confirmLabel: "Sign out everywhere",
        }}
        run={() => signOutEverywhereAction(null, {})}
        success={({ endedSessions }) => (endedSessions === 1 ? "Signed out" : `Signed out of ${endedSessions} sessions`)}
        onDone={() => void signOut({ callbackUrl: "/login" })}
        pendingLabel="Signing out…"
      >
        Sign out everywhere
      </ConfirmButton>
    </div>
  );
}
