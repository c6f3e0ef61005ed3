import { appDb, onConnectionLost } from "@/db/client";
import { DEMO, printDemoSignIn, seedDemo } from "@/lib/demo/seed";
import { sweepApiTables } from "@/lib/api/housekeeping";
import { demoApiCredentials } from "@/lib/api-keys/keys";
import { authSecret, encryptionKey, env, publicUrl, usesEmbeddedDb } from "@/lib/env";
import { routeConsoleThroughLogger } from "@/lib/log/console";
import { log } from "@/lib/log/logger";
import { expireDueLinks } from "@/lib/payment-links/lifecycle";
import { sweepRefusedNotifications } from "@/lib/payment-services/refused-notifications";
import { sweepPendingRefunds } from "@/lib/refunds/check";
import { repeatEvery } from "@/lib/repeat";
import { setTestDataDeletionRunner } from "@/lib/test-data/deletions";
import { resumeTestDataDeletions, runTestDataDeletion } from "@/lib/test-data/purge";
import { startWebhooks } from "@/lib/webhooks/runner";

/** Runs once per server process before it takes requests: config check, migrations, dev seed, webhook dispatcher, link expiry, API housekeeping, refused notification, pending refund and test data deletion sweeps. */
export async function startServer(): Promise<void> {
  env();
  // Next prints render errors itself; in production those go through the redacting logger as well.
  if (env().NODE_ENV === "production") routeConsoleThroughLogger(log);
  authSecret();
  encryptionKey();
  // Production must be told its public URL (every link Settle builds starts with it). next-auth
  // reads NEXTAUTH_URL from the environment at each request: without one, it gets the same URL.
  const url = publicUrl();
  if (!process.env.NEXTAUTH_URL) process.env.NEXTAUTH_URL = url;
  onConnectionLost((err) => log.warn({ err }, "postgres: idle connection lost"));
  const handle = await appDb();
  await handle.migrate();
  if (usesEmbeddedDb() && env().NODE_ENV !== "production") {
    await seedDemo(handle.db);
    printDemoSignIn(await demoApiCredentials(handle.db, DEMO.email));
  }
  await startWebhooks();
  // Links are also expired when read, so a serverless host without this loop still shows the
  // right state; only their event waits (for the cron). The API tables: the cron does it there.
  repeatEvery("payment links: expiry sweep", 15_000, () => expireDueLinks(handle.db));
  repeatEvery("API housekeeping sweep", 60 * 60_000, () => sweepApiTables(handle.db));
  // Refused provider notifications past their retention (14 days): forged requests cannot pile up.
  repeatEvery("provider notifications: refused sweep", 60 * 60_000, () => sweepRefusedNotifications(handle.db));
  // A gateway refund whose notification never came: asked about at its gateway (lib/refunds/check.ts).
  repeatEvery("refunds: pending status sweep", 60_000, () => sweepPendingRefunds(handle.db));
  // "Delete all test data" runs here, in this process, once its request commits; the sweep (and the
  // cron, on serverless hosts, where a run may be frozen after the response) picks up one that stopped.
  setTestDataDeletionRunner((jobId) => {
    runTestDataDeletion(handle.db, jobId).catch((err: unknown) => log.error({ err, jobId }, "test data: deletion failed"));
  });
  repeatEvery("test data: deletion sweep", 30_000, () => resumeTestDataDeletions(handle.db));
  log.info({ driver: handle.driver, webhooksDispatcher: env().WEBHOOKS_DISPATCHER }, "server started");
}
