import { env } from "@/lib/env";
import { openDb } from "./client";

async function main() {
  const handle = await openDb({ url: env().DATABASE_URL, driver: env().DATABASE_DRIVER });
  await handle.migrate();
  await handle.close();
  console.log(`migrations applied (${handle.driver})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
