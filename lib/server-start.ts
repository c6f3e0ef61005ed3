import { appDb } from "@/db/client";
import { DEMO, printDemoSignIn, seedDemo } from "@/db/seed";
import { startIdempotencySweeper } from "@/lib/api/idempotency";
import { demoApiCredentials } from "@/lib/api/keys";
import { authSecret, encryptionKey, env, usesEmbeddedDb } from "@/lib/env";
import { startLinkSweeper } from "@/lib/payment-links/lifecycle";
import { startWebhooks } from "@/lib/webhooks/runner";

/** Runs once per server process before it takes requests: config check, migrations, dev seed, webhook dispatcher, link expiry and idempotency key sweeps. */
export async function startServer(): Promise<void> {
  env();
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
  startIdempotencySweeper(async () => handle.db);
}
