import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as deliveriesRoute from "@/app/api/v1/webhook-deliveries/route";
import * as endpointRoute from "@/app/api/v1/webhook-endpoints/[id]/route";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { call, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { writeTestEvents } from "@/test/webhook-events";
import { useWebhookHarness } from "@/test/webhook-harness";
import { listDeliveries, retryDelivery, startBulkRetry } from "./deliveries";
import { Dispatcher } from "./dispatcher";
import { createEndpoint, deleteEndpoint, endpointOptions, getEndpoint, listEndpoints, revealSecret, rotateSecret, sendTestEvent, updateEndpoint } from "./endpoints";

const { db } = useApiTestDb();
// Tests share the database: the harness unschedules what each leaves due, so the next one's dispatcher never sends it.
const { sender, receiver } = useWebhookHarness(db);

/** A merchant with one endpoint, "Order system", on a receiver that verifies its signatures. */
async function setup() {
  const m = await makeMerchant(db());
  const r = await receiver();
  const endpoint = await createEndpoint(db(), m.ownerActor, { url: r.url, description: "Order system", allEvents: true, enabled: true });
  r.setSecrets([(await revealSecret(db(), m.ownerActor, { id: endpoint.id })).secret]);
  // A second later than now: freshly queued deliveries are due.
  const dispatcher = new Dispatcher({ db: db(), sender, now: () => new Date(Date.now() + 1000), random: () => 0 });
  return { m, r, endpoint, dispatcher };
}

const deliveriesTo = (endpointId: string) => db().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));

describe("a deleted webhook endpoint", () => {
  it("keeps its deliveries findable by its id, with its name and URL, in the log and the API; the filter lists it as deleted", async () => {
    const { m, r, endpoint, dispatcher } = await setup();
    await writeTestEvents(db(), m.merchant.id, 2, "invoice.paid");
    await dispatcher.drain();
    expect(r.received).toHaveLength(2);
    await deleteEndpoint(db(), m.ownerActor, { id: endpoint.id });

    const page = await listDeliveries(db(), { merchantId: m.merchant.id, filter: { status: [], endpoint: endpoint.id } });
    expect(page.rows).toHaveLength(2);
    for (const row of page.rows) {
      expect(row).toMatchObject({ endpointId: endpoint.id, endpointUrl: r.url, endpointDescription: "Order system", status: "succeeded" });
      expect(row.endpointDeletedAt).toBeInstanceOf(Date);
    }
    expect(await endpointOptions(db(), m.merchant.id)).toEqual([{ id: endpoint.id, url: r.url, description: "Order system", deleted: true }]);

    const creds = await makeApiKey(db(), m.ownerActor);
    const res = await call(deliveriesRoute.GET, `/webhook-deliveries?endpoint_id=${endpoint.id}`, creds);
    expect(res.status).toBe(200);
    expect(res.json.data).toHaveLength(2);
    expect(res.json.data[0]).toMatchObject({ endpoint_id: endpoint.id, endpoint_url: r.url, endpoint_description: "Order system", endpoint_deleted_at: expect.any(String) });
    expect(deliveriesRoute.GET.operation.response.safeParse(res.json).success).toBe(true);
    expect((await call(endpointRoute.GET, `/webhook-endpoints/${endpoint.id}`, creds)).status).toBe(404);
  });

  it("is no longer listed, and cannot be read, edited, tested, rotated, revealed or deleted again; its secret is gone", async () => {
    const { m, endpoint } = await setup();
    await deleteEndpoint(db(), m.ownerActor, { id: endpoint.id });
    expect(await listEndpoints(db(), m.merchant.id)).toEqual([]);
    const id = { id: endpoint.id };
    for (const attempt of [
      () => getEndpoint(db(), { merchantId: m.merchant.id, ...id }),
      () => updateEndpoint(db(), m.ownerActor, { ...id, url: "https://elsewhere.example/hooks", allEvents: true, enabled: true }),
      () => sendTestEvent(db(), m.ownerActor, id),
      () => rotateSecret(db(), m.ownerActor, id),
      () => revealSecret(db(), m.ownerActor, id),
      () => deleteEndpoint(db(), m.ownerActor, id),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "not_found" });
    }
    const [row] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row).toMatchObject({ secret: null, previousSecret: null, url: endpoint.url, description: "Order system" });
    expect(row!.deletedAt).toBeInstanceOf(Date);
  });

  it("gets no new deliveries, and what was queued for it is never sent, by the dispatcher or a retry", async () => {
    const { m, r, endpoint, dispatcher } = await setup();
    await writeTestEvents(db(), m.merchant.id, 2, "invoice.paid");
    expect(await deliveriesTo(endpoint.id)).toHaveLength(2);
    await deleteEndpoint(db(), m.ownerActor, { id: endpoint.id });

    await dispatcher.drain();
    expect(r.received).toHaveLength(0);
    await writeTestEvents(db(), m.merchant.id, 1, "invoice.paid");
    expect(await deliveriesTo(endpoint.id)).toHaveLength(2);
    const [unset] = await db()
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.merchantId, m.merchant.id), eq(webhookDeliveries.status, "url_not_set")));
    expect(unset).toBeDefined();

    // A retry that an attempt in flight scheduled after the delete: claimed, but not sent.
    const [queued] = await deliveriesTo(endpoint.id);
    await db().update(webhookDeliveries).set({ nextAttemptAt: new Date() }).where(eq(webhookDeliveries.id, queued!.id));
    await dispatcher.drain();
    expect(r.received).toHaveLength(0);
    const attempts = await db().select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, queued!.id));
    expect(attempts).toMatchObject([{ error: "Not sent: the endpoint was deleted.", responseStatus: null }]);

    await expect(retryDelivery(db(), m.ownerActor, { id: queued!.id })).rejects.toMatchObject({ code: "conflict" });
    const job = await startBulkRetry(db(), m.ownerActor, { status: [], endpoint: endpoint.id });
    expect(job.total).toBe(0);
    await dispatcher.drain();
    expect(r.received).toHaveLength(0);
  });
});
