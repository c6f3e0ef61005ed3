import { appDb } from "@/db/client";
import { printDemoSignIn, seedDemo } from "@/db/seed";
import { authSecret, env, usesEmbeddedDb } from "@/lib/env";
import { startWebhooks } from "@/lib/webhooks/runner";

/** Runs once per server process before it takes requests: config check, migrations, dev seed, webhook dispatcher. */
export async function startServer(): Promise<void> {
  env();
  authSecret();
  const handle = await appDb();
  await handle.migrate();
  if (usesEmbeddedDb() && env().NODE_ENV !== "production") {
    await seedDemo(handle.db);
    printDemoSignIn();
  }
  await startWebhooks();
}
