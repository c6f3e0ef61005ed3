import Link from "next/link";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { mailMode } from "@/lib/mail/mailer";

export const metadata = { title: "Forgot password" };
export const dynamic = "force-dynamic";

export default async function ForgotPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const params = await searchParams;
  const email = typeof params.email === "string" ? params.email : undefined;
  const off = mailMode() === "off";
  return (
    <>
      <h1 className="text-xl font-semibold text-strong">Forgot your password?</h1>
      {off ? (
        <p className="mt-2 text-sm text-muted" role="status">
          Mail is not configured on this server, so we cannot send you a reset link. Ask whoever runs Settle to set it up
          (SMTP_URL).
        </p>
      ) : (
        <>
          <p className="mt-1 mb-6 text-sm text-subtle">Enter the email you sign in with. We will send you a link to choose a new one.</p>
          <ForgotPasswordForm email={email} />
        </>
      )}
      <p className="mt-6 text-center text-sm text-muted">
        <Link href="/login" className="font-medium text-brand-700 hover:underline dark:text-brand-400">
          Back to sign in
        </Link>
      </p>
    </>
  );
}
