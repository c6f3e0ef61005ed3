import "server-only";
import { encode } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import type { Database } from "@/db/client";
import { SESSION_MAX_AGE_S, startSession } from "@/lib/accounts/sessions";
import { authSecret } from "@/lib/env";
import { wantsSecureCookies } from "@/lib/security-headers";

/**
 * The session cookie's name as getToken (proxy.ts, getViewer) looks for it:
 * `__Secure-` exactly when next-auth's own sign-in would use it.
 */
export function sessionCookieName(): string {
  const secure = process.env.NEXTAUTH_URL?.startsWith("https://") ?? !!process.env.VERCEL;
  return secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/**
 * Signs a user in from a server action (the sign-in and sign-up forms, which
 * must work without JavaScript): the same session row and the same JWT
 * next-auth's credentials callback makes (options.ts `jwt`), in the cookie it
 * would set. The caller has checked the password.
 */
export async function signInAs(db: Database, user: { id: string; email: string; name: string }): Promise<void> {
  const sid = await startSession(db, user.id);
  const token = await encode({ token: { sub: user.id, email: user.email, name: user.name, sid }, secret: authSecret(), maxAge: SESSION_MAX_AGE_S });
  const name = sessionCookieName();
  const secure =
    name.startsWith("__Secure-") ||
    wantsSecureCookies({
      configuredUrl: process.env.NEXTAUTH_URL || undefined,
      production: process.env.NODE_ENV === "production",
      forwardedProto: (await headers()).get("x-forwarded-proto"),
    });
  (await cookies()).set(name, token, { path: "/", sameSite: "lax", httpOnly: true, secure, maxAge: SESSION_MAX_AGE_S });
}
