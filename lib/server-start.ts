import { appDb } from "@/db/client";
import { DEMO, printDemoSignIn, seedDemo } from "@/db/seed";
import { startApiSweeper } from "@/lib/api/housekeeping";
import { demoApiCredentials } from "@/lib/api/keys";
import { authSecret, encryptionKey, env, usesEmbeddedDb } from "@/lib/env";
import { routeConsoleThroughLogger } from "@/lib/log/console";
import { log } from "@/lib/log/logger";
import { startLinkSweeper } from "@/lib/payment-links/lifecycle";
import { startWebhooks } from "@/lib/webhooks/runner";

/** Runs once per server process before it takes requests: config check, migrations, dev seed, webhook dispatcher, link expiry and API housekeeping sweeps. */
export async function startServer(): Promise<void> {
  env();
  // Next prints render errors itself; in production those go through the redacting logger as well.
  if (env().NODE_ENV === "production") routeConsoleThroughLogger(log);
  authSecret();
  encryptionKey();
  const handle = await appDb();
  await handle.migrate();
  if (usesEmbeddedDb() && env().NODE_ENV !== "production") {
    await seedDemo(handle.db);
    printDemoSignIn(await demoApiCredentials(handle.db, DEMO.email));
  }
  await startWebhooks();
  startLinkSweeper(async () => handle.db);
  startApiSweeper(async () => handle.db);
  log.info({ driver: handle.driver, webhooksDispatcher: env().WEBHOOKS_DISPATCHER }, "server started");
}
