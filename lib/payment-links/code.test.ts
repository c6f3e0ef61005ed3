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
});
