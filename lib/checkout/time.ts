/** Past this, a clock that ticks seconds means nothing to a customer: the time left is counted in days. */
const CLOCK_LIMIT_MS = 48 * 3600 * 1000;

/** Whether the time left reads as a ticking clock (and needs ticking) rather than a number of days. */
export const isClock = (ms: number) => ms < CLOCK_LIMIT_MS;

/**
 * The checkout's time-left display: "29:59", "1:05:00" past an hour, and
 * from two days on "27 days" in the customer's language.
 */
export function formatLeft(ms: number, intlLocale = "en"): string {
  if (!isClock(ms)) {
    return new Intl.NumberFormat(intlLocale, { style: "unit", unit: "day", unitDisplay: "long" }).format(Math.floor(ms / 86_400_000));
  }
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
