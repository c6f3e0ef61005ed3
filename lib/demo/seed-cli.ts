import { openDb } from "@/db/client";
import { demoApiCredentials } from "@/lib/api-keys/keys";
import { env } from "@/lib/env";
import { DEMO, printDemoSignIn, seedDemo } from "./seed";

async function main() {
  const handle = await openDb({ url: env().DATABASE_URL, driver: env().DATABASE_DRIVER });
  await handle.migrate();
  const { created } = await seedDemo(handle.db);
  const apiKey = await demoApiCredentials(handle.db, DEMO.email);
  await handle.close();
  console.log(created ? "demo merchant created" : "demo merchant already there");
  printDemoSignIn(apiKey);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
