import "server-only";
import { getToken } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { getDb } from "@/db/client";
import { liveSessionUser } from "@/lib/accounts/sessions";
import { type MembershipSummary, membershipsOf } from "@/lib/accounts/users";
import { authSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { wantsSecureCookies } from "@/lib/security-headers";
import { actorOf } from "./actor";
import type { Actor } from "./roles";

export const CURRENT_MERCHANT_COOKIE = "settle_merchant";

/** Whether this app's own cookies must be `Secure`: whenever it is served over https. */
async function secureCookies(): Promise<boolean> {
  return wantsSecureCookies({
    // next-auth reads NEXTAUTH_URL from the environment itself; the same URL decides here.
    configuredUrl: process.env.NEXTAUTH_URL || undefined,
    production: process.env.NODE_ENV === "production",
    forwardedProto: (await headers()).get("x-forwarded-proto"),
  });
}

/** Makes a merchant the current one (the caller has checked the membership). */
export async function setCurrentMerchant(merchantId: string) {
  const secure = await secureCookies();
  (await cookies()).set(CURRENT_MERCHANT_COOKIE, merchantId, { path: "/", sameSite: "lax", httpOnly: true, secure });
}

export const MODE_COOKIE = "settle_mode";

/** Remembers the mode this browser works in (the switch in the shell): `live` or `test`, for a year. */
export async function setCurrentMode(livemode: boolean) {
  const secure = await secureCookies();
  (await cookies()).set(MODE_COOKIE, livemode ? "live" : "test", { path: "/", sameSite: "lax", httpOnly: true, secure, maxAge: 60 * 60 * 24 * 365 });
}

export interface Viewer {
  user: { id: string; email: string; name: string };
  /** The session this request's cookie belongs to (lib/accounts/sessions.ts). */
  sessionId: string;
  memberships: MembershipSummary[];
  current: MembershipSummary | null;
  /**
   * The mode this browser works in. A browser that has not chosen opens in
   * test mode, where nothing it does can move money.
   */
  livemode: boolean;
}

/**
 * The signed-in user, their merchants and the one they are working in; once
 * per request. A cookie counts only while its session lives in Postgres: a
 * signed-out, "signed out everywhere" or password-changed session is null
 * here, on every instance, however valid the cookie's signature still is.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const jar = await cookies();
  // Only the cookie: getToken would also take a JWT from an Authorization header.
  const token = await getToken({ req: { cookies: jar, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"], secret: authSecret() });
  if (!token?.sub || !token.sid) return null;
  const db = await getDb();
  const user = await liveSessionUser(db, { sessionId: token.sid, userId: token.sub });
  if (!user) return null;
  const list = await membershipsOf(db, user.id);
  const wanted = jar.get(CURRENT_MERCHANT_COOKIE)?.value;
  const current = list.find((m) => m.merchantId === wanted) ?? list[0] ?? null;
  const livemode = jar.get(MODE_COOKIE)?.value === "live";
  return { user, sessionId: token.sid, memberships: list, current, livemode };
});

/** The actor for a server action or handler: signed in and a member of the current merchant. */
export async function requireActor(): Promise<Actor> {
  const viewer = await getViewer();
  if (!viewer) throw new AppError("unauthenticated", "Sign in to continue.");
  if (!viewer.current) throw new AppError("forbidden", "You are not a member of any merchant.");
  return actorOf(viewer.user.id, viewer.current, viewer.livemode);
}
