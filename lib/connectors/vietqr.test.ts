import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bankByBin, vietnameseBanks } from "./banks";
import { crc16CcittFalse, crcHex } from "./crc16";
import { binOfVietQr, buildVietQr, parseEmvco, REMARK_MAX, tlv, toRemark } from "./vietqr";

const VECTOR =
  "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6";

describe("VietQR payload", () => {
  it("reproduces the published vector byte for byte", () => {
    expect(buildVietQr({ bin: "970416", accountNumber: "257678859", amount: 10000, remark: "Chuyen tien" })).toBe(VECTOR);
  });

  it("folds Vietnamese diacritics in the remark to the same payload", () => {
    expect(buildVietQr({ bin: "970416", accountNumber: "257678859", amount: 10000, remark: "Chuyển tiền" })).toBe(VECTOR);
  });

  it("is static (01=11) without an amount, and omits tags 54 and 62", () => {
    const fields = parseEmvco(buildVietQr({ bin: "970436", accountNumber: "0011001234567" }));
    expect(fields.get("01")).toBe("11");
    expect(fields.has("54")).toBe(false);
    expect(fields.has("62")).toBe(false);
    expect(fields.get("58")).toBe("VN");
  });

  it("every field's length prefix matches its value, and the CRC covers everything up to 6304", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...vietnameseBanks.map((b) => b.bin)),
        fc.stringMatching(/^[0-9]{6,19}$/),
        fc.integer({ min: 1, max: 9_999_999_999_999 }),
        fc.string({ maxLength: 60 }),
        (bin, account, amount, remark) => {
          const payload = buildVietQr({ bin, accountNumber: account, amount, remark });
          const fields = parseEmvco(payload); // throws on a wrong length or CRC
          expect(fields.get("54")).toBe(String(amount));
          expect(fields.get("38")).toContain(`0006${bin}01${String(account.length).padStart(2, "0")}${account}`);
          expect(payload.slice(-8, -4)).toBe("6304");
          expect(payload.slice(-4)).toBe(crcHex(payload.slice(0, -4)));
        },
      ),
    );
  });

  it("refuses a damaged payload", () => {
    expect(() => parseEmvco(VECTOR.replace("10000", "90000"))).toThrow(/checksum/);
  });

  it("refuses a bad BIN, account or amount", () => {
    expect(() => buildVietQr({ bin: "97041", accountNumber: "1" })).toThrow(/BIN/);
    expect(() => buildVietQr({ bin: "970416", accountNumber: "12 34" })).toThrow(/account/);
    expect(() => buildVietQr({ bin: "970416", accountNumber: "1234", amount: 0 })).toThrow(/amount/);
    expect(() => buildVietQr({ bin: "970416", accountNumber: "1234", amount: 1.5 })).toThrow(/amount/);
  });

  it("tlv refuses values a two-digit length cannot carry", () => {
    expect(tlv("08", "abc")).toBe("0803abc");
    expect(() => tlv("08", "x".repeat(100))).toThrow();
  });
});

describe("CRC-16/CCITT-FALSE", () => {
  it("matches the catalogue check value for 123456789", () => {
    expect(crc16CcittFalse("123456789")).toBe(0x29b1);
    expect(crcHex("")).toBe("FFFF");
  });
});

describe("transfer remark rules", () => {
  it("keeps ASCII letters, digits and single spaces, at most 25 characters", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const r = toRemark(s);
        expect(r).toMatch(/^[A-Za-z0-9]*( [A-Za-z0-9]+)*$/);
        expect(r.length).toBeLessThanOrEqual(REMARK_MAX);
      }),
    );
  });

  it("folds đ/Đ and drops punctuation", () => {
    expect(toRemark("Đơn hàng #42 — đã trả!")).toBe("Don hang 42 da tra");
  });
});

describe("bank list", () => {
  it("has the big Vietnamese banks with six-digit BINs", () => {
    expect(vietnameseBanks.length).toBeGreaterThan(30);
    expect(bankByBin("970416")?.shortName).toBe("ACB");
    expect(bankByBin("970436")?.shortName).toMatch(/Vietcombank/i);
  });
});

describe("binOfVietQr", () => {
  it("reads the beneficiary bank's BIN from a VietQR, and nothing from anything else", () => {
    expect(binOfVietQr(buildVietQr({ bin: "970422", accountNumber: "0933450210", amount: 6_000_000, remark: "SETTLE PRJXH9KU" }))).toBe("970422");
    expect(binOfVietQr("http://127.0.0.1/sandbox/PRJXH9KU?flow=qr")).toBeUndefined();
    expect(binOfVietQr(buildVietQr({ bin: "970436", accountNumber: "0011001234567" }).slice(0, -1) + "0")).toBeUndefined();
  });
});
