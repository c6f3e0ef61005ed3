import { and, asc, eq, isNotNull, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog, webhookAttempts, webhookDeliveries } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { attemptDelivery, recordOutcomes } from "@/lib/webhooks/attempts";
import { claimOne } from "@/lib/webhooks/claims";
import { retryDeliveryWith } from "@/lib/webhooks/deliveries";
import type { OutgoingRequest, Sender, SendResult } from "@/lib/webhooks/http";
import { prng } from "./catalog";
import { accountingDownSince, demoEndpoints, outageWindow } from "./history";

const MIN = 60_000;

/**
 * The demo's two receivers, answered in-process instead of over the network:
 * the Order system is healthy but for a 20-minute outage (503) and one
 * request that times out; Accounting has answered 500 since 30 hours ago.
 * An attempt's time is read from its signed `webhook-timestamp` header.
 */
function demoReceivers(now: Date): Sender & { timedOut: string | null } {
  const rng = prng(7);
  const outage = outageWindow(now);
  const booksDown = accountingDownSince(now);
  const timeoutAfter = new Date(now.getTime() - 20 * 24 * 60 * MIN);
  const ok = (body: string): SendResult => ({
    outcome: "succeeded",
    status: 200,
    headers: { "content-type": "application/json" },
    body,
    error: null,
    durationMs: rng.int(40, 380),
    retryAfter: null,
  });
  const failed = (status: number, body: string, type = "text/plain"): SendResult => ({
    outcome: "failed",
    status,
    headers: { "content-type": type },
    body,
    error: null,
    durationMs: rng.int(20, 120),
    retryAfter: null,
  });
  const receivers = {
    timedOut: null as string | null,
    async send(req: OutgoingRequest): Promise<SendResult> {
      const at = new Date(Number(req.headers["webhook-timestamp"]) * 1000);
      if (req.url === demoEndpoints().books) {
        return at >= booksDown ? failed(500, '{"error":"ledger is locked for the month-end close"}', "application/json") : ok('{"ok":true}');
      }
      if (at >= outage.from && at < outage.to) return failed(503, "upstream connect error or disconnect/reset before headers");
      if (!receivers.timedOut && at >= timeoutAfter) {
        receivers.timedOut = req.headers["webhook-id"]!;
        return { outcome: "timeout", status: null, headers: null, body: null, error: `Timed out after ${req.timeoutMs} ms`, durationMs: req.timeoutMs, retryAfter: null };
      }
      return ok('{"received":true}');
    },
    close: async () => {},
  };
  return receivers;
}

/**
 * Plays the dispatcher over the month, oldest due delivery first, with the
 * clock at each delivery's due time: every attempt, retry schedule and
 * endpoint health figure comes from the webhook engine itself. Stops at `now`:
 * what is due later waits for the real dispatcher. Then the owner retries the
 * delivery that timed out, by hand, 47 minutes later.
 */
export async function replayDeliveries(db: Database, actor: Actor, now: Date): Promise<void> {
  const { merchantId } = actor;
  const sender = demoReceivers(now);
  const d = webhookDeliveries;
  let timedOutAt: Date | null = null;
  let timedOutId: string | null = null;
  for (;;) {
    const [due] = await db
      .select({ id: d.id, at: d.nextAttemptAt })
      .from(d)
      .where(and(eq(d.merchantId, merchantId), isNotNull(d.nextAttemptAt), lte(d.nextAttemptAt, now)))
      .orderBy(asc(d.nextAttemptAt), asc(d.id))
      .limit(1);
    if (!due) break;
    const at = due.at!;
    const claimed = await claimOne(db, { merchantId, deliveryId: due.id, now: at });
    if (!claimed) throw new Error(`demo seed: delivery ${due.id} is held by a running dispatcher`);
    const before = sender.timedOut;
    await recordOutcomes(db, [await attemptDelivery(sender, claimed, { random: () => 0.5 })], at);
    if (!before && sender.timedOut) [timedOutAt, timedOutId] = [at, due.id];
  }
  if (timedOutAt && timedOutId) {
    const at = new Date(timedOutAt.getTime() + 47 * MIN);
    await retryDeliveryWith({ sender: () => sender, now: () => at })(db, actor, { id: timedOutId });
    await db.update(auditLog).set({ createdAt: at }).where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.targetId, timedOutId)));
  }
  // Attempt rows are stamped when written: move each to when it happened.
  await db
    .update(webhookAttempts)
    .set({ createdAt: sql`${webhookAttempts.startedAt} + ${webhookAttempts.durationMs} * interval '1 millisecond'` })
    .where(eq(webhookAttempts.merchantId, merchantId));
}
