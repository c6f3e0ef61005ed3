import { getToken } from "next-auth/jwt";
import { type NextRequest, NextResponse } from "next/server";
import { LOCALE_HEADER, resolveLocale } from "@/lib/checkout/locale";
import { authSecret } from "@/lib/env";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/log/request-context";
import { BASE_POLICY, checkoutPolicy, dashboardPolicy, HSTS, isCustomerPage, isPagePath, newNonce, wantsHsts } from "@/lib/security-headers";

/** Paths that carry their own auth (or none): everything else needs a signed-in user. */
const PUBLIC = [/^\/login$/, /^\/signup$/, /^\/invite\//, /^\/pay\//, /^\/sandbox\//, /^\/api\//, /^\/docs\//];

/**
 * Runs before every page and route: gives the request its id (the caller's
 * x-request-id when sane), sets the per-request security headers (every
 * page's nonce CSP, HSTS), and sends signed-out visitors of dashboard
 * pages to /login.
 */
export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const requestId = requestIdFrom(req.headers.get(REQUEST_ID_HEADER));
  const forwarded = new Headers(req.headers);
  forwarded.set(REQUEST_ID_HEADER, requestId);
  // The checkout's language for <html lang dir>; never taken from the caller.
  forwarded.delete(LOCALE_HEADER);
  if (pathname.startsWith("/pay/")) {
    forwarded.set(LOCALE_HEADER, resolveLocale(req.nextUrl.searchParams.get("lang"), req.headers.get("accept-language")));
  }
  let policy = BASE_POLICY;
  forwarded.delete("content-security-policy");
  if (isPagePath(pathname)) {
    // Next reads the nonce from the request's CSP header and puts it on its scripts.
    const nonce = newNonce();
    const dev = process.env.NODE_ENV === "development";
    policy = isCustomerPage(pathname) ? checkoutPolicy(nonce, { dev }) : dashboardPolicy(nonce, { dev });
    forwarded.set("content-security-policy", policy);
  }

  let response: NextResponse;
  if (PUBLIC.some((p) => p.test(pathname)) || (await getToken({ req, secret: authSecret() }))) {
    response = NextResponse.next({ request: { headers: forwarded } });
  } else {
    const login = new URL("/login", req.url);
    if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
    response = NextResponse.redirect(login);
  }

  response.headers.set(REQUEST_ID_HEADER, requestId);
  response.headers.set("Content-Security-Policy", policy);
  if (wantsHsts({ production: process.env.NODE_ENV === "production", url: req.nextUrl, forwardedProto: req.headers.get("x-forwarded-proto") })) {
    response.headers.set("Strict-Transport-Security", HSTS);
  }
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|txt)$).*)"],
};
