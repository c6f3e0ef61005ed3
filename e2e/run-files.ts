import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The files of one e2e run, in one folder the config names once (in the
 * environment, so Playwright's workers see the same one): the embedded
 * database, the server's log, and the secrets the specs used, for the
 * teardown's check that none of them reached the log.
 */
export function runDir(): string {
  process.env.E2E_RUN_DIR ??= path.join(".data", `e2e-${Date.now()}`);
  return process.env.E2E_RUN_DIR;
}

export const serverLogPath = () => path.join(runDir(), "server.log");
const secretsPath = () => path.join(runDir(), "secrets.jsonl");

/** The server's secrets in e2e runs (the webServer env); the teardown looks for them in the log. */
export const E2E_SECRETS = {
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-e2e-secret-e2e-secret-0123456789",
  SETTLE_ENCRYPTION_KEY: process.env.SETTLE_ENCRYPTION_KEY ?? "e2e-encryption-key-e2e-encryption-key-0123",
  CRON_SECRET: "e2e-cron-secret-0123456789abcdef",
};

export interface UsedSecret {
  label: string;
  value: string;
}

/** A spec says which secret it sent to the server (a password, a signing secret), so the teardown can look for it. */
export function rememberSecret(label: string, value: string): void {
  mkdirSync(runDir(), { recursive: true });
  appendFileSync(secretsPath(), `${JSON.stringify({ label, value })}\n`);
}

export function usedSecrets(): UsedSecret[] {
  if (!existsSync(secretsPath())) return [];
  return readFileSync(secretsPath(), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as UsedSecret);
}

/** What the server has logged so far (the file grows as it writes). */
export function serverLog(): string {
  return existsSync(serverLogPath()) ? readFileSync(serverLogPath(), "utf8") : "";
}
