import { z } from "zod";
import { getDb } from "@/db/client";
import { requireRole } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { loggedRoute } from "@/lib/log/route";
import { parseInput } from "@/lib/validation";
import { retryJobProgress } from "@/lib/webhooks/deliveries";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(100) });

/**
 * A bulk retry's progress, as its progress bar polls it: for the roles that
 * may start one, in the signed-in member's current merchant only.
 */
export const GET = loggedRoute(
  "dashboard.webhooks.retryJob",
  async (_request: Request, context: { params: Promise<{ id: string }> }) => {
    const actor = await requireActor();
    requireRole(actor, "webhooks.retry");
    const { id } = parseInput(params, await context.params);
    const progress = await retryJobProgress(await getDb(), { merchantId: actor.merchantId, id });
    return Response.json(progress, { headers: { "cache-control": "no-store" } });
  },
  { quiet: true },
);
