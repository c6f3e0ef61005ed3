import { getToken } from "next-auth/jwt";
import { type NextRequest, NextResponse } from "next/server";
import { authSecret } from "@/lib/env";

/** Paths that carry their own auth (or none): everything else needs a signed-in user. */
const PUBLIC = [/^\/login$/, /^\/signup$/, /^\/invite\//, /^\/pay\//, /^\/sandbox\//, /^\/api\//, /^\/docs\//];

export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (PUBLIC.some((p) => p.test(pathname))) return NextResponse.next();
  const token = await getToken({ req, secret: authSecret() });
  if (token) return NextResponse.next();
  const login = new URL("/login", req.url);
  if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|txt)$).*)"],
};
