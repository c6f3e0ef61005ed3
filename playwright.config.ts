import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { E2E_SECRETS, runDir, serverLogPath } from "./e2e/run-files";

// Playwright's own browser download does not work on every machine: use the system's Chromium.
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromiumPath)) {
  throw new Error(
    `No Chromium at ${chromiumPath}. Install Debian's with \`sudo apt-get install -y chromium\`, ` +
      "or point PLAYWRIGHT_CHROMIUM_PATH at a Chromium or Chrome binary.",
  );
}

const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;
const embedded = !process.env.DATABASE_URL;
// One folder per run: a fresh embedded database (tests never see an earlier run's data) and the server's log.
const dataDir = runDir();

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  // Playwright's convention: on CI a failed test runs once more, and a pass on the
  // second try is reported as "flaky" in the list, never hidden. Locally, none.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  // Fails the run if any secret the specs used reached the server's log.
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // `next start`, its output also copied to the run's server.log for the teardown's check.
    command: `node e2e/serve.mjs ${serverLogPath()} -H 127.0.0.1 -p ${port}`,
    url: `${baseURL}/login`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...E2E_SECRETS,
      NEXTAUTH_URL: baseURL,
      // Everything, so the teardown's secret check reads every line the server can write.
      LOG_LEVEL: "debug",
      // The specs' webhook receivers listen on 127.0.0.1, which production otherwise refuses.
      WEBHOOKS_ALLOW_PRIVATE: "true",
      // No SMTP server: mail (password resets, invites) is kept in the outbox the specs read at /dev/outbox.
      MAIL_OUTBOX: "1",
      SMTP_URL: "",
      ...(embedded ? { SETTLE_DATA_DIR: dataDir } : {}),
    },
  },
});
