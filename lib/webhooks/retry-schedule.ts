/** Seconds between automatic attempts: 5, 10 and 15 minutes after the previous one. */
export const DEFAULT_RETRY_SCHEDULE = [300, 600, 900] as const;
/** Jitter stretches a step by up to this fraction, so a burst of failures does not retry in lockstep. */
export const JITTER = 0.1;

/**
 * When the next automatic attempt is due after a failed one, or null when the
 * schedule is used up. `attemptsSoFar` counts attempts including the failed
 * one; a receiver's Retry-After (seconds) is honoured within [step, 2×step].
 */
export function nextRetryAt(
  now: Date,
  attemptsSoFar: number,
  schedule: readonly number[],
  opts: { retryAfterSeconds?: number | null; random?: () => number } = {},
): Date | null {
  const step = schedule[attemptsSoFar - 1];
  if (step === undefined) return null;
  let seconds: number;
  if (opts.retryAfterSeconds != null && Number.isFinite(opts.retryAfterSeconds)) {
    seconds = Math.min(Math.max(opts.retryAfterSeconds, step), 2 * step);
  } else {
    seconds = step * (1 + JITTER * (opts.random ?? Math.random)());
  }
  return new Date(now.getTime() + Math.round(seconds * 1000));
}

/** Retry-After as seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined | null, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, (at - now.getTime()) / 1000);
}
