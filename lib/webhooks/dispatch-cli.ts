import { openDb } from "@/db/client";
import { env, webhooksAllowPrivate } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { Dispatcher } from "./dispatcher";
import { createSender } from "./http";
import { loggedSender } from "./sender-log";

/**
 * A dispatcher as a process of its own (`npm run webhooks:dispatch`): for a
 * worker beside the web servers, and for the crash tests. SIGTERM and SIGINT
 * finish the attempts in flight, then exit.
 */
async function main() {
  const handle = await openDb({ url: env().DATABASE_URL, driver: env().DATABASE_DRIVER });
  const sender = loggedSender(createSender({ allowPrivate: webhooksAllowPrivate() }));
  const number = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const dispatcher = new Dispatcher({
    db: handle.db,
    driver: handle.driver,
    sender,
    batchSize: number("WEBHOOKS_BATCH_SIZE"),
    concurrency: number("WEBHOOKS_CONCURRENCY"),
    perEndpoint: number("WEBHOOKS_PER_ENDPOINT"),
    perMerchant: number("WEBHOOKS_PER_MERCHANT"),
    leaseMs: number("WEBHOOKS_LEASE_MS"),
    sweepMs: number("WEBHOOKS_SWEEP_MS"),
  });
  dispatcher.start();
  log.info({ driver: handle.driver }, "webhooks: dispatcher running");
  const stop = async () => {
    await dispatcher.stop();
    await sender.close();
    await handle.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err) => {
  log.fatal({ err }, "webhooks: dispatcher stopped");
  process.exit(1);
});
