import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite loads its WASM from its own package folder; ws has optional native deps.
  serverExternalPackages: ["@electric-sql/pglite", "ws", "pg"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
