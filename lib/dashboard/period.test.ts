import { describe, expect, it } from "vitest";
import { dashboardParamsSchema, daysBefore, periodDays } from "./period";

describe("dashboard period", () => {
  it("reads 7, 30 or 90 and a currency from the URL; anything else falls back to 30 days and no currency", () => {
    expect(dashboardParamsSchema.parse({ period: "7", currency: "VND" })).toEqual({ period: 7, currency: "VND" });
    expect(dashboardParamsSchema.parse({ period: "90" })).toEqual({ period: 90, currency: undefined });
    for (const period of [undefined, "", "12", "abc", "30.5", "-7"]) {
      expect(dashboardParamsSchema.parse({ period, currency: "XXX" })).toEqual({ period: 30, currency: undefined });
    }
  });

  it("counts UTC days back across month and year ends, oldest first", () => {
    expect(daysBefore("2025-03-01", 1)).toBe("2025-02-28");
    expect(daysBefore("2024-03-01", 1)).toBe("2024-02-29");
    expect(periodDays("2026-01-02", 7)).toEqual(["2025-12-27", "2025-12-28", "2025-12-29", "2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02"]);
    expect(periodDays("2026-01-02", 90)).toHaveLength(90);
  });
});
