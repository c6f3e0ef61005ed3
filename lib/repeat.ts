import { log } from "@/lib/log/logger";

const running = new Set<string>();

/**
 * For a long-running server: runs `work` every `everyMs`, once per `name` in
 * the process (a second start is ignored), without keeping the process
 * alive. A round that fails is logged and the next one runs all the same.
 */
export function repeatEvery(name: string, everyMs: number, work: () => Promise<unknown>): void {
  if (running.has(name)) return;
  running.add(name);
  setInterval(() => {
    work().catch((err: unknown) => log.error({ err }, `${name} failed`));
  }, everyMs).unref?.();
}
