import { getDb } from "@/db/client";
import { requireActor } from "@/lib/auth/session";
import { loggedRoute } from "@/lib/log/route";
import { parseInput } from "@/lib/validation";
import { decodeCursor, deliveryPageJson, deliveryPageQuery, listDeliveries } from "@/lib/webhooks/deliveries";
import { searchParamsRecord } from "@/lib/webhooks/filters";

export const dynamic = "force-dynamic";

/**
 * What the open delivery log polls: one page of the signed-in member's
 * current merchant, with the log's filters and cursor from the query. Every
 * role may read the log. A GET, so the browser runs it beside a click's
 * server action instead of queueing it ahead.
 */
export const GET = loggedRoute(
  "dashboard.webhooks.deliveries",
  async (request: Request) => {
    const actor = await requireActor();
    const { cursor, ...filter } = parseInput(deliveryPageQuery, searchParamsRecord(new URL(request.url).searchParams));
    const page = await listDeliveries(await getDb(), { merchantId: actor.merchantId, filter, after: decodeCursor(cursor) });
    return Response.json(deliveryPageJson(page), { headers: { "cache-control": "no-store" } });
  },
  { quiet: true },
);
