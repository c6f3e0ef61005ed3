import { getDb } from "@/db/client";
import { requireActor } from "@/lib/auth/session";
import { loggedRoute } from "@/lib/log/route";
import { latestTestDataDeletion } from "@/lib/test-data/deletions";

export const dynamic = "force-dynamic";

/**
 * The latest "delete all test data" of the signed-in member's account, as its
 * progress panel polls it (null when there has been none). Every role reads
 * it; only the owner can start one.
 */
export const GET = loggedRoute(
  "dashboard.testData.deletion",
  async () => {
    const actor = await requireActor();
    const job = await latestTestDataDeletion(await getDb(), { accountId: actor.accountId });
    return Response.json(job, { headers: { "cache-control": "no-store" } });
  },
  { quiet: true },
);
