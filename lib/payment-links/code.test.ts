import { describe, expect, it } from "vitest";
import { CODE_ALPHABET, codeFromRemark, isLinkCode, newLinkCode, remarkFor } from "./code";
import { toRemark } from "@/lib/connectors/vietqr";

describe("payment link codes", () => {
  it("are 8 characters with no 0/O, 1/I/L", () => {
    for (let i = 0; i < 200; i++) {
      const code = newLinkCode();
      expect(isLinkCode(code)).toBe(true);
    }
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it("the remark is ASCII, survives the QR remark rules, and finds the code again as banks mangle it", () => {
    const remark = remarkFor("PRJXH9KU");
    expect(toRemark(remark)).toBe(remark);
    expect(codeFromRemark(remark)).toBe("PRJXH9KU");
    expect(codeFromRemark("MBVCB.3278.settle prjxh9ku.CT tu 0123 toi 4567")).toBe("PRJXH9KU");
    expect(codeFromRemark("SETTLE-PRJ XH9KU")).toBe("PRJXH9KU");
    expect(codeFromRemark("Chuyen tien")).toBeNull();
  });

  it("finds a bare code (the Finan-compatible API's remark) only as a word of its own, and never guesses between two", () => {
    expect(codeFromRemark("PRJXH9KU")).toBe("PRJXH9KU");
    expect(codeFromRemark("MBVCB.3278.prjxh9ku.CT tu 0123 toi 4567")).toBe("PRJXH9KU");
    expect(codeFromRemark("NGUYEN VAN A chuyen tien PRJXH9KU")).toBe("PRJXH9KU");
    // Inside a longer word, or beside another word shaped like a code, it names nothing.
    expect(codeFromRemark("XPRJXH9KU")).toBeNull();
    expect(codeFromRemark("TRANSFER PRJXH9KU")).toBeNull();
    // The prefixed form still wins over any bare word.
    expect(codeFromRemark("TRANSFER SETTLE PRJXH9KU")).toBe("PRJXH9KU");
  });
});
