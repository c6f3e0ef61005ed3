import { log } from "@/lib/log/logger";
import type { Sender } from "./http";

/**
 * One log line per webhook attempt, whoever makes it (the dispatcher, a
 * retry, a test event): the webhook-id, the receiver's host (never the path,
 * which can hold a token), the outcome and the time. Attempts started by a
 * request (a poke after its commit, a retry button) carry its request id.
 */
export function loggedSender(sender: Sender): Sender {
  return {
    async send(req) {
      const result = await sender.send(req);
      const failed = result.outcome !== "succeeded";
      if (failed || log.isLevelEnabled("debug")) {
        const line = {
          webhookId: req.headers["webhook-id"],
          host: URL.canParse(req.url) ? new URL(req.url).host : "(invalid url)",
          outcome: result.outcome,
          status: result.status,
          ms: result.durationMs,
          ...(result.error ? { error: result.error } : {}),
        };
        if (failed) log.warn(line, "webhooks: attempt failed");
        else log.debug(line, "webhooks: attempt");
      }
      return result;
    },
    close: () => sender.close(),
  };
}
