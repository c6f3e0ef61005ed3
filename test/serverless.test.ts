import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import { signNotification } from "@/lib/connectors/signature";
import { encryptionKey } from "@/lib/env";
import { createStandaloneLink } from "@/lib/payment-links/create";
import { listServices, sandboxSecret } from "@/lib/payment-services/services";
import { createEndpoint, revealSecret } from "@/lib/webhooks/endpoints";
import { createTestDb, onServerPostgres, type TestDb } from "./db";
import { makeInvoice, makeMerchant } from "./factories";
import { type Cluster, startCluster } from "./next-cluster";
import { type Receiver, startReceiver } from "./webhook-receiver";

const eventTypes = (r: Receiver) => r.received.map((x) => (JSON.parse(x.body) as { type: string }).type);

/**
 * A serverless deploy: `next start` with WEBHOOKS_DISPATCHER=off, so no loop
 * runs between requests. What a request changes must still reach the merchant
 * within a second (delivered after the response), and what no request will
 * carry (work written outside a request, retries) waits for the cron.
 */
describe.runIf(onServerPostgres())("serverless: no dispatcher loop", () => {
  const cronSecret = `cron-${randomBytes(12).toString("hex")}`;
  let handle: TestDb;
  let cluster: Cluster;
  let receiver: Receiver;
  let merchant: Awaited<ReturnType<typeof makeMerchant>>;
  let sandbox: { id: string; secret: string };

  beforeAll(async () => {
    handle = await createTestDb();
    receiver = await startReceiver();
    merchant = await makeMerchant(handle.db, "Edge Store");
    const endpoint = await createEndpoint(handle.db, merchant.ownerActor, { url: receiver.url, allEvents: true, enabled: true });
    receiver.setSecrets([(await revealSecret(handle.db, merchant.ownerActor, { id: endpoint.id })).secret]);
    const [service] = await listServices(handle.db, merchant.merchant.id);
    sandbox = { id: service!.id, secret: (await sandboxSecret(handle.db, service!.id))!.secret! };
    cluster = await startCluster(1, {
      DATABASE_URL: handle.url!,
      DATABASE_POOL_MAX: "3",
      AUTH_SECRET: `sl-auth-${randomBytes(24).toString("base64url")}`,
      SETTLE_ENCRYPTION_KEY: encryptionKey(),
      WEBHOOKS_DISPATCHER: "off",
      WEBHOOKS_ALLOW_PRIVATE: "true",
      CRON_SECRET: cronSecret,
    });
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await receiver?.close();
    await handle?.close();
  });

  it("a provider's notification reaches the merchant's endpoint right after the response, with no cron call", async () => {
    const link = await createStandaloneLink(handle.db, merchant.ownerActor, { currency: "VND", amount: "50000", description: "Edge order", serviceIds: [sandbox.id] });
    const raw = JSON.stringify({ id: "edge-1", status: "succeeded", amount: 50_000, currency: "VND", payment_link_id: link.id, payment_method: "card" });
    const sent = Date.now();
    const res = await fetch(`${cluster.instances[0]!.url}/api/providers/${sandbox.id}/notify`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signNotification(sandbox.secret, raw) },
      body: raw,
    });
    expect(res.status).toBe(200);
    await expect.poll(() => eventTypes(receiver), { timeout: 3_000, interval: 50 }).toEqual(expect.arrayContaining(["payment.succeeded", "invoice.paid"]));
    const arrived = receiver.received.find((r) => JSON.parse(r.body).type === "invoice.paid")!;
    expect(arrived.verifiedWith).toEqual([0]);
    expect(arrived.at - sent).toBeLessThan(2_000);
  });

  it("work written outside any request waits for the cron, which delivers it", async () => {
    const before = receiver.received.length;
    // The dashboard's create would deliver after its own response; written here, no request carries it.
    const invoice = await makeInvoice(handle.db, merchant.ownerActor, { currency: "VND", amount: 70_000 });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(receiver.received.length).toBe(before);
    const [pending] = await handle.db
      .select({ status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.invoiceId, invoice.id), eq(webhookDeliveries.eventType, "invoice.created")));
    expect(pending?.status).toBe("pending");

    const url = `${cluster.instances[0]!.url}/api/cron/webhooks`;
    expect((await fetch(url)).status).toBe(401);
    const cron = await fetch(url, { headers: { authorization: `Bearer ${cronSecret}` } });
    expect(cron.status).toBe(200);
    expect(((await cron.json()) as { delivered: number }).delivered).toBeGreaterThanOrEqual(1);
    const created = receiver.received.slice(before).map((r) => JSON.parse(r.body) as { type: string; data: { invoice?: { id: string } } });
    expect(created.some((e) => e.type === "invoice.created" && e.data.invoice?.id === invoice.id)).toBe(true);
  });
});

if (!onServerPostgres()) {
  console.info("[serverless.test] a next start process and this test share one database only on server Postgres: set DATABASE_URL to run it.");
}
