import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { checkHealth } from "@/lib/health";
import { loggedRoute } from "@/lib/log/route";

export const dynamic = "force-dynamic";

/** For load balancers and uptime checks: 200 with the figures, or 503 with the reasons. Public; nothing secret in it. */
export const GET = loggedRoute(
  "health",
  async () => {
    const report = await checkHealth(getDb, { maxLagSeconds: env().HEALTH_MAX_WEBHOOK_LAG_SECONDS });
    return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
  },
  { quiet: true },
);
