import type { NextConfig } from "next";
import { staticSecurityHeaders } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // PGlite loads its WASM from its own package folder; ws has optional native deps; undici (webhooks) runs as Node loads it.
  serverExternalPackages: ["@electric-sql/pglite", "ws", "pg", "undici"],
  poweredByHeader: false,
  // Hand proxy.ts, and through it the route handlers, the request target as sent: /api/v1 verifies
  // signatures over it, and Next otherwise re-encodes the query (%20 → +, %2f → %2F, ~ : / [ | escaped).
  skipProxyUrlNormalize: true,
  // proxy.ts answers a trailing slash itself: pages are redirected as before, /api/v1 answers JSON.
  skipTrailingSlashRedirect: true,
  typedRoutes: false,
  // On every response, static files included; proxy.ts adds the per-request ones (CSP, HSTS, x-request-id).
  async headers() {
    return [{ source: "/:path*", headers: [...staticSecurityHeaders] }];
  },
};

export default nextConfig;
