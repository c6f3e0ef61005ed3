import { openDb } from "./client";
import { databaseEnv } from "./env";

async function main() {
  const handle = await openDb({ url: databaseEnv().DATABASE_URL, driver: databaseEnv().DATABASE_DRIVER });
  await handle.migrate();
  await handle.close();
  console.log(`migrations applied (${handle.driver})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
