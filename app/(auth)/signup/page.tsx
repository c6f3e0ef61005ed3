import Link from "next/link";
import { SignupForm } from "@/components/auth/signup-form";
import { getDb } from "@/db/client";
import { findPendingInvite } from "@/lib/team/invites";
import { safeCallback } from "@/lib/auth/callback";

export const metadata = { title: "Create an account" };

export default async function SignupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const params = await searchParams;
  const token = typeof params.invite === "string" ? params.invite : undefined;
  const found = token ? await findPendingInvite(await getDb(), token) : undefined;
  const invite = found && token ? { token, email: found.invite.email, merchantName: found.merchantName } : undefined;
  const callbackUrl = safeCallback(params.callbackUrl);
  return (
    <>
      <h1 className="text-xl font-semibold text-strong">{invite ? `Join ${invite.merchantName}` : "Create your Settle account"}</h1>
      <p className="mt-1 mb-6 text-sm text-subtle">
        {invite ? `You were invited as ${found?.invite.role}.` : "Create invoices and get paid, with every change sent to your systems."}
      </p>
      <SignupForm invite={invite} callbackUrl={callbackUrl} />
      <p className="mt-6 text-center text-sm text-muted">
        Already have an account?{" "}
        <Link href={`/login${token ? `?callbackUrl=${encodeURIComponent(`/invite/${token}`)}` : ""}`} className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
          Sign in
        </Link>
      </p>
    </>
  );
}
