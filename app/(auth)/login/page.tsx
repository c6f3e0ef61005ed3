import Link from "next/link";
import { LoginForm } from "@/components/auth/login-form";
import { safeCallback } from "@/lib/auth/callback";
import { oauthProviders } from "@/lib/auth/options";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  const email = typeof params.email === "string" ? params.email : undefined;
  return (
    <>
      <h1 className="text-xl font-semibold text-strong">Sign in to Settle</h1>
      <p className="mt-1 mb-6 text-sm text-subtle">Welcome back. Enter your email and password.</p>
      <LoginForm callbackUrl={callbackUrl} email={email} oauth={oauthProviders()} />
      <p className="mt-6 text-center text-sm text-muted">
        New to Settle?{" "}
        <Link href={`/signup${callbackUrl !== "/dashboard" ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`} className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
          Create an account
        </Link>
      </p>
    </>
  );
}
