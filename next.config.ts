import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite loads its WASM from its own package folder; ws has optional native deps; undici (webhooks) runs as Node loads it.
  serverExternalPackages: ["@electric-sql/pglite", "ws", "pg", "undici"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
