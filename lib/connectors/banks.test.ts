import { describe, expect, it } from "vitest";
import { bankByBin, vietnameseBanks } from "./banks";

describe("vietnameseBanks", () => {
  it("lists each BIN once, so the bank picker has one option (and one React key) per bank", () => {
    const bins = vietnameseBanks.map((b) => b.bin);
    expect(new Set(bins).size).toBe(bins.length);
  });

  it("keeps a renamed bank findable by its old name, under the name that takes transfers", () => {
    expect(bankByBin("970406")?.shortName).toBe("Vikki Bank (DongA Bank)");
    expect(vietnameseBanks.filter((b) => /DongA/.test(b.shortName))).toHaveLength(1);
    expect(bankByBin("970416")?.shortName).toBe("ACB");
  });

  it("gives each bank the code VietQR's list (and Finan) names it by, not its stock ticker", () => {
    expect(["970422", "970415", "970418", "970436", "970405", "970454", "970438"].map((bin) => bankByBin(bin)?.code)).toEqual(["MB", "ICB", "BIDV", "VCB", "VBA", "VCCB", "BVB"]);
    const codes = vietnameseBanks.map((b) => b.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
