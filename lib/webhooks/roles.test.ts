import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, webhookDeliveries } from "@/db/schema";
import { type Actor, type Role, roles } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { useTestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { writeTestEvents } from "@/test/webhook-events";
import { useWebhookHarness } from "@/test/webhook-harness";
import { getDeliveryDetail, getRetryJob, listDeliveries, retryDeliveryWith, startBulkRetry } from "./deliveries";
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  revealSecret,
  rotateSecret,
  sendTestEventWith,
  updateEndpoint,
} from "./endpoints";
import { getWebhookPolicy, updateWebhookPolicy } from "./settings";

const { db } = useTestDb();
const { sender, receiver } = useWebhookHarness();
const sendTestEvent = sendTestEventWith({ sender: () => sender });
const retryDelivery = retryDeliveryWith({ sender: () => sender });

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof AppError ? e.code : `unexpected: ${String(e)}`),
  );

async function world(role: Role) {
  const m = await makeMerchant(db());
  const actor: Actor = role === "owner" ? m.ownerActor : (await m.addMember(role)).actor;
  const r = await receiver();
  const endpoint = await createEndpoint(db(), m.ownerActor, { url: r.url, allEvents: true, enabled: true });
  await writeTestEvents(db(), m.merchant.id, 1);
  const [delivery] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, m.merchant.id));
  return { m, actor, r, endpoint, delivery: delivery! };
}

const editors: Role[] = ["owner", "admin"];
const retriers: Role[] = ["owner", "admin", "support"];

describe("role matrix", () => {
  for (const role of roles) {
    const edits = editors.includes(role);
    const retries = retriers.includes(role);

    it(`${role} ${edits ? "can" : "cannot"} create, edit, delete, reveal, rotate and test endpoints and change settings`, async () => {
      const { actor, r, endpoint, m } = await world(role);
      const expected = edits ? "ok" : "forbidden";
      expect(await outcome(createEndpoint(db(), actor, { url: r.url, allEvents: true, enabled: true }))).toBe(expected);
      expect(await outcome(updateEndpoint(db(), actor, { id: endpoint.id, url: r.url, allEvents: true, enabled: true, description: "x" }))).toBe(expected);
      expect(await outcome(revealSecret(db(), actor, { id: endpoint.id }))).toBe(expected);
      expect(await outcome(rotateSecret(db(), actor, { id: endpoint.id }))).toBe(expected);
      expect(await outcome(sendTestEvent(db(), actor, { id: endpoint.id }))).toBe(expected);
      expect(await outcome(updateWebhookPolicy(db(), actor, { autoRetry: false, retryMinutes: [1], timeoutSeconds: 5 }))).toBe(expected);
      expect((await getWebhookPolicy(db(), m.merchant.id)).autoRetry).toBe(!edits);
      expect(await outcome(deleteEndpoint(db(), actor, { id: endpoint.id }))).toBe(expected);
      // Reading is for everyone.
      if (!edits) expect((await getEndpoint(db(), { merchantId: m.merchant.id, id: endpoint.id })).url).toBe(r.url);
    });

    it(`${role} ${retries ? "can" : "cannot"} retry one delivery or all matching`, async () => {
      const { actor, delivery, m, r } = await world(role);
      const expected = retries ? "ok" : "forbidden";
      expect(await outcome(retryDelivery(db(), actor, { id: delivery.id }))).toBe(expected);
      expect(await outcome(startBulkRetry(db(), actor, { status: [] }))).toBe(expected);
      expect(r.received).toHaveLength(retries ? 1 : 0);
      const audited = await db().$count(auditLog, and(eq(auditLog.merchantId, m.merchant.id), eq(auditLog.action, "webhook_delivery.retried")));
      expect(audited).toBe(retries ? 1 : 0);
      const page = await listDeliveries(db(), { merchantId: m.merchant.id, filter: { status: [] } });
      expect(page.rows).toHaveLength(1);
    });
  }
});

describe("another merchant's webhooks are not found", () => {
  it("for every read and write", async () => {
    const a = await world("owner");
    const b = await makeMerchant(db(), "B");
    const job = await startBulkRetry(db(), a.actor, { status: [] });
    const them = b.ownerActor;
    const r = a.r;
    expect(await outcome(getEndpoint(db(), { merchantId: them.merchantId, id: a.endpoint.id }))).toBe("not_found");
    expect(await outcome(updateEndpoint(db(), them, { id: a.endpoint.id, url: r.url, allEvents: true, enabled: false }))).toBe("not_found");
    expect(await outcome(revealSecret(db(), them, { id: a.endpoint.id }))).toBe("not_found");
    expect(await outcome(rotateSecret(db(), them, { id: a.endpoint.id }))).toBe("not_found");
    expect(await outcome(sendTestEvent(db(), them, { id: a.endpoint.id }))).toBe("not_found");
    expect(await outcome(deleteEndpoint(db(), them, { id: a.endpoint.id }))).toBe("not_found");
    expect(await outcome(retryDelivery(db(), them, { id: a.delivery.id }))).toBe("not_found");
    expect(await outcome(getRetryJob(db(), { merchantId: them.merchantId, id: job.id }))).toBe("not_found");
    expect(await getDeliveryDetail(db(), { merchantId: them.merchantId, id: a.delivery.id })).toBeNull();
    expect((await listDeliveries(db(), { merchantId: them.merchantId, filter: { status: [], q: a.delivery.id } })).rows).toHaveLength(0);
    // B's bulk retry of everything touches nothing of A's.
    const theirs = await startBulkRetry(db(), them, { status: [] });
    expect(theirs.total).toBe(0);
    expect(r.received).toHaveLength(0);
  });
});
