import { appDb } from "@/db/client";
import { encryptionKey, env, webhooksAllowPrivate } from "@/lib/env";
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

/** The dispatcher of this process, created on first use and not started. */
export async function getDispatcher(): Promise<Dispatcher> {
  const s = state();
  s.dispatcher ??= new Dispatcher({ db: (await appDb()).db, sender: getSender() });
  return s.dispatcher;
}

/**
 * Called once from server start: checks the encryption key, then runs the
 * sweep loop and answers pokes, unless WEBHOOKS_DISPATCHER=off (serverless
 * hosts, which call /api/cron/webhooks instead).
 */
export async function startWebhooks(): Promise<void> {
  encryptionKey();
  if (env().WEBHOOKS_DISPATCHER === "off") return;
  const dispatcher = await getDispatcher();
  dispatcher.start();
  setPokeHandler(() => dispatcher.poke());
}
