import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { verifyCredentials } from "@/lib/accounts/sign-in";
import { webhookHealth } from "@/lib/dashboard/queries";
import { recomputeRollups, storedRollups } from "@/lib/dashboard/rollups";
import { rowsOf } from "@/db/rows";
import { createTestDb, useTestDb } from "@/test/db";
import { demoEndpoints } from "./history";
import { DEMO, seedDemo } from "./seed";

const { db } = useTestDb();

const DAY_MS = 86_400_000;
const values = async (query: string) => rowsOf(await db().execute(sql.raw(query))).map((r) => Object.values(r).join(" "));

describe("demo seed", () => {
  it("fills a believable month once: every invoice status, payments, links, deliveries that succeeded, failed and were retried", async () => {
    const now = new Date();
    expect(await seedDemo(db(), now)).toEqual({ created: true });
    expect(await seedDemo(db(), now)).toEqual({ created: false });
    expect(await db().$count(users)).toBe(1);
    expect((await verifyCredentials(db(), DEMO.email, DEMO.password)).email).toBe(DEMO.email);
    const [{ merchant_id: merchantId }] = rowsOf(await db().execute(sql`select id as merchant_id from merchants where not livemode`)) as [{ merchant_id: string }];

    expect(await values("select distinct case when status = 'void' then 'void' else payment_status::text end from invoices order by 1")).toEqual(["extra", "paid", "partial", "unpaid", "void"]);
    // Spread over the last 30 days, none in the future.
    const [span] = rowsOf(await db().execute(sql`select min(created_at) as first, max(created_at) as last, count(distinct (created_at at time zone 'UTC')::date)::int as days from invoices`));
    expect(new Date(span!.first as string).getTime()).toBeGreaterThan(now.getTime() - 30 * DAY_MS);
    expect(new Date(span!.last as string).getTime()).toBeLessThan(now.getTime());
    expect(span!.days).toBeGreaterThanOrEqual(25);
    expect(await values("select distinct method || ' ' || status from payments order by 1")).toEqual(
      expect.arrayContaining(["bank_transfer succeeded", "card failed", "card succeeded", "cash succeeded"]),
    );
    expect(await values("select distinct status::text from payment_links order by 1")).toEqual(["active", "canceled", "expired"]);
    // A surplus transfer given back: a refund recorded by hand, counted on its invoice, dated in the past.
    expect(await values(`select r.status || ' ' || r.manual || ' ' || (i.refunded_amount = r.amount) || ' ' || (r.settled_at < '${now.toISOString()}') from refunds r join invoices i on i.id = r.invoice_id`)).toEqual(
      expect.arrayContaining(["succeeded true true true"]),
    );

    // Deliveries: first-time successes, retried successes (an outage, a timeout retried by hand), exhausted failures, and retries still to come.
    expect(await values("select distinct status::text from webhook_deliveries order by 1")).toEqual(["failed", "succeeded"]);
    expect(await values("select count(*) from webhook_deliveries where status = 'succeeded' and attempts > 1")).not.toEqual(["0"]);
    expect(await values("select distinct trigger || ' ' || outcome from webhook_attempts order by 1")).toEqual(["auto failed", "auto succeeded", "auto timeout", "manual succeeded"]);
    const health = await webhookHealth(db(), { merchantId, now });
    expect(health.endpoints.filter((e) => e.condition === "failing").map((e) => e.url)).toEqual([demoEndpoints().books]);
    expect(health.waitingForRetry).toBeGreaterThan(0);
    expect(health.nextRetryAt!.getTime()).toBeGreaterThan(now.getTime());
    expect(health.successRate24h).toBeGreaterThan(0);
    expect(health.successRate24h).toBeLessThan(1);

    // Rebuilt after the history was dated back: the rollups match the rows, and the stamps of every attempt are in the past.
    expect(await storedRollups(db(), { merchantId })).toEqual(await recomputeRollups(db(), { merchantId }));
    expect(await values(`select count(*) from webhook_attempts where created_at > '${now.toISOString()}'`)).toEqual(["0"]);
  });

  it("a seed that fails part-way takes the demo back, so the next start seeds it again", async () => {
    const failing = await createTestDb();
    try {
      // The last step, the demo API key, has nowhere to go.
      await failing.db.execute(sql`drop table api_rate_windows`);
      await failing.db.execute(sql`drop table api_keys`);
      await expect(seedDemo(failing.db)).rejects.toThrow();
      expect(await failing.db.select().from(users)).toEqual([]);
      expect(rowsOf(await failing.db.execute(sql`select count(*)::int as n from invoices`))[0]).toEqual({ n: 0 });
    } finally {
      await failing.close();
    }
  });
});
