import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { getDb } from "@/db/client";
import { findResetLink } from "@/lib/accounts/password-reset";

export const metadata = { title: "Choose a new password", referrer: "no-referrer" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await findResetLink(await getDb(), token);
  if (!link) {
    return (
      <>
        <h1 className="text-xl font-semibold text-strong">This reset link no longer works</h1>
        <p className="mt-2 text-sm text-muted">It is invalid, was already used or has expired: a link works once, for 30 minutes.</p>
        <p className="mt-6 text-center text-sm">
          <Link href="/forgot-password" className="font-medium text-brand-700 hover:underline dark:text-brand-400">
            Ask for a new link
          </Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1 className="text-xl font-semibold text-strong">Choose a new password</h1>
      <p className="mt-1 mb-6 text-sm text-subtle">
        For {link.email}. Saving it signs you out on every device; then sign in with the new password.
      </p>
      <ResetPasswordForm token={token} email={link.email} />
    </>
  );
}
