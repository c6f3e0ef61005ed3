/**
 * How the dashboard writes a moment. One rule for the zone: every dashboard
 * page shows UTC, and says so ("7 Dec 2026, 14:05 UTC"), so support reading a
 * delivery log and a merchant reading an invoice see the same clock whatever
 * the server's or the browser's zone. UTC because a merchant has no zone of
 * its own in the schema, and the dashboard's days (rollups, the date filters
 * of the invoice list and the delivery log) are already UTC days.
 *
 * Framework-free and deterministic: the parts come from Intl as numbers and
 * the words (month names) from here, so a server component and the hydrating
 * client component render the same text on any ICU version.
 *
 * The hosted checkout speaks the customer's language: its clock stays in
 * lib/checkout/time.ts.
 */

/** The zone every dashboard page shows. */
export const DISPLAY_TIME_ZONE = "UTC";
/** The label written after a time, or in a column heading, for that zone. */
export const ZONE_LABEL = "UTC";

type Moment = Date | string | number;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const partsFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: DISPLAY_TIME_ZONE,
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
  hourCycle: "h23",
});

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of a moment in the display zone. */
function partsOf(at: Moment): Parts {
  const fields: Record<string, number> = {};
  for (const p of partsFormat.formatToParts(new Date(at))) if (p.type !== "literal") fields[p.type] = Number(p.value);
  return fields as unknown as Parts;
}

const pad = (n: number) => String(n).padStart(2, "0");
const dayMonthYear = (p: Pick<Parts, "year" | "month" | "day">) => `${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
const hhmm = (p: Parts) => `${pad(p.hour)}:${pad(p.minute)}`;

/** "7 Dec 2026, 14:05 UTC" */
export function formatDateTime(at: Moment): string {
  const p = partsOf(at);
  return `${dayMonthYear(p)}, ${hhmm(p)} ${ZONE_LABEL}`;
}

/** "7 Dec 2026, 14:05:09 UTC": for logs and timelines, where seconds order events. */
export function formatDateTimeSeconds(at: Moment): string {
  const p = partsOf(at);
  return `${dayMonthYear(p)}, ${hhmm(p)}:${pad(p.second)} ${ZONE_LABEL}`;
}

/**
 * "7 Dec, 14:05:09": a table cell where the row must stay short. The zone is
 * in the column heading instead: write it with {@link zoned}.
 */
export function formatCompactDateTime(at: Moment): string {
  const p = partsOf(at);
  return `${p.day} ${MONTHS[p.month - 1]}, ${hhmm(p)}:${pad(p.second)}`;
}

/** "7 Dec 2026": the display zone's day of a moment; its column heading names the zone ({@link zoned}). */
export function formatDate(at: Moment): string {
  return dayMonthYear(partsOf(at));
}

/** "2026-12-07": the display zone's day of a moment, for file names and `<input type="date">`. */
export function isoDay(at: Moment): string {
  const p = partsOf(at);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day ("2026-12-07", e.g. a due date) has no zone: "7 Dec 2026". Anything else comes back as is. */
export function formatDay(day: string): string {
  const m = dayPattern.exec(day);
  return m ? dayMonthYear({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }) : day;
}

/** "7 Dec": a chart's day axis. */
export function formatDayShort(day: string): string {
  const m = dayPattern.exec(day);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]}` : day;
}

/** "Created (UTC)": a heading over cells written without their zone. */
export const zoned = (heading: string) => `${heading} (${ZONE_LABEL})`;

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
];

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago": zone-free; pair it with {@link formatDateTime} in a title. */
export function timeAgo(at: Moment, now: Date = new Date()): string {
  let value = Math.round((new Date(at).getTime() - now.getTime()) / 1000);
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return unit === "second" ? "just now" : relative.format(Math.round(value), unit);
    value /= size;
  }
  return relative.format(Math.round(value), "year");
}
