import next from "eslint-config-next";

const config = [
  { ignores: [".next/**", ".data/**", "node_modules/**", "db/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...next,
  {
    // Vitest and Playwright helpers named use…/use() are not React hooks.
    files: ["**/*.test.ts", "test/**", "e2e/**", "bench/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
