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

/** An endpoint's own schedule: each step at least this many seconds, and at most a week. */
export const MIN_STEP_SECONDS = 5;
export const MAX_STEP_SECONDS = 7 * 24 * 60 * 60;
export const MAX_STEPS = 20;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/**
 * A schedule as a person types it, "10s, 10s, 10s" or "5m, 10m, 15m" (a bare
 * number is minutes, as in the webhook settings), as seconds; or what is
 * wrong with it, in words.
 */
export function parseSchedule(text: string): { ok: true; seconds: number[] } | { ok: false; message: string } {
  const steps = text.split(/[\s,]+/).filter(Boolean);
  const seconds: number[] = [];
  for (const step of steps) {
    const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/i.exec(step);
    if (!m) return { ok: false, message: `"${step.slice(0, 20)}" is not a step: write seconds, minutes or hours, like 10s, 5m or 1h.` };
    seconds.push(Math.round(Number(m[1]) * UNIT_SECONDS[(m[2]?.toLowerCase() ?? "m") as keyof typeof UNIT_SECONDS]));
  }
  return checkSchedule(seconds);
}

/** The bounds every endpoint schedule keeps, in words a form and the API both show. */
export function checkSchedule(seconds: number[]): { ok: true; seconds: number[] } | { ok: false; message: string } {
  if (!seconds.length) return { ok: false, message: "Keep at least one retry step." };
  if (seconds.length > MAX_STEPS) return { ok: false, message: `Use at most ${MAX_STEPS} retry steps.` };
  if (seconds.some((s) => !Number.isInteger(s) || s < MIN_STEP_SECONDS)) return { ok: false, message: `Each step is a whole number of seconds, at least ${MIN_STEP_SECONDS}.` };
  if (seconds.some((s) => s > MAX_STEP_SECONDS)) return { ok: false, message: "A step can be at most 7 days." };
  return { ok: true, seconds };
}
