import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { startBulkRetry } from "@/lib/webhooks/deliveries";
import { useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { writeTestEvents } from "@/test/webhook-events";
import { GET as deliveriesGET } from "./deliveries/route";
import { GET as retryJobGET } from "./retry-jobs/[id]/route";

// The signed-in member (or nobody), as the request's session cookie would give it.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", async () => {
  const { AppError } = await import("@/lib/errors");
  return {
    requireActor: async () => {
      if (!session.actor) throw new AppError("unauthenticated", "Sign in to continue.");
      return session.actor;
    },
  };
});
// A real database, which the routes' getDb() returns.
const { db } = useApiTestDb();
let a: Awaited<ReturnType<typeof makeMerchant>>;
let b: Awaited<ReturnType<typeof makeMerchant>>;
let deliveryIds: string[];
let jobId: string;

beforeAll(async () => {
  a = await makeMerchant(db(), "A");
  b = await makeMerchant(db(), "B");
  // Nothing is sent here: no dispatcher runs, the deliveries stay pending.
  await createEndpoint(db(), a.ownerActor, { url: "http://127.0.0.1:9/hooks", allEvents: true, enabled: true });
  await writeTestEvents(db(), a.merchant.id, 3);
  deliveryIds = (await db().select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, a.merchant.id))).map((d) => d.id);
  jobId = (await startBulkRetry(db(), a.ownerActor, { status: [] })).id;
});

async function get(as: Actor | null, path: string, params?: Record<string, string>) {
  session.actor = as;
  const request = new Request(`http://localhost${path}`);
  const res = params
    ? await retryJobGET(request, { params: Promise.resolve(params as { id: string }) })
    : await deliveriesGET(request, undefined as never);
  return { status: res.status, cache: res.headers.get("cache-control"), json: await res.json() };
}

describe("GET /api/dashboard/webhooks/deliveries", () => {
  it("gives any member of the merchant its log, never cached", async () => {
    const viewer = (await a.addMember("viewer")).actor;
    const res = await get(viewer, "/api/dashboard/webhooks/deliveries");
    expect(res.status).toBe(200);
    expect(res.cache).toBe("no-store");
    expect(res.json.rows.map((r: { id: string }) => r.id).sort()).toEqual([...deliveryIds].sort());
    const one = await get(viewer, `/api/dashboard/webhooks/deliveries?q=${deliveryIds[0]}&status=pending`);
    expect(one.json.rows.map((r: { id: string }) => r.id)).toEqual([deliveryIds[0]]);
  });

  it("shows another merchant nothing of this one's, even asked by id", async () => {
    expect((await get(b.ownerActor, "/api/dashboard/webhooks/deliveries")).json.rows).toEqual([]);
    const byId = await get(b.ownerActor, `/api/dashboard/webhooks/deliveries?q=${deliveryIds[0]}`);
    expect(byId.status).toBe(200);
    expect(byId.json.rows).toEqual([]);
  });

  it("refuses a signed-out caller (401) and an unreadable filter (422)", async () => {
    expect((await get(null, "/api/dashboard/webhooks/deliveries")).status).toBe(401);
    const bad = await get(a.ownerActor, "/api/dashboard/webhooks/deliveries?status=lost");
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toHaveProperty(["status.0"]);
  });
});

describe("GET /api/dashboard/webhooks/retry-jobs/[id]", () => {
  it("gives the progress to the roles that can retry, in the job's merchant only", async () => {
    const support = (await a.addMember("support")).actor;
    const res = await get(support, `/api/dashboard/webhooks/retry-jobs/${jobId}`, { id: jobId });
    expect(res.status).toBe(200);
    expect(res.cache).toBe("no-store");
    expect(res.json).toEqual({ id: jobId, total: 3, done: 0, status: "running" });

    const viewer = (await a.addMember("viewer")).actor;
    expect((await get(viewer, `/api/dashboard/webhooks/retry-jobs/${jobId}`, { id: jobId })).status).toBe(403);
    expect((await get(b.ownerActor, `/api/dashboard/webhooks/retry-jobs/${jobId}`, { id: jobId })).status).toBe(404);
    expect((await get(null, `/api/dashboard/webhooks/retry-jobs/${jobId}`, { id: jobId })).status).toBe(401);
  });
});
