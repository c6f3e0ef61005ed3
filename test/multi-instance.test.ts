import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRateWindows, events, invoices, payments, providerNotifications, webhookAttempts, webhookDeliveries } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { signNotification } from "@/lib/connectors/signature";
import { encryptionKey } from "@/lib/env";
import { createStandaloneLink } from "@/lib/payment-links/create";
import { listServices, sandboxSecret } from "@/lib/payment-services/services";
import { rowsOf } from "@/db/rows";
import { createEndpoint, revealSecret } from "@/lib/webhooks/endpoints";
import { messageIdOf } from "@/lib/webhooks/fan-out";
import { createTestDb, onServerPostgres, type TestDb } from "./db";
import { makeMerchant, makeUser } from "./factories";
import { findLeaks } from "./log-leaks";
import { type Cluster, type Instance, startCluster } from "./next-cluster";
import { type Receiver, startReceiver } from "./webhook-receiver";

/**
 * Three `next start` processes on one server Postgres, each with its own
 * in-process webhook dispatcher, driven over HTTP the way providers and
 * people reach them. Nothing may depend on which instance a request lands
 * on, or on an instance staying alive.
 */
describe.runIf(onServerPostgres())("three instances on one Postgres", () => {
  const PAN = "4242424242424242";
  const authSecret = `mi-auth-${randomBytes(24).toString("base64url")}`;
  let handle: TestDb;
  let cluster: Cluster;
  let receiver: Receiver;
  let merchant: Awaited<ReturnType<typeof makeMerchant>>;
  let sandbox: { id: string; secret: string };
  let webhookSecret = "";
  let apiSecret = "";

  beforeAll(async () => {
    handle = await createTestDb();
    receiver = await startReceiver();
    merchant = await makeMerchant(handle.db, "Cluster Store");
    const endpoint = await createEndpoint(handle.db, merchant.ownerActor, { url: receiver.url, allEvents: true, enabled: true });
    webhookSecret = (await revealSecret(handle.db, merchant.ownerActor, { id: endpoint.id })).secret;
    receiver.setSecrets([webhookSecret]);
    const [service] = await listServices(handle.db, merchant.merchant.id);
    sandbox = { id: service!.id, secret: (await sandboxSecret(handle.db, service!.id))!.secret! };
    cluster = await startCluster(3, {
      DATABASE_URL: handle.url!,
      DATABASE_POOL_MAX: "5",
      AUTH_SECRET: authSecret,
      // The key this process sealed the secrets with: every instance must open them.
      SETTLE_ENCRYPTION_KEY: encryptionKey(),
      WEBHOOKS_DISPATCHER: "on",
      WEBHOOKS_ALLOW_PRIVATE: "true",
      LOG_LEVEL: "debug",
    });
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await receiver?.close();
    await handle?.close();
  });

  // ---- driving the instances over HTTP -------------------------------------------------

  /** Sign-in through next-auth's own routes on one instance: the session cookie, or the error it answered. */
  async function signIn(at: Instance, email: string, password: string): Promise<{ cookie?: string; error?: string }> {
    const csrf = await fetch(`${at.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const res = await fetch(`${at.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
      body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${at.url}/dashboard` }),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
    const { url } = (await res.json()) as { url: string };
    const error = new URL(url).searchParams.get("error") ?? undefined;
    return { cookie: session?.split(";")[0], error };
  }

  /** Sign-out through next-auth's own routes on one instance, as the user menu's button does. */
  async function signOut(at: Instance, cookie: string): Promise<void> {
    const csrf = await fetch(`${at.url}/api/auth/csrf`, { headers: { cookie } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const jar = [cookie, ...csrf.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
    const res = await fetch(`${at.url}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
      body: new URLSearchParams({ csrfToken, json: "true" }),
    });
    expect(res.status).toBe(200);
  }

  interface Notification {
    body: Record<string, unknown>;
    requestId: string;
  }

  /**
   * POSTs a signed sandbox notification to one instance. A provider whose call
   * fails (the instance is down, or dies mid-request) sends it again; here, to
   * the next instance that is alive.
   */
  async function notify(first: number, n: Notification): Promise<{ status: number; outcome?: string; instance: number }> {
    const raw = JSON.stringify(n.body);
    const order = [0, 1, 2].map((d) => cluster.instances[(first + d) % 3]!);
    for (const target of [...order, ...order]) {
      try {
        const res = await fetch(`${target.url}/api/providers/${sandbox.id}/notify`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-request-id": n.requestId, ...signNotification(sandbox.secret, raw) },
          body: raw,
        });
        const json = (await res.json()) as { outcome?: string };
        return { status: res.status, outcome: json.outcome, instance: target.index };
      } catch {
        // Refused (the instance is gone) or cut off mid-request: the provider tries again elsewhere.
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`no instance took notification ${n.requestId}`);
  }

  // ---- what the merchant should end up with --------------------------------------------

  type Scenario = "paid" | "paid_in_two" | "failed_then_paid" | "overpaid" | "declined";
  const expected: Record<Scenario, { status: string; paid: number; last: string }> = {
    paid: { status: "paid", paid: 100_000, last: "invoice.paid" },
    paid_in_two: { status: "paid", paid: 100_000, last: "invoice.paid" },
    failed_then_paid: { status: "paid", paid: 100_000, last: "invoice.paid" },
    overpaid: { status: "extra", paid: 120_000, last: "invoice.overpaid" },
    declined: { status: "unpaid", paid: 0, last: "payment.failed" },
  };

  interface Order {
    scenario: Scenario;
    invoiceId: string;
    steps: Notification[];
  }

  /** Links made through the domain functions (as the dashboard does), each with the notifications its scenario sends, in order. */
  async function makeOrders(label: string, scenarios: Scenario[]): Promise<Order[]> {
    return Promise.all(
      scenarios.map(async (scenario, i) => {
        const link = await createStandaloneLink(handle.db, merchant.ownerActor, {
          currency: "VND",
          amount: "100000",
          description: `${label} order ${i}`,
          serviceIds: [sandbox.id],
        });
        const ref = (k: string) => `${label}-${i}-${k}`;
        const body = (id: string, status: string, amount: number, extra: Record<string, unknown> = {}) => ({
          id,
          status,
          amount,
          currency: "VND",
          payment_link_id: link.id,
          payment_method: "card",
          ...extra,
        });
        const bodies = {
          paid: [body(ref("a"), "succeeded", 100_000, { card_number: PAN, card_last4: "4242" })],
          paid_in_two: [body(ref("a"), "succeeded", 40_000), body(ref("b"), "succeeded", 60_000)],
          failed_then_paid: [body(ref("a"), "failed", 100_000, { message: "insufficient funds" }), body(ref("a"), "succeeded", 100_000)],
          overpaid: [body(ref("a"), "succeeded", 120_000)],
          declined: [body(ref("a"), "failed", 100_000, { card_number: PAN })],
        }[scenario];
        return { scenario, invoiceId: link.invoiceId, steps: bodies.map((b, k) => ({ body: b, requestId: `mi-${ref(String(k))}` })) };
      }),
    );
  }

  const merchantId = () => merchant.merchant.id;

  async function undelivered(): Promise<number> {
    const [row] = rowsOf(
      await handle.db.execute(sql`select count(*)::int as n from webhook_deliveries where merchant_id = ${merchantId()} and status <> 'succeeded'`),
    );
    return Number(row!.n);
  }

  async function untilDelivered(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await undelivered()) > 0) {
      if (Date.now() > deadline) throw new Error(`${await undelivered()} deliveries still not delivered after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Each invoice's status and paid amount, one payment per provider transaction, and each change recorded once. */
  async function expectLedger(orders: Order[]) {
    for (const order of orders) {
      const [inv] = await handle.db.select().from(invoices).where(and(eq(invoices.merchantId, merchantId()), eq(invoices.id, order.invoiceId)));
      expect({ scenario: order.scenario, status: inv!.paymentStatus, paid: inv!.paidAmount }).toEqual({
        scenario: order.scenario,
        status: expected[order.scenario].status,
        paid: expected[order.scenario].paid,
      });
      const refs = new Set(order.steps.map((s) => String(s.body.id)));
      const pays = await handle.db.select().from(payments).where(eq(payments.invoiceId, order.invoiceId));
      expect(pays.map((p) => p.providerRef).sort()).toEqual([...refs].sort());
      const notes = await handle.db.select().from(providerNotifications).where(eq(providerNotifications.invoiceId, order.invoiceId));
      const recorded = notes.filter((n) => n.outcome === "recorded").map((n) => `${n.providerRef}`);
      // One recorded change per step (a failure, then the success of the same transaction, are two changes).
      expect(recorded.sort(), order.scenario).toEqual(order.steps.map((s) => String(s.body.id)).sort());
      expect(notes.every((n) => n.outcome === "recorded" || n.outcome === "duplicate")).toBe(true);
    }
  }

  /**
   * Every event of these invoices reached the receiver, signed with the
   * endpoint's secret, under its own webhook-id, and the last one says what
   * the invoice became. Returns how often each webhook-id arrived.
   */
  async function expectEveryEventDelivered(orders: Order[]): Promise<Map<string, number>> {
    const ids = orders.map((o) => o.invoiceId);
    const evts = await handle.db
      .select({ id: events.id, type: events.type, invoiceId: events.invoiceId })
      .from(events)
      .where(and(eq(events.merchantId, merchantId()), sql`${events.invoiceId} = any(${sql.raw(`array[${ids.map((i) => `'${i}'`).join(",")}]`)})`));
    const counts = new Map<string, number>();
    for (const r of receiver.received) {
      expect(r.verifiedWith).toEqual([0]);
      counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    }
    for (const e of evts) expect(counts.get(messageIdOf(e.id)), `${e.type} of ${e.invoiceId}`).toBeGreaterThanOrEqual(1);
    for (const order of orders) {
      const types = evts.filter((e) => e.invoiceId === order.invoiceId).map((e) => e.type);
      expect(types, order.scenario).toContain("invoice.created");
      expect(types, order.scenario).toContain(expected[order.scenario].last);
    }
    const deliveries = await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, merchantId()));
    expect(deliveries.filter((d) => ids.includes(d.invoiceId ?? "")).length).toBe(evts.length);
    return new Map([...counts].filter(([id]) => evts.some((e) => messageIdOf(e.id) === id)));
  }

  /** Sends every order's steps in order, orders concurrently; step k of order i goes to instance (i + k) % 3, and every other step also goes, at the same moment, to the other two. */
  async function drive(orders: Order[], { duplicateEvery = 2 } = {}) {
    const answers: Array<{ status: number; outcome?: string; instance: number }> = [];
    await Promise.all(
      orders.map(async (order, i) => {
        for (const [k, step] of order.steps.entries()) {
          const first = (i + k) % 3;
          const targets = (i + k) % duplicateEvery === 0 ? [first, (first + 1) % 3, (first + 2) % 3] : [first];
          answers.push(...(await Promise.all(targets.map((t) => notify(t, step)))));
        }
      }),
    );
    return answers;
  }

  // ---- the tests ----------------------------------------------------------------------

  it("a session made on one instance works on the others and ends on all of them; sign-in failures on all three add up to one lockout", async () => {
    const [a, b, c] = cluster.instances as [Instance, Instance, Instance];
    const { user } = await merchant.addMember("admin");
    const { cookie, error } = await signIn(a, user.email, "correct-horse");
    expect(error).toBeUndefined();
    for (const other of [b, c]) {
      const res = await fetch(`${other.url}/dashboard`, { headers: { cookie: cookie! }, redirect: "manual" });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Cluster Store");
    }
    expect((await fetch(`${b.url}/dashboard`, { redirect: "manual" })).status).toBe(307);

    // Signed out on one instance, the same cookie (a copy kept anywhere) is refused on every one.
    await signOut(b, cookie!);
    for (const at of [a, b, c]) {
      const res = await fetch(`${at.url}/dashboard`, { headers: { cookie: cookie! }, redirect: "manual" });
      const login = new URL(res.headers.get("location") ?? "", at.url);
      expect([res.status, login.pathname + login.search], `instance ${at.index}`).toEqual([307, "/login?callbackUrl=%2Fdashboard"]);
    }

    const target = await makeUser(handle.db, "Tom");
    for (const [i, at] of [a, b, c, a, b].entries()) {
      expect((await signIn(at, target.email, `mi-wrong-${i}`)).error).toBe("Email or password is incorrect.");
    }
    const locked = await signIn(c, target.email, "correct-horse");
    expect(locked.cookie).toBeUndefined();
    expect(locked.error).toMatch(/Too many failed sign-in attempts/);
  });

  it("notifications round-robin, with concurrent duplicates on different instances: every invoice right, every event delivered exactly once", async () => {
    const scenarios: Scenario[] = ["paid", "paid_in_two", "failed_then_paid", "overpaid", "declined"];
    const orders = await makeOrders("rr", [...scenarios, ...scenarios, ...scenarios]);
    const answers = await drive(orders);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.instance))).toEqual(new Set([0, 1, 2]));

    await untilDelivered(60_000);
    await expectLedger(orders);
    const counts = await expectEveryEventDelivered(orders);
    // Three dispatchers, no delivery sent twice: one attempt each, one request each.
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const [row] = rowsOf(
      await handle.db.execute(sql`
        select count(*)::int as deliveries, coalesce(sum(attempts), 0)::int as attempts,
          (select count(*)::int from webhook_attempts a where a.merchant_id = ${merchantId()}) as attempt_rows
        from webhook_deliveries where merchant_id = ${merchantId()}`),
    );
    expect(row!.deliveries).toBeGreaterThan(orders.length * 2);
    expect(row!.attempts).toBe(row!.deliveries);
    expect(row!.attempt_rows).toBe(row!.deliveries);
  }, 120_000);

  it("the REST API on all three: one execution per Idempotency-Key whichever instances it reaches, and every instance reads the same status", async () => {
    const { secret } = await createApiKey(handle.db, merchant.ownerActor, { name: "Cluster order system" });
    apiSecret = secret;
    async function api(at: Instance, method: "GET" | "POST", path: string, body?: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`${at.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${secret}`, ...(body ? { "content-type": "application/json" } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, replayed: res.headers.get("idempotent-replayed") === "true", json: (await res.json()) as Record<string, any> };
    }

    // Each payment request reaches all three instances at once under one key, as a client retrying through a load balancer might.
    const orders: Order[] = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const body = { payment_method: "card", amount: 100_000, currency: "VND", description: `api order ${i}`, reference_id: `mi-api-${i}` };
        const answers = await Promise.all(cluster.instances.map((at) => api(at, "POST", "/payments", body, { "idempotency-key": `mi-api-key-${i}` })));
        expect(answers.map((a) => a.status).every((s) => s === 201 || s === 409), JSON.stringify(answers)).toBe(true);
        const executed = answers.filter((a) => a.status === 201 && !a.replayed);
        expect(executed).toHaveLength(1);
        for (const a of answers.filter((x) => x.status === 409)) expect(a.json.error.code).toBe("idempotency_in_progress");
        for (const a of answers.filter((x) => x.replayed)) expect(a.json.payment_request_id).toBe(executed[0]!.json.payment_request_id);
        const created = executed[0]!.json;
        const again = await api(cluster.instances[(i + 1) % 3]!, "POST", "/payments", body, { "idempotency-key": `mi-api-key-${i}` });
        expect(again).toMatchObject({ status: 201, replayed: true, json: { payment_request_id: created.payment_request_id } });
        const paid = { id: `mi-api-${i}-a`, status: "succeeded", amount: 100_000, currency: "VND", payment_link_id: created.payment_request_id, payment_method: "card" };
        return { scenario: "paid" as const, invoiceId: String(created.invoice_id), steps: [{ body: paid, requestId: `mi-api-${i}` }] };
      }),
    );
    const made = await handle.db.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.merchantId, merchantId()), sql`${invoices.referenceId} like 'mi-api-%'`));
    expect(made).toHaveLength(6);

    await drive(orders);
    await untilDelivered(60_000);
    await expectLedger(orders);
    const counts = await expectEveryEventDelivered(orders);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const order of orders) {
      const reads = await Promise.all(cluster.instances.map((at) => api(at, "GET", `/invoices/${order.invoiceId}`)));
      expect(reads.map((r) => [r.status, r.json.payment_status, r.json.paid_amount])).toEqual(Array(3).fill([200, "paid", 100_000]));
    }
  }, 120_000);

  it("the API rate limit is one count across the three: every answer follows the shared per-second windows", async () => {
    const { key, secret } = await createApiKey(handle.db, merchant.ownerActor, { name: "Busy client" });
    // 250 reads at once, round-robin: more than the default 100 a second lands in some second.
    const statuses = await Promise.all(
      Array.from({ length: 250 }, async (_, i) => {
        const res = await fetch(`${cluster.instances[i % 3]!.url}/api/v1/payment-services`, { headers: { authorization: `Bearer ${secret}` } });
        const body = (await res.json()) as { error?: { code: string } };
        if (res.status === 429) expect(body.error?.code).toBe("rate_limited");
        return res.status;
      }),
    );
    const windows = await handle.db.select().from(apiRateWindows).where(eq(apiRateWindows.keyId, key.id));
    expect(windows.reduce((n, w) => n + w.count, 0)).toBe(250);
    // Each instance alone saw about 83: only a shared count refuses anything, and exactly what went over.
    const over = windows.reduce((n, w) => n + Math.max(0, w.count - 100), 0);
    expect(over).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429)).toHaveLength(over);
    expect(statuses.filter((s) => s === 200)).toHaveLength(250 - over);
  }, 60_000);

  it("an instance killed mid-way: the other two take its requests and finish its deliveries", async () => {
    const doomed = cluster.instances[2]!;
    const orders = await makeOrders("kill", ["paid_in_two", "failed_then_paid", "overpaid", "paid_in_two", "paid", "declined", "paid_in_two", "failed_then_paid", "paid"]);
    // A slow receiver keeps deliveries in flight, so the instance dies holding some.
    receiver.behave((_r, res) => void setTimeout(() => res.writeHead(200).end("ok"), 300));

    // First steps everywhere; the doomed instance records some and starts delivering them.
    const firstAnswers = await Promise.all(orders.map((o, i) => notify(i % 3, o.steps[0]!)));
    expect(firstAnswers.filter((a) => a.instance === doomed.index && a.status === 200).length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    await doomed.kill();
    const deadAt = Date.now();
    const [leased] = rowsOf(await handle.db.execute(sql`select count(*)::int as n from webhook_deliveries where merchant_id = ${merchantId()} and locked_until > now()`));

    // The rest, round-robin over all three as a load balancer would until it notices: the dead one refuses, the next takes it.
    await Promise.all(orders.map(async (o, i) => {
      for (const step of o.steps.slice(1)) expect((await notify((i + 1) % 3, step)).status).toBe(200);
    }));
    // Deliveries it had claimed come back when their lease (5 s, on Postgres's clock) runs out.
    await untilDelivered(120_000);
    receiver.behave((_r, res) => void res.writeHead(200).end("ok"));

    await expectLedger(orders);
    const counts = await expectEveryEventDelivered(orders);
    const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    console.info(`[multi-instance] killed instance 2 with ${leased!.n} deliveries leased; ${twice.length} delivered again after their lease ran out`);
    // At least once: the only repeats are sends the dead instance made and never recorded. Each arrived
    // first before the kill, once more after it; the log holds both attempts, the cut-off one labelled interrupted.
    for (const id of twice) {
      const times = receiver.received.filter((r) => r.id === id).map((r) => r.at).sort();
      expect(times).toHaveLength(2);
      expect(times[0]!).toBeLessThanOrEqual(deadAt);
      expect(times[1]!).toBeGreaterThan(deadAt);
      const [d] = await handle.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.merchantId, merchantId()), eq(webhookDeliveries.messageId, id)));
      expect(d!.attempts).toBe(2);
      const attempts = await handle.db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, d!.id)).orderBy(asc(webhookAttempts.startedAt));
      expect(attempts.map((a) => a.outcome)).toEqual(["pending", "succeeded"]);
      expect(attempts[0]!.error).toMatch(/^Interrupted/);
    }
    expect(twice.length).toBeLessThanOrEqual(Number(leased!.n));
  }, 240_000);

  it("every instance logged JSON with the request ids it was given and the attempts it made, and no secret", () => {
    const secrets = [
      { label: "AUTH_SECRET", value: authSecret },
      { label: "SETTLE_ENCRYPTION_KEY", value: encryptionKey() },
      { label: "sandbox signing secret", value: sandbox.secret },
      { label: "webhook signing secret", value: webhookSecret },
      { label: "password", value: "correct-horse" },
      ...(apiSecret ? [{ label: "API secret", value: apiSecret }] : []),
      { label: "card number", value: PAN },
    ];
    const attempted = new Map<number, Set<string>>();
    for (const instance of cluster.instances) {
      const log = instance.log();
      expect(findLeaks(log, secrets), `instance ${instance.index}`).toEqual([]);
      const lines = log.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.some((l) => l.msg === "server started")).toBe(true);
      expect(lines.some((l) => l.msg === "provider notification" && String(l.requestId).startsWith("mi-rr-"))).toBe(true);
      attempted.set(instance.index, new Set(lines.filter((l) => l.msg === "webhooks: attempt").map((l) => String(l.webhookId))));
    }
    // Each webhook the receiver got is in the log of an instance that sent it (a send cut off by the kill was logged by whoever sent it again).
    const logged = new Set([...attempted.values()].flatMap((s) => [...s]));
    expect(receiver.received.filter((r) => !logged.has(r.id))).toEqual([]);
    console.info(`[multi-instance] webhook attempts logged per instance: ${[...attempted].map(([i, s]) => `${i}: ${s.size}`).join(", ")}`);
  });
});

if (!onServerPostgres()) {
  console.info("[multi-instance.test] three next start processes need one server Postgres (PGlite is one process's): set DATABASE_URL to run them.");
}
