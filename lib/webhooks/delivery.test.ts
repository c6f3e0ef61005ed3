import { and, asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { type WebhookDelivery, webhookAttempts, webhookDeliveries, webhookEndpoints, webhookRetryJobs } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { writeEvent } from "@/lib/invoices/events";
import { onServerPostgres, useTestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { writeTestEvents } from "@/test/webhook-events";
import { useWebhookHarness } from "@/test/webhook-harness";
import type { Behaviour, Receiver } from "@/test/webhook-receiver";
import { claimDue, renewLeases } from "./claims";
import { transaction } from "@/db/transaction";
import { getDeliveryDetail, retryDeliveryWith, startBulkRetryWith } from "./deliveries";
import { Dispatcher } from "./dispatcher";
import { createEndpoint, listEndpoints, revealSecret, rotateSecretWith, sendTestEventWith, updateEndpoint } from "./endpoints";
import { setPokeHandler } from "./poke";
import { updateWebhookPolicy } from "./settings";

// The cap and fairness tests run with the driver's defaults, as the app's dispatcher does.
const { db, handle } = useTestDb();
// Tests share the database: the harness unschedules what each leaves due, so the next one's dispatcher never sends it.
const { sender, receiver } = useWebhookHarness(db);

/** A clock the test moves by hand; it starts a second ahead so fresh deliveries are due. */
function testClock() {
  let t = Date.now() + 1000;
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

async function setup(opts: { behave?: Behaviour; eventTypes?: string[] } = {}) {
  const m = await makeMerchant(db());
  const r = await receiver({ behave: opts.behave });
  const endpoint = await createEndpoint(db(), m.ownerActor, {
    url: r.url,
    allEvents: !opts.eventTypes,
    eventTypes: opts.eventTypes ?? [],
    enabled: true,
  });
  const { secret } = await revealSecret(db(), m.ownerActor, { id: endpoint.id });
  r.setSecrets([secret]);
  const clock = testClock();
  const dispatcher = new Dispatcher({ db: db(), sender, now: clock.now, random: () => 0, batchSize: 50 });
  return { m, r, endpoint, secret, clock, dispatcher };
}

async function deliveriesOf(merchantId: string): Promise<WebhookDelivery[]> {
  return db().select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, merchantId)).orderBy(asc(webhookDeliveries.createdAt));
}

async function attemptsOf(deliveryId: string) {
  return db().select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveryId)).orderBy(asc(webhookAttempts.startedAt));
}

const fail500 = (_r: unknown, res: import("node:http").ServerResponse) => void res.writeHead(500).end("boom");

describe("fan-out", () => {
  it("creates deliveries in the event's own transaction: a rollback leaves none", async () => {
    const { m } = await setup();
    await transaction(db(), async (tx) => {
      await writeEvent(tx, { merchantId: m.merchant.id, type: "invoice.created", invoiceId: null, data: {} });
      throw new Error("roll back");
    }).catch(() => {});
    expect(await deliveriesOf(m.merchant.id)).toHaveLength(0);
    await writeTestEvents(db(), m.merchant.id, 1);
    const [d] = await deliveriesOf(m.merchant.id);
    expect(d).toMatchObject({ status: "pending", attempts: 0, eventType: "invoice.created" });
    expect(d!.messageId).toMatch(/^msg_/);
    expect(d!.nextAttemptAt).not.toBeNull();
  });

  it("one delivery per enabled endpoint that takes the type; none takes it → one url_not_set record", async () => {
    const { m, r } = await setup({ eventTypes: ["invoice.paid"] });
    const other = await createEndpoint(db(), m.ownerActor, { url: r.url, allEvents: true, enabled: true });
    await createEndpoint(db(), m.ownerActor, { url: r.url, allEvents: true, enabled: false });
    await writeTestEvents(db(), m.merchant.id, 1, "invoice.created");
    let rows = await deliveriesOf(m.merchant.id);
    expect(rows.map((d) => d.endpointId)).toEqual([other.id]);

    await updateEndpoint(db(), m.ownerActor, { id: other.id, url: r.url, allEvents: true, enabled: false });
    await writeTestEvents(db(), m.merchant.id, 1, "invoice.voided");
    rows = await deliveriesOf(m.merchant.id);
    expect(rows[1]).toMatchObject({ status: "url_not_set", endpointId: null, nextAttemptAt: null });
  });
});

