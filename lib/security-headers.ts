/**
 * The security headers of every response. Static ones go out from
 * next.config.ts (so static files get them too); the per-request ones (the
 * pages' CSP nonce, HSTS) from proxy.ts. Pure, so a unit test pins them.
 */

export const staticSecurityHeaders: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];

export const HSTS = "max-age=63072000; includeSubDomains";

/** Public pages a customer's browser runs: the hosted checkout and the sandbox provider's pages. */
export const isCustomerPage = (pathname: string) => /^\/(pay|sandbox)\//.test(pathname);

/**
 * The checkout's policy: scripts only from this origin with this request's
 * nonce (Next puts it on its own inline bootstrap scripts, and 'strict-dynamic'
 * lets those load the chunks), no plugins, no framing, no foreign connections.
 * Styles allow inline because toasts inject a style element at run time.
 */
export function checkoutPolicy(nonce: string, { dev = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The dashboard's and sign-in's pages: the same nonce policy as the checkout
 * (every page is rendered per request, so Next puts the nonce on its scripts).
 * An injected <script> or inline handler does not run there either.
 */
export const dashboardPolicy = (nonce: string, opts: { dev?: boolean } = {}) => checkoutPolicy(nonce, opts);

/** Paths that are not pages of this app's own: the API (JSON) and the API reference (its own scripts). */
export const isPagePath = (pathname: string) => !/^\/(api|docs|open\/api)(\/|$)/.test(pathname);

/** The API and the API reference: never framed, no plugins, no <base> tricks. */
export const BASE_POLICY = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

/** A nonce per request: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}

/** HSTS only where it means something: production, reached over https (directly or behind a TLS proxy). */
export function wantsHsts({ production, url, forwardedProto }: { production: boolean; url: URL; forwardedProto: string | null }): boolean {
  if (!production) return false;
  const proto = forwardedProto?.split(",")[0]?.trim().toLowerCase();
  return proto ? proto === "https" : url.protocol === "https:";
}

/**
 * Whether cookies this app sets itself (settle_merchant) are `Secure`. The
 * configured public URL decides when there is one (NEXTAUTH_URL: next-auth
 * makes its session cookie secure from it too); without it, a production
 * server trusts its TLS-terminating proxy's X-Forwarded-Proto for this only.
 */
export function wantsSecureCookies({ configuredUrl, production, forwardedProto }: { configuredUrl: string | undefined; production: boolean; forwardedProto: string | null }): boolean {
  if (configuredUrl) return configuredUrl.trim().toLowerCase().startsWith("https://");
  if (!production) return false;
  return forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}
