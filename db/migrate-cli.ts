import { openDb } from "./client";
import { env } from "@/lib/env";

const handle = await openDb({ url: env().DATABASE_URL, driver: env().DATABASE_DRIVER });
await handle.migrate();
await handle.close();
console.log(`migrations applied (${handle.driver})`);