describe("delivery", () => {
  it("posts { type, timestamp, data } signed per Standard Webhooks; the receiver verifies it", async () => {
    const { m, r, dispatcher } = await setup();
    await writeTestEvents(db(), m.merchant.id, 3);
    expect(await dispatcher.drain()).toBe(3);
    expect(r.received).toHaveLength(3);
    for (const got of r.received) {
      expect(got.verifiedWith).toEqual([0]);
      expect(got.headers["user-agent"]).toMatch(/^Settle-Webhooks\/\d/);
      expect(got.headers["content-type"]).toBe("application/json");
      const body = JSON.parse(got.body);
      expect(Object.keys(body)).toEqual(["type", "timestamp", "data"]);
      expect(body.type).toBe("invoice.created");
    }
    const rows = await deliveriesOf(m.merchant.id);
    expect(rows.every((d) => d.status === "succeeded" && d.attempts === 1 && d.nextAttemptAt === null && d.lockedUntil === null)).toBe(true);
    expect(new Set(r.received.map((x) => x.id))).toEqual(new Set(rows.map((d) => d.messageId)));
    const [attempt] = await attemptsOf(rows[0]!.id);
    expect(attempt).toMatchObject({ trigger: "auto", outcome: "succeeded", responseStatus: 200, responseBody: "ok", error: null });
    expect(attempt!.requestHeaders["webhook-id"]).toBe(rows[0]!.messageId);
  });

  it("during a rotation both secrets sign; after the 24-hour overlap only the new one", async () => {
    const { m, r, endpoint, secret: oldSecret, dispatcher } = await setup();
    const { secret: newSecret } = await rotateSecretWith({ now: () => new Date() })(db(), m.ownerActor, { id: endpoint.id });
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    r.setSecrets([oldSecret, newSecret]);
    await writeTestEvents(db(), m.merchant.id, 1);
    await dispatcher.drain();
    expect(r.received[0]!.verifiedWith).toEqual([0, 1]);

    // A rotation 24 hours ago: its overlap is over (the receiver checks timestamps against the real clock).
    await rotateSecretWith({ now: () => new Date(Date.now() - 24 * 60 * 60 * 1000 - 1000) })(db(), m.ownerActor, { id: endpoint.id });
    const { secret: newest } = await revealSecret(db(), m.ownerActor, { id: endpoint.id });
    r.setSecrets([oldSecret, newSecret, newest]);
    await writeTestEvents(db(), m.merchant.id, 1);
    await dispatcher.drain();
    expect(r.received[1]!.verifiedWith).toEqual([2]);
    expect(r.received[1]!.signature.split(" ")).toHaveLength(1);
  });

  it("a failure is retried at each step of the schedule (after the previous attempt), then stays failed", async () => {
    const { m, r, clock, dispatcher } = await setup({ behave: fail500 });
    await writeTestEvents(db(), m.merchant.id, 1);
    await dispatcher.drain();
    for (const step of [300, 600, 900]) {
      const [d] = await deliveriesOf(m.merchant.id);
      expect(d!.status).toBe("failed");
      const last = (await attemptsOf(d!.id)).at(-1)!;
      const due = last.startedAt.getTime() + last.durationMs + step * 1000;
      expect(d!.nextAttemptAt!.getTime()).toBe(due);
      clock.advance(due - clock.now().getTime() - 1);
      expect(await dispatcher.drain()).toBe(0);
      clock.advance(1);
      expect(await dispatcher.drain()).toBe(1);
    }
    const [d] = await deliveriesOf(m.merchant.id);
    expect(d).toMatchObject({ status: "failed", attempts: 4, nextAttemptAt: null, lastResponseStatus: 500 });
    expect(r.received).toHaveLength(4);
    expect(new Set(r.received.map((x) => x.id)).size).toBe(1);
    clock.advance(7 * 24 * 3600 * 1000);
    expect(await dispatcher.drain()).toBe(0);
  });

  it("jitter stretches a step by at most 10%", async () => {
    const { m, clock, r } = await setup({ behave: fail500 });
    const dispatcher = new Dispatcher({ db: db(), sender, now: clock.now, random: () => 0.999 });
    await writeTestEvents(db(), m.merchant.id, 1);
    await dispatcher.drain();
    const [d] = await deliveriesOf(m.merchant.id);
    const last = (await attemptsOf(d!.id))[0]!;
    const delay = d!.nextAttemptAt!.getTime() - (last.startedAt.getTime() + last.durationMs);
    expect(delay).toBeGreaterThan(300_000);
    expect(delay).toBeLessThanOrEqual(330_000);
    expect(r.received).toHaveLength(1);
  });

  it("with auto-retry off a failure is final", async () => {
    const { m, clock, dispatcher, r } = await setup({ behave: fail500 });
    await updateWebhookPolicy(db(), m.ownerActor, { autoRetry: false, retryMinutes: [5, 10, 15], timeoutSeconds: 10 });
    await writeTestEvents(db(), m.merchant.id, 1);
    await dispatcher.drain();
    clock.advance(24 * 3600 * 1000);
    expect(await dispatcher.drain()).toBe(0);
    const [d] = await deliveriesOf(m.merchant.id);
    expect(d).toMatchObject({ status: "failed", attempts: 1, nextAttemptAt: null });
    expect(r.received).toHaveLength(1);
  });

  it("Retry-After is honoured within [step, 2×step]", async () => {
    const answers = ["1200", "10", "450"];
    const { m, clock, dispatcher } = await setup({
      behave: (_r, res) => void res.writeHead(503, { "retry-after": answers.shift() ?? "0" }).end(),
    });
    await updateWebhookPolicy(db(), m.ownerActor, { autoRetry: true, retryMinutes: [5, 5, 5, 5], timeoutSeconds: 10 });
    await writeTestEvents(db(), m.merchant.id, 1);
    const expected = [600, 300, 450];
    for (const seconds of expected) {
      await dispatcher.drain();
      const [d] = await deliveriesOf(m.merchant.id);
      const last = (await attemptsOf(d!.id)).at(-1)!;
      expect(d!.nextAttemptAt!.getTime() - (last.startedAt.getTime() + last.durationMs)).toBe(seconds * 1000);
      clock.advance(seconds * 1000 + 1000);
    }
  });

  it("a timeout ends as `timeout` and is not retried automatically; a manual retry sends it", async () => {
    let slow = true;
    const { m, clock, dispatcher, r } = await setup({
      behave: (_r, res) => void setTimeout(() => res.writeHead(200).end("late"), slow ? 1500 : 0),
    });
    await updateWebhookPolicy(db(), m.ownerActor, { autoRetry: true, retryMinutes: [1], timeoutSeconds: 1 });
    await writeTestEvents(db(), m.merchant.id, 1);
    await dispatcher.drain();
    let [d] = await deliveriesOf(m.merchant.id);
    expect(d).toMatchObject({ status: "timeout", attempts: 1, nextAttemptAt: null });
    expect((await attemptsOf(d!.id))[0]!.error).toMatch(/Timed out after 1000 ms/);
    clock.advance(3600_000);
    expect(await dispatcher.drain()).toBe(0);

    slow = false;
    const support = (await m.addMember("support")).actor;
    const outcome = await retryDeliveryWith({ sender: () => sender, now: clock.now })(db(), support, { id: d!.id });
    expect(outcome.outcome).toBe("succeeded");
    [d] = await deliveriesOf(m.merchant.id);
    expect(d).toMatchObject({ status: "succeeded", attempts: 2 });
    const attempts = await attemptsOf(d!.id);
    expect(attempts[1]).toMatchObject({ trigger: "manual", triggeredBy: support.userId, outcome: "succeeded" });
    expect(r.received).toHaveLength(2);
  });

  it("url_not_set is never sent on its own; a manual retry sends it once an endpoint exists", async () => {
    const m = await makeMerchant(db());
    const clock = testClock();
    const dispatcher = new Dispatcher({ db: db(), sender, now: clock.now });
    await writeTestEvents(db(), m.merchant.id, 1);
    clock.advance(3600_000);
    expect(await dispatcher.drain()).toBe(0);
    let [d] = await deliveriesOf(m.merchant.id);
    expect(d).toMatchObject({ status: "url_not_set", attempts: 0 });
    const err = await retryDeliveryWith({ sender: () => sender, now: clock.now })(db(), m.ownerActor, { id: d!.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("conflict");

    const r = await receiver();
    await createEndpoint(db(), m.ownerActor, { url: r.url, allEvents: true, enabled: true });
    const outcome = await retryDeliveryWith({ sender: () => sender, now: clock.now })(db(), m.ownerActor, { id: d!.id });
    expect(outcome.outcome).toBe("succeeded");
    [d] = await deliveriesOf(m.merchant.id);
    expect(d).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(r.received).toHaveLength(1);
  });

  it("a final failure and a success can both be retried by hand", async () => {
    let status = 500;
    const { m, dispatcher, clock, r } = await setup({ behave: (_r, res) => void res.writeHead(status).end(`status ${status}`) });
    await updateWebhookPolicy(db(), m.ownerActor, { autoRetry: false, retryMinutes: [5], timeoutSeconds: 10 });
    await writeTestEvents(db(), m.merchant.id, 1);
    await dispatcher.drain();
    const [d] = await deliveriesOf(m.merchant.id);
    expect(d!.status).toBe("failed");
    status = 200;
    expect((await retryDeliveryWith({ sender: () => sender, now: clock.now })(db(), m.ownerActor, { id: d!.id })).outcome).toBe("succeeded");
    status = 500;
    const again = await retryDeliveryWith({ sender: () => sender, now: clock.now })(db(), m.ownerActor, { id: d!.id });
    expect(again).toMatchObject({ outcome: "failed", responseStatus: 500, responseBody: "status 500", nextAttemptAt: null });
    const detail = await getDeliveryDetail(db(), { merchantId: m.merchant.id, id: d!.id });
    expect(detail!.attemptList.map((a) => [a.trigger, a.outcome])).toEqual([
      ["auto", "failed"],
      ["manual", "succeeded"],
      ["manual", "failed"],
    ]);
    expect(r.received.map((x) => x.id)).toEqual([d!.messageId, d!.messageId, d!.messageId]);
  });

  it("a redirect is not followed: it is a failure", async () => {
    const target = await receiver();
    const { m, dispatcher } = await setup({ behave: (_r, res) => void res.writeHead(302, { location: target.url }).end() });
    await writeTestEvents(db(), m.merchant.id, 1);
    await dispatcher.drain();
    const [d] = await deliveriesOf(m.merchant.id);
    expect(d).toMatchObject({ status: "failed", lastResponseStatus: 302 });
    expect((await attemptsOf(d!.id))[0]!.error).toMatch(/Redirect .* not followed/);
    expect(target.received).toHaveLength(0);
  });

  it("keeps the first 4 KiB of a response body", async () => {
    const { m, dispatcher } = await setup({ behave: (_r, res) => void res.writeHead(200).end("x".repeat(50_000)) });
    await writeTestEvents(db(), m.merchant.id, 1);
    await dispatcher.drain();
    const [d] = await deliveriesOf(m.merchant.id);
    expect((await attemptsOf(d!.id))[0]!.responseBody).toHaveLength(4096);
  });

  it("a flaky receiver: every delivery ends in the state the rules give", async () => {
    // Deterministic chaos per (message, attempt): 500, a connection dropped, too slow, or 200.
    const seen = new Map<string, number>();
    const { m, clock, dispatcher } = await setup({
      behave: (req, res) => {
        const n = (seen.get(req.id) ?? 0) + 1;
        seen.set(req.id, n);
        const roll = [...`${req.id}:${n}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 10;
        if (roll < 3) return void res.writeHead(500).end("flaky");
        if (roll < 5) return void res.socket?.destroy();
        if (roll < 6) return void setTimeout(() => res.writeHead(200).end(), 1500);
        res.writeHead(200).end("ok");
      },
    });
    await updateWebhookPolicy(db(), m.ownerActor, { autoRetry: true, retryMinutes: [1, 2], timeoutSeconds: 1 });
    await writeTestEvents(db(), m.merchant.id, 60, "invoice.created", 10);
    for (let i = 0; i < 4; i++) {
      await dispatcher.drain();
      clock.advance(5 * 60_000);
    }
    const rows = await deliveriesOf(m.merchant.id);
    expect(rows).toHaveLength(60);
    const all = await db().select().from(webhookAttempts).where(eq(webhookAttempts.merchantId, m.merchant.id));
    const byDelivery = new Map<string, typeof all>();
    for (const a of all) byDelivery.set(a.deliveryId, [...(byDelivery.get(a.deliveryId) ?? []), a]);
    const finals = new Set<string>();
    for (const d of rows) {
      const list = (byDelivery.get(d.id) ?? []).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
      expect(list).toHaveLength(d.attempts);
      expect(d.nextAttemptAt).toBeNull();
      expect(d.status).toBe(list.at(-1)!.outcome);
      // Only a plain failure is retried, and only while the schedule lasts.
      list.slice(0, -1).forEach((a) => expect(a.outcome).toBe("failed"));
      if (d.status === "failed") expect(d.attempts).toBe(3);
      expect(d.attempts).toBe(seen.get(d.messageId));
      finals.add(d.status);
    }
    expect(finals).toEqual(new Set(["succeeded", "failed", "timeout"]));
  });
});

describe("endpoints over time", () => {
  it("after 5 days of nothing but failures an endpoint is disabled, with the date kept", async () => {
    const { m, clock, dispatcher, endpoint } = await setup({ behave: fail500 });
    await updateWebhookPolicy(db(), m.ownerActor, { autoRetry: true, retryMinutes: Array(8).fill(1440), timeoutSeconds: 10 });
    await writeTestEvents(db(), m.merchant.id, 1);
    for (let day = 0; day <= 5; day++) {
      await dispatcher.drain();
      const [ep] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
      expect(ep!.enabled).toBe(day < 5);
      expect(ep!.consecutiveFailures).toBe(day + 1);
      clock.advance(24 * 3600_000 * 1.01);
    }
    const [ep] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep!.autoDisabledAt).not.toBeNull();
    // The schedule stops at a disabled endpoint.
    await dispatcher.drain();
    const [d] = await deliveriesOf(m.merchant.id);
    expect(d).toMatchObject({ attempts: 7, status: "failed", nextAttemptAt: null });
    expect((await attemptsOf(d!.id)).at(-1)!.error).toMatch(/endpoint is disabled/);
  });

  it("a success resets the failing streak; health shows the 24-hour success rate", async () => {
    let ok = false;
    const { m, dispatcher, endpoint } = await setup({ behave: (_r, res) => void res.writeHead(ok ? 200 : 500).end() });
    await writeTestEvents(db(), m.merchant.id, 3);
    await dispatcher.drain();
    let [ep] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep!.consecutiveFailures).toBe(3);
    expect(ep!.failingSince).not.toBeNull();
    ok = true;
    await writeTestEvents(db(), m.merchant.id, 1);
    await dispatcher.drain();
    [ep] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep).toMatchObject({ consecutiveFailures: 0, failingSince: null });
    const [listed] = await listEndpoints(db(), m.merchant.id);
    expect(listed!.health).toEqual({ attempts24h: 4, succeeded24h: 1, successRate24h: 0.25 });
  });

  it("send test event: a webhook.test delivery to that endpoint alone, result returned at once", async () => {
    const { m, r, endpoint } = await setup();
    const other = await createEndpoint(db(), m.ownerActor, { url: r.url, allEvents: true, enabled: true });
    const outcome = await sendTestEventWith({ sender: () => sender })(db(), m.ownerActor, { id: endpoint.id });
    expect(outcome).toMatchObject({ outcome: "succeeded", responseStatus: 200, trigger: "test" });
    expect(r.received).toHaveLength(1);
    expect(JSON.parse(r.received[0]!.body).type).toBe("webhook.test");
    const rows = await deliveriesOf(m.merchant.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ endpointId: endpoint.id, eventType: "webhook.test", status: "succeeded", nextAttemptAt: null });
    expect(rows[0]!.endpointId).not.toBe(other.id);
  });
});

describe("leases", () => {
  it("a claimed delivery is skipped by other claimers until its lease runs out on the database's clock, whatever the caller's clock says", async () => {
    const { m, clock } = await setup();
    await writeTestEvents(db(), m.merchant.id, 2);
    const first = await claimDue(db(), { now: clock.now(), limit: 10, leaseMs: 400 });
    expect(first).toHaveLength(2);
    // An instance whose clock runs an hour ahead still sees the lease.
    clock.advance(3600_000);
    expect(await claimDue(db(), { now: clock.now(), limit: 10, leaseMs: 400 })).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 450));
    const again = await claimDue(db(), { now: clock.now(), limit: 10, leaseMs: 400 });
    expect(again.map((d) => d.id).sort()).toEqual(first.map((d) => d.id).sort());
    expect(again[0]!.leaseId).not.toBe(first[0]!.leaseId);
    // The first claim's attempt is in the log, labelled: nobody recorded what became of it.
    const attempts = await attemptsOf(first[0]!.id);
    expect(attempts.map((a) => [a.outcome, a.error])).toEqual([["pending", expect.stringMatching(/^Interrupted/)]]);
    // The second is under way: the log shows it with no result yet.
    const detail = await getDeliveryDetail(db(), { merchantId: m.merchant.id, id: first[0]!.id });
    expect(detail!.attemptList.map((a) => [a.outcome, a.error])).toEqual([
      ["pending", expect.stringMatching(/^Interrupted/)],
      ["pending", null],
    ]);
  });

  it.runIf(onServerPostgres())("renewing a lease never waits on a row being recorded (a renewal and a record cannot deadlock)", async () => {
    const { m, clock } = await setup();
    await writeTestEvents(db(), m.merchant.id, 1);
    const [d] = await claimDue(db(), { now: clock.now(), limit: 10 });
    await transaction(db(), async (tx) => {
      // Another statement holds the row, as a record does while it writes the result.
      await tx.execute(sql`select id from webhook_deliveries where id = ${d!.id} for update`);
      const started = Date.now();
      await renewLeases(db(), [{ id: d!.id, leaseId: d!.leaseId }]);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  }, 10_000);

  it("a send that outlasts its lease keeps it: the dispatcher renews it while the request runs", async () => {
    const { m, r } = await setup({ behave: (_r, res) => void setTimeout(() => res.writeHead(200).end("ok"), 900) });
    const dispatcher = new Dispatcher({ db: db(), sender, leaseMs: 300 });
    await writeTestEvents(db(), m.merchant.id, 1);
    const sending = dispatcher.drain();
    await new Promise((res) => setTimeout(res, 600));
    // Twice the lease later, another claimer still finds it held.
    expect(await claimDue(db(), { limit: 10 })).toHaveLength(0);
    expect(await sending).toBe(1);
    const [d] = await deliveriesOf(m.merchant.id);
    expect(d).toMatchObject({ status: "succeeded", attempts: 1, lockedUntil: null });
    expect(r.received).toHaveLength(1);
  });
});

describe("bulk retry", () => {
  let env: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    env = await setup({ behave: fail500 });
  });

  it("queues every matching delivery for the dispatcher and counts progress to the end", async () => {
    const { m, r, dispatcher, clock } = env;
    await updateWebhookPolicy(db(), m.ownerActor, { autoRetry: false, retryMinutes: [5], timeoutSeconds: 10 });
    await writeTestEvents(db(), m.merchant.id, 30, "invoice.created", 10);
    await writeTestEvents(db(), m.merchant.id, 5, "invoice.voided", 5);
    await dispatcher.drain();
    r.behave((_r, res) => void res.writeHead(200).end("ok"));
    const support = (await m.addMember("support")).actor;
    const job = await startBulkRetryWith({ now: clock.now })(db(), support, { status: ["failed"], type: "invoice.created" });
    expect(job).toMatchObject({ total: 30, done: 0, status: "running" });
    await dispatcher.drain();
    const [after] = await db().select().from(webhookRetryJobs).where(eq(webhookRetryJobs.id, job.id));
    expect(after).toMatchObject({ total: 30, done: 30, status: "finished" });
    const rows = await deliveriesOf(m.merchant.id);
    expect(rows.filter((d) => d.status === "succeeded")).toHaveLength(30);
    expect(rows.filter((d) => d.eventType === "invoice.voided").every((d) => d.status === "failed")).toBe(true);
    const bulk = await db()
      .select()
      .from(webhookAttempts)
      .where(and(eq(webhookAttempts.merchantId, m.merchant.id), eq(webhookAttempts.trigger, "bulk")));
    expect(bulk).toHaveLength(30);
    expect(bulk.every((a) => a.triggeredBy === support.userId)).toBe(true);
  });
});

describe("isolation and fairness", () => {
  const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1]!;
  /** Event→arrival for each request a receiver got, by the event's created_at. */
  async function latencies(r: Receiver, merchantId: string) {
    const rows = await db()
      .select({ messageId: webhookDeliveries.messageId, createdAt: webhookDeliveries.createdAt })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.merchantId, merchantId));
    const created = new Map(rows.map((d) => [d.messageId, d.createdAt.getTime()]));
    return r.received.filter((x) => created.has(x.id)).map((x) => x.at - created.get(x.id)!);
  }

  it("an endpoint that hangs until its timeout does not hold back a healthy one", async () => {
    const m = await makeMerchant(db());
    await updateWebhookPolicy(db(), m.ownerActor, { autoRetry: false, retryMinutes: [5], timeoutSeconds: 5 });
    // One host, two endpoints: the hanging one must not hold the sockets to it either.
    const host = await receiver({ behave: (r, res) => void (r.path.includes("hang") ? undefined : res.writeHead(200).end("ok")) });
    await createEndpoint(db(), m.ownerActor, { url: `${host.url}?hang`, allEvents: true, enabled: true });
    await createEndpoint(db(), m.ownerActor, { url: host.url, allEvents: true, enabled: true });
    const healthy = { get received() { return host.received.filter((x) => !x.path.includes("hang")); } } as Receiver;
    const dispatcher = new Dispatcher({ db: db(), driver: handle().driver, sender, sweepMs: 100 });
    setPokeHandler(() => dispatcher.poke());
    dispatcher.start();
    try {
      // About 30 events a second for 3 seconds, each to both endpoints.
      for (let i = 0; i < 90; i++) {
        await writeTestEvents(db(), m.merchant.id, 1);
        await new Promise((r) => setTimeout(r, 33));
      }
      const deadline = Date.now() + 5000;
      while (healthy.received.length < 90 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(healthy.received).toHaveLength(90);
      expect(p99(await latencies(healthy, m.merchant.id))).toBeLessThanOrEqual(1000);
    } finally {
      setPokeHandler(undefined);
      await db().update(webhookDeliveries).set({ nextAttemptAt: null });
      await dispatcher.stop();
    }
  }, 30_000);

  it("a claim a cap held back claims again as results free room, not at the next sweep", async () => {
    const m = await makeMerchant(db());
    let n = 0;
    // Staggered answers: results keep being recorded while the next claim runs.
    const r = await receiver({ behave: (_r, res) => void setTimeout(() => res.writeHead(200).end("ok"), 20 * (n++ % 4)) });
    await createEndpoint(db(), m.ownerActor, { url: r.url, allEvents: true, enabled: true });
    await writeTestEvents(db(), m.merchant.id, 24);
    // Each claim answers 100 ms late, so the counts it was made with are lower by the time it returns.
    const slowClaims = new Proxy(db(), {
      get(target, key, self) {
        if (key !== "execute") return Reflect.get(target, key, self);
        return async (query: Parameters<typeof target.execute>[0]) => {
          const result = await target.execute(query);
          if (rowsOf(result)[0]?.lease_id !== undefined) await new Promise((done) => setTimeout(done, 100));
          return result;
        };
      },
    });
    // No sweep in the test's time: only results can start the next claim.
    const dispatcher = new Dispatcher({ db: slowClaims, sender, concurrency: 8, perEndpoint: 4, batchSize: 8, sweepMs: 60_000 });
    dispatcher.start();
    try {
      const deadline = Date.now() + 10_000;
      while (r.received.length < 24 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
      expect(r.received).toHaveLength(24);
      expect(Math.max(...r.received.map((x) => x.at)) - Math.min(...r.received.map((x) => x.at))).toBeLessThan(5000);
    } finally {
      await db().update(webhookDeliveries).set({ nextAttemptAt: null });
      await dispatcher.stop();
    }
  }, 30_000);

  it("one merchant's backlog does not starve another merchant", async () => {
    const busy = await makeMerchant(db());
    const slow = await receiver({ behave: (_r, res) => void setTimeout(() => res.writeHead(200).end("ok"), 400) });
    await createEndpoint(db(), busy.ownerActor, { url: slow.url, allEvents: true, enabled: true });
    await writeTestEvents(db(), busy.merchant.id, 2000, "invoice.created", 500);
    const quiet = await makeMerchant(db());
    const fast = await receiver();
    await createEndpoint(db(), quiet.ownerActor, { url: fast.url, allEvents: true, enabled: true });

    const dispatcher = new Dispatcher({ db: db(), driver: handle().driver, sender, sweepMs: 100 });
    setPokeHandler(() => dispatcher.poke());
    dispatcher.start();
    try {
      await new Promise((r) => setTimeout(r, 500));
      for (let i = 0; i < 20; i++) await writeTestEvents(db(), quiet.merchant.id, 1);
      const deadline = Date.now() + 5000;
      while (fast.received.length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(fast.received).toHaveLength(20);
      expect(p99(await latencies(fast, quiet.merchant.id))).toBeLessThanOrEqual(1000);
      // The backlog was still draining all along.
      expect(slow.received.length).toBeLessThan(2000);
    } finally {
      setPokeHandler(undefined);
      await db().update(webhookDeliveries).set({ nextAttemptAt: null });
      await dispatcher.stop();
    }
  }, 30_000);
});
