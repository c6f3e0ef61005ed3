import { describe, expect, it } from "vitest";
import { formatLeft, isClock } from "./time";

const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * 3_600_000;

describe("the checkout's time left", () => {
  it("is a clock under two days: minutes and seconds, then hours", () => {
    expect(formatLeft(minutes(30))).toBe("30:00");
    expect(formatLeft(minutes(29) + 1)).toBe("29:01");
    expect(formatLeft(hours(1) + minutes(5))).toBe("1:05:00");
    expect(formatLeft(hours(47) + minutes(59))).toBe("47:59:00");
    expect(formatLeft(-5_000)).toBe("00:00");
    expect(isClock(hours(47))).toBe(true);
  });

  it("from two days on it counts days, in the customer's language", () => {
    const month = hours(24 * 27 + 5);
    expect(isClock(month)).toBe(false);
    expect(formatLeft(month, "en")).toBe("27 days");
    expect(formatLeft(hours(48), "vi")).toBe("2 ngày");
    expect(formatLeft(month, "ar")).toBe("27 يومًا");
  });
});
