import Link from "next/link";
import { LoginForm } from "@/components/auth/login-form";
import { safeCallback } from "@/lib/auth/callback";
import { oauthProviders } from "@/lib/auth/options";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  const email = typeof params.email === "string" ? params.email : undefined;
  const reset = params.reset === "1";
  return (
    <>
      <h1 className="text-xl font-semibold text-strong">Sign in to Settle</h1>
      <p className="mt-1 mb-6 text-sm text-subtle">Welcome back. Enter your email and password.</p>
      {reset ? (
        <p role="status" className="mb-4 rounded-md bg-brand-50 p-3 text-sm text-slate-800 ring-1 ring-inset ring-brand-100 dark:bg-brand-950/60 dark:text-slate-200 dark:ring-brand-900">
          Your password was changed and you were signed out everywhere. Sign in with the new password.
        </p>
      ) : null}
      <LoginForm callbackUrl={callbackUrl} email={email} oauth={oauthProviders()} />
      <p className="mt-4 text-center text-sm">
        <Link href={`/forgot-password${email ? `?email=${encodeURIComponent(email)}` : ""}`} className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
          Forgot password?
        </Link>
      </p>
      <p className="mt-6 text-center text-sm text-muted">
        New to Settle?{" "}
        <Link href={`/signup${callbackUrl !== "/dashboard" ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`} className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
          Create an account
        </Link>
      </p>
    </>
  );
}
