import { getToken } from "next-auth/jwt";
import { type NextRequest, NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { liveSessionUser } from "@/lib/accounts/sessions";
import { actionPayloadProblem, isFetchAction } from "@/lib/action-payload";
import { LOCALE_HEADER, resolveLocale } from "@/lib/checkout/locale";
import { authSecret } from "@/lib/env";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/log/request-context";
import { REQUEST_TARGET_HEADER, targetOf } from "@/lib/api/request-target";
import { finanError } from "@/lib/api/finan/envelope";
import { BASE_POLICY, checkoutPolicy, dashboardPolicy, HSTS, isCustomerPage, isPagePath, newNonce, wantsHsts } from "@/lib/security-headers";
import { PAGE_PATH_HEADER } from "@/lib/page-path";

/** Paths that carry their own auth (or none): everything else needs a signed-in user. */
const PUBLIC = [
  /^\/login$/,
  /^\/signup$/,
  /^\/forgot-password$/,
  /^\/reset-password\//,
  // Only where mail is kept rather than sent (development, tests); a 404 everywhere else.
  /^\/dev\/outbox$/,
  /^\/invite\//,   /^\/pay\//,
  /^\/sandbox\//,
  /^\/api\//,
  // The Finan-compatible API (lib/api/finan): Finan's own paths, signed like Finan's.
  /^\/open\/api\//,
  /^\/docs\//,
];

/**
 * Runs before every page and route: gives the request its id (the caller's
 * x-request-id when sane), sets the per-request security headers (every
 * page's nonce CSP, HSTS), answers a server action whose body cannot be
 * one with 400 (or 413), and sends signed-out visitors of dashboard pages
 * to /login (a cookie whose session has ended counts as signed out).
 */
export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const trailingSlash = trailingSlashAnswer(req);
  if (trailingSlash) return trailingSlash;
  const requestId = requestIdFrom(req.headers.get(REQUEST_ID_HEADER));
  const forwarded = new Headers(req.headers);
  forwarded.set(REQUEST_ID_HEADER, requestId);
  // The API verifies signatures over the target as sent (lib/api/request-target.ts); never taken from the caller.
  forwarded.delete(REQUEST_TARGET_HEADER);
  if (pathname.startsWith("/api/v1/") || pathname.startsWith("/open/api/")) forwarded.set(REQUEST_TARGET_HEADER, targetOf(req.url));
  // The checkout's language for <html lang dir>; never taken from the caller.
  forwarded.delete(LOCALE_HEADER);
  if (pathname.startsWith("/pay/")) {
    forwarded.set(LOCALE_HEADER, resolveLocale(req.nextUrl.searchParams.get("lang"), req.headers.get("accept-language")));
  }
  // The page being shown, for the dashboard shell's mode switch to come back to; never taken from the caller.
  forwarded.delete(PAGE_PATH_HEADER);
  if (isPagePath(pathname)) forwarded.set(PAGE_PATH_HEADER, pathname);
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
  // A server action's body React cannot decode: Next would answer 500 (lib/action-payload.ts).
  const actionProblem = isFetchAction(req) ? await actionPayloadProblem(req) : null;
  if (actionProblem) {
    const { status, code, message } = actionProblem;
    response = NextResponse.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });
  } else if (PUBLIC.some((p) => p.test(pathname)) || (await signedIn(req))) {
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

/**
 * A signed cookie whose session still lives in Postgres: a signed-out or
 * "signed out everywhere" cookie goes to /login here, with its callbackUrl,
 * like no cookie at all. Pages, actions and route handlers ask again
 * (getViewer): this only spares them rendering for nobody.
 */
async function signedIn(req: NextRequest): Promise<boolean> {
  const token = await getToken({ req, secret: authSecret() });
  if (!token?.sub || !token.sid) return false;
  return !!(await liveSessionUser(await getDb(), { sessionId: token.sid, userId: token.sub }));
}

/**
 * A path ending in `/` (next.config.ts skips Next's own redirect): an API
 * client gets a JSON 404 naming the path to use (a redirect would send its
 * signed request to a path it did not sign); a person gets the 308 Next gave.
 */
function trailingSlashAnswer(req: NextRequest): NextResponse | undefined {
  const { pathname } = req.nextUrl;
  if (pathname === "/" || !pathname.endsWith("/")) return undefined;
  const without = pathname.replace(/\/+$/, "") || "/";
  if (pathname.startsWith("/open/api/")) {
    const requestId = requestIdFrom(req.headers.get(REQUEST_ID_HEADER));
    const error = { code: "not_found" as const, message: `No route at ${pathname}: leave out the trailing slash (${without}).` };
    return NextResponse.json(finanError(404, { error }, requestId), { status: 404, headers: { "cache-control": "no-store", [REQUEST_ID_HEADER]: requestId } });
  }
  if (pathname.startsWith("/api/v1/")) {
    return NextResponse.json(
      { error: { code: "not_found", message: `No API route at ${pathname}: leave out the trailing slash (${without}).` } },
      { status: 404, headers: { "cache-control": "no-store", [REQUEST_ID_HEADER]: requestIdFrom(req.headers.get(REQUEST_ID_HEADER)) } },
    );
  }
  // A plain URL: NextURL would put the slash back.
  return NextResponse.redirect(new URL(without + req.nextUrl.search, req.url), 308);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|txt)$).*)"],
};
