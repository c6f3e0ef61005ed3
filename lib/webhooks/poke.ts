/**
 * The link between code that creates deliveries and this process's dispatcher.
 * Kept on globalThis because Next loads instrumentation and routes as separate
 * module graphs; without a running dispatcher a poke does nothing (the cron
 * route or another instance's sweep picks the deliveries up).
 */
const slot = globalThis as unknown as { __settleWebhookPoke?: () => void };

export function setPokeHandler(handler: (() => void) | undefined): void {
  slot.__settleWebhookPoke = handler;
}

export function pokeDispatcher(): void {
  slot.__settleWebhookPoke?.();
}
