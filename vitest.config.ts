import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      // The guard only means something inside Next's server bundles.
      "server-only": path.resolve(__dirname, "test/empty-module.ts"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "db/**/*.test.ts", "test/**/*.test.ts", "app/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
