import { afterAll, afterEach } from "vitest";
import type { Database } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import { createSender } from "@/lib/webhooks/http";
import { type Receiver, startReceiver } from "./webhook-receiver";

/**
 * For a test file that sends webhooks: one sender (private addresses
 * allowed: receivers are on 127.0.0.1) and receivers closed after each test.
 * With `db`, each test also unschedules what it left due, so the next
 * test's dispatcher never sends it.
 */
export function useWebhookHarness(db?: () => Database) {
  const sender = createSender({ allowPrivate: true });
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    if (db) await db().update(webhookDeliveries).set({ nextAttemptAt: null });
  });
  afterAll(() => sender.close());
  async function receiver(opts: Parameters<typeof startReceiver>[0] = {}) {
    const r = await startReceiver(opts);
    receivers.push(r);
    return r;
  }
  return { sender, receiver };
}
