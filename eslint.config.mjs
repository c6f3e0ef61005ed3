import next from "eslint-config-next";

/** Layers, outermost first: app → components → lib → db. A layer imports only those after it (ARCHITECTURE.md). */
const restrict = (files, patterns) => ({
  files,
  // Tests may reach across layers: an integration test drives a route handler.
  ignores: ["**/*.test.ts"],
  rules: { "no-restricted-imports": ["error", { patterns }] },
});

const config = [
  { ignores: [".next/**", ".data/**", "node_modules/**", "db/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...next,
  {
    // Vitest and Playwright helpers named use…/use() are not React hooks.
    files: ["**/*.test.ts", "test/**", "e2e/**", "bench/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: ["**/*.{ts,tsx,mts,mjs}"],
    settings: { "import/resolver": { typescript: { project: "./tsconfig.json" } }, "import/ignore": ["node_modules"] },
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: ["**/*.{ts,tsx,mts,mjs}"],
    ignores: ["db/**"],
    rules: {
      // One transaction helper (db/transaction.ts): joins an outer transaction, queues bookkeeping writes, runs afterCommit hooks.
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message: "Open transactions with transaction(db, fn) from db/transaction.ts: it joins the caller's, queues bookkeeping writes and runs afterCommit hooks.",
        },
      ],
    },
  },
  restrict(["db/**"], [
    { group: ["@/lib/*", "@/lib/**", "@/app/**", "@/components/**", "../lib/**", "../../lib/**"], message: "db/ is the bottom layer: it imports nothing from lib/, components/ or app/." },
  ]),
  restrict(["lib/**"], [{ group: ["@/app/**", "@/components/**"], message: "lib/ is the domain: it never imports the UI or routes." }]),
  restrict(["components/**"], [{ group: ["@/db/*", "@/db/**"], message: "Components get data from lib/ (or a promise of it from the page), never the database layer." }]),
];

export default config;
