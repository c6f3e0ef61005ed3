import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { appDb } from "@/db/client";
import { log } from "@/lib/log/logger";
import { loggedRoute } from "@/lib/log/route";
import { sweepApiTables } from "@/lib/api/housekeeping";
import { expireDueLinks } from "@/lib/payment-links/lifecycle";
import { sweepRefusedNotifications } from "@/lib/payment-services/refused-notifications";
import { sweepPendingRefunds } from "@/lib/refunds/check";
import { resumeTestDataDeletions } from "@/lib/test-data/purge";
import { getDispatcher } from "@/lib/webhooks/runner";

export const dynamic = "force-dynamic";
/** The refund sweep starts no new look at a gateway after this long (each look may take the gateway's 10 s timeout). */
const REFUND_CHECK_BUDGET_MS = 4_000;
/** Serverless hosts cap a request's time; stop claiming well before. */
const BUDGET_MS = 25_000;
/** Of which, at most this much on deleting test data, so deliveries always get their turn. */
const TEST_DATA_BUDGET_MS = 8_000;

function authorized(request: Request): boolean {
  const secret = env().CRON_SECRET;
  if (!secret) return false;
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const wanted = Buffer.from(`Bearer ${secret}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * For hosts without a long-running process (WEBHOOKS_DISPATCHER=off): a cron
 * calls this every minute with `Authorization: Bearer $CRON_SECRET`, and it
 * expires due payment links (their events go out in this same run) and
 * sweeps the API's short-lived rows (lib/api/housekeeping.ts) and refused
 * provider notifications past their retention (lib/payment-services/refused-notifications.ts), asks
 * gateways about a few refunds whose notification never came (lib/refunds/check.ts), goes on
 * with any "delete all test data" that stopped, for a few seconds
 * (lib/test-data/purge.ts), then
 * delivers what is due until nothing is, or its time is up.
 */
async function run(request: Request) {
  if (!authorized(request)) {
    return Response.json({ error: { code: "unauthenticated", message: "A valid CRON_SECRET bearer token is required." } }, { status: 401 });
  }
  const { db } = await appDb();
  const expired = await expireDueLinks(db);
  await sweepApiTables(db);
  await sweepRefusedNotifications(db);
  const refunds = await sweepPendingRefunds(db, new Date(), { limit: 5, until: Date.now() + REFUND_CHECK_BUDGET_MS });
  const started = Date.now();
  const testDataDeletions = await resumeTestDataDeletions(db, { until: started + TEST_DATA_BUDGET_MS });
  const dispatcher = await getDispatcher();
  const delivered = await dispatcher.drain(started + BUDGET_MS);
  log.info({ expired: expired.length, delivered, testDataDeletions, refunds }, "cron: webhooks run");
  return Response.json({ expired: expired.length, delivered });
}

export const GET = loggedRoute("cron.webhooks", run);
export const POST = GET;
