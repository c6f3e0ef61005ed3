import "server-only";
import { getServerSession } from "next-auth";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { getDb } from "@/db/client";
import { type MembershipSummary, membershipsOf } from "@/lib/accounts/users";
import { AppError } from "@/lib/errors";
import { wantsSecureCookies } from "@/lib/security-headers";
import { authOptions } from "./options";
import type { Actor } from "./roles";

export const CURRENT_MERCHANT_COOKIE = "settle_merchant";

/** Makes a merchant the current one (the caller has checked the membership): `Secure` whenever the app is served over https. */
export async function setCurrentMerchant(merchantId: string) {
  const secure = wantsSecureCookies({
    // next-auth reads NEXTAUTH_URL from the environment itself; the same URL decides here.
    configuredUrl: process.env.NEXTAUTH_URL || undefined,
    production: process.env.NODE_ENV === "production",
    forwardedProto: (await headers()).get("x-forwarded-proto"),
  });
  (await cookies()).set(CURRENT_MERCHANT_COOKIE, merchantId, { path: "/", sameSite: "lax", httpOnly: true, secure });
}

export interface Viewer {
  user: { id: string; email: string; name: string };
  memberships: MembershipSummary[];
  current: MembershipSummary | null;
}

/** The signed-in user, their merchants and the one they are working in; once per request. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  // Reading cookies first marks the page as per-request before anything needs the secret.
  const jar = await cookies();
  const session = await getServerSession(authOptions());
  if (!session?.user?.id) return null;
  const db = await getDb();
  const list = await membershipsOf(db, session.user.id);
  const wanted = jar.get(CURRENT_MERCHANT_COOKIE)?.value;
  const current = list.find((m) => m.merchantId === wanted) ?? list[0] ?? null;
  return { user: session.user, memberships: list, current };
});

/** The actor for a server action or handler: signed in and a member of the current merchant. */
export async function requireActor(): Promise<Actor> {
  const viewer = await getViewer();
  if (!viewer) throw new AppError("unauthenticated", "Sign in to continue.");
  if (!viewer.current) throw new AppError("forbidden", "You are not a member of any merchant.");
  return { userId: viewer.user.id, merchantId: viewer.current.merchantId, role: viewer.current.role };
}
