import { describe, expect, it } from "vitest";
import {
  DISPLAY_TIME_ZONE,
  formatCompactDateTime,
  formatDate,
  formatDateTime,
  formatDateTimeSeconds,
  formatDay,
  formatDayShort,
  isoDay,
  timeAgo,
  ZONE_LABEL,
  zoned,
} from "./time";

describe("dashboard time formatting", () => {
  it("writes a moment in UTC and labels the zone", () => {
    const at = new Date("2026-12-07T14:05:09.500Z");
    expect(DISPLAY_TIME_ZONE).toBe("UTC");
    expect(formatDateTime(at)).toBe("7 Dec 2026, 14:05 UTC");
    expect(formatDateTimeSeconds(at)).toBe("7 Dec 2026, 14:05:09 UTC");
    expect(formatDate(at)).toBe("7 Dec 2026");
    expect(formatCompactDateTime(at)).toBe("7 Dec, 14:05:09");
    expect(zoned("Created")).toBe(`Created (${ZONE_LABEL})`);
  });

  it("reads the same instant the same way whether given as a Date, an ISO string or epoch ms", () => {
    const iso = "2026-03-01T08:00:00+07:00";
    expect(formatDateTime(iso)).toBe("1 Mar 2026, 01:00 UTC");
    expect(formatDateTime(Date.parse(iso))).toBe("1 Mar 2026, 01:00 UTC");
  });

  it("keeps the UTC day near midnight, whatever the process's zone", () => {
    // 23:59:59 on New Year's Eve in UTC is already 1 January in Hanoi and still 31 December in New York.
    const beforeMidnight = new Date("2026-12-31T23:59:59Z");
    expect(formatDateTimeSeconds(beforeMidnight)).toBe("31 Dec 2026, 23:59:59 UTC");
    expect(formatDate(beforeMidnight)).toBe("31 Dec 2026");
    expect(isoDay(beforeMidnight)).toBe("2026-12-31");
    // Midnight itself is 00:00 of the next day (never "24:00").
    const midnight = new Date("2027-01-01T00:00:00Z");
    expect(formatDateTime(midnight)).toBe("1 Jan 2027, 00:00 UTC");
    expect(isoDay(midnight)).toBe("2027-01-01");
    // A moment that is 2 January in the Americas' evening but already the 3rd in UTC.
    expect(formatDate(new Date("2027-01-02T19:30:00-05:00"))).toBe("3 Jan 2027");
  });

  it("writes months the same on every ICU (no 'Sept')", () => {
    expect(formatDate(new Date("2026-09-07T12:00:00Z"))).toBe("7 Sep 2026");
  });

  it("writes calendar days without a zone", () => {
    expect(formatDay("2026-12-07")).toBe("7 Dec 2026");
    expect(formatDay("2027-01-01")).toBe("1 Jan 2027");
    expect(formatDayShort("2026-02-28")).toBe("28 Feb");
    expect(formatDay("not a day")).toBe("not a day");
  });

  it("says how long ago, in words", () => {
    const now = new Date("2026-12-07T14:00:00Z");
    const ago = (ms: number) => timeAgo(new Date(now.getTime() - ms), now);
    expect(ago(10_000)).toBe("just now");
    expect(ago(5 * 60_000)).toBe("5 minutes ago");
    expect(ago(3 * 3_600_000)).toBe("3 hours ago");
    expect(ago(30 * 3_600_000)).toBe("yesterday");
    expect(ago(15 * 86_400_000)).toBe("2 weeks ago");
    expect(ago(400 * 86_400_000)).toBe("last year");
  });
});
