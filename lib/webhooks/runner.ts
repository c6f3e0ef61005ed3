import { after } from "next/server";
import { appDb } from "@/db/client";
import { encryptionKey, env, webhooksAllowPrivate } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { currentRequest } from "@/lib/log/request-context";
import { Dispatcher } from "./dispatcher";
import { createSender, type Sender } from "./http";
import { setPokeHandler } from "./poke";
import { loggedSender } from "./sender-log";

/** One sender and one dispatcher per process, on globalThis for the same reason as the database handle. */
const slot = globalThis as unknown as { __settleWebhooks?: { sender?: Sender; dispatcher?: Dispatcher } };
const state = () => (slot.__settleWebhooks ??= {});

export function getSender(): Sender {
  return (state().sender ??= loggedSender(createSender({ allowPrivate: webhooksAllowPrivate() })));
}

/**
 * What the webhook commands take from outside the database: the client that
 * reaches receivers and the clock. A command is made `…With` these, so tests
 * and the demo month can give their own (a local receiver, a clock they move).
 */
export interface Outside {
  sender: () => Sender;
  now: () => Date;
}
export const outside = (given: Partial<Outside> = {}): Outside => ({ sender: getSender, now: () => new Date(), ...given });

/** The dispatcher of this process, created on first use and not started. */
export async function getDispatcher(): Promise<Dispatcher> {
  const s = state();
  const handle = await appDb();
  s.dispatcher ??= new Dispatcher({ db: handle.db, driver: handle.driver, sender: getSender() });
  return s.dispatcher;
}

/**
 * Serverless (no loop between requests): once a request that queued deliveries
 * has sent its response (Next's `after`, the host's waitUntil), one batch of
 * the oldest due deliveries goes out, which holds this request's unless a
 * backlog is ahead of them; so a change still reaches the merchant within a
 * second, not at the next cron, and a request never works through the whole
 * backlog: the cron does. Once per request; outside a request (scripts) it is
 * left to the cron.
 */
function deliverAfterResponse(): void {
  const request = currentRequest();
  if (request?.deliveryScheduled) return;
  try {
    after(async () => {
      try {
        await (await getDispatcher()).runOnce();
      } catch (err) {
        log.error({ err }, "webhooks: delivery after the response failed; the cron will retry");
      }
    });
    if (request) request.deliveryScheduled = true;
  } catch {
    // Not inside a request: nothing to hang the work on.
  }
}

/**
 * Called once from server start: checks the encryption key, then runs the
 * sweep loop and answers pokes; with WEBHOOKS_DISPATCHER=off (serverless
 * hosts) a poke delivers after the response instead, and /api/cron/webhooks
 * sweeps up the rest (retries, and anything a request could not finish).
 */
export async function startWebhooks(): Promise<void> {
  encryptionKey();
  if (env().WEBHOOKS_DISPATCHER === "off") {
    setPokeHandler(deliverAfterResponse);
    return;
  }
  const dispatcher = await getDispatcher();
  dispatcher.start();
  setPokeHandler(() => dispatcher.poke());
}
