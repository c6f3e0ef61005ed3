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
});
