import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { amountSchema, currencyCodes, formatAmount, formatMoney, parseAmount, toMajorString } from "./money";

const messageOf = (run: () => unknown) => {
  try {
    run();
    return "ok";
  } catch (e) {
    return e instanceof AppError && e.code === "validation_failed" ? e.message : `unexpected: ${String(e)}`;
  }
};

const amount = fc.oneof(fc.nat({ max: 1_000_000 }), fc.maxSafeNat());
const currency = fc.constantFrom(...currencyCodes);

describe("parseAmount ∘ formatAmount", () => {
  for (const locale of ["en", "ar", "vi", "ar-EG"]) {
    it(`round-trips every currency and safe amount in ${locale}`, () => {
      fc.assert(
        fc.property(currency, amount, (c, minor) => {
          expect(parseAmount(formatAmount(minor, c, locale), c, locale)).toBe(minor);
        }),
        { numRuns: 400 },
      );
    });
  }

  it("round-trips the plain major-unit string used by inputs and CSV", () => {
    fc.assert(
      fc.property(currency, amount, (c, minor) => {
        expect(parseAmount(toMajorString(minor, c), c)).toBe(minor);
      }),
      { numRuns: 500 },
    );
  });

  it("formats exactly even where a float would round (the largest safe amount)", () => {
    expect(formatAmount(Number.MAX_SAFE_INTEGER, "USD")).toBe("$90,071,992,547,409.91");
    expect(formatAmount(123456789, "KWD", "vi")).toBe("123.456,789\u00a0KWD");
    expect(formatAmount(1500000, "VND", "vi")).toBe("1.500.000\u00a0₫");
  });
});

describe("formatMoney: one reading of an amount per locale", () => {
  it("isolates an Arabic amount left to right, so a headline and a bank detail read the same", () => {
    // Unisolated, "‏168.97 US$" is drawn "$US 168.97" in right-to-left text.
    expect(formatMoney(16897, "USD", "ar")).toBe("\u2066168.97\u00a0US$\u2069");
    expect(formatMoney(1500000, "IQD", "ar")).toBe("\u20661,500.000\u00a0د.ع.\u2069");
  });

  it("leaves left-to-right languages as Intl writes them", () => {
    expect(formatMoney(16897, "USD", "en-US")).toBe("$168.97");
    expect(formatMoney(16897, "USD", "vi-VN")).toBe("168,97\u00a0US$");
    expect(formatMoney(100000, "VND", "vi-VN")).toBe("100.000\u00a0₫");
  });

  it("is one string per locale: no stray direction marks inside, and it still parses back", () => {
    fc.assert(
      fc.property(currency, amount, (c, minor) => {
        const shown = formatMoney(minor, c, "ar");
        expect(shown.slice(1, -1)).not.toMatch(/[\u200E\u200F\u061C\u2066-\u2069]/);
        expect(parseAmount(shown, c, "ar")).toBe(minor);
      }),
      { numRuns: 300 },
    );
  });
});

describe("parseAmount accepts what people type", () => {
  it.each([
    ["1,234.50", "USD", 123450],
    ["  12.5 ", "USD", 1250],
    ["12", "USD", 1200],
    [".5", "USD", 50],
    ["$12.50", "USD", 1250],
    ["1,234,567", "VND", 1234567],
    ["0.001", "KWD", 1],
    ["0", "BHD", 0],
    ["١٬٢٣٤٫٥", "AED", 123450],
  ] as const)("%j %s → %d", (text, c, minor) => {
    const locale = /[\u0660-\u0669]/.test(text) ? "ar-EG" : "en";
    expect(parseAmount(text, c, locale)).toBe(minor);
  });

  it("reads vi grouping and decimal comma", () => {
    expect(parseAmount("1.234,50", "EUR", "vi")).toBe(123450);
  });
});

describe("parseAmount rejects with a message a person understands", () => {
  it.each([
    ["", "USD", "Enter an amount."],
    ["   ", "USD", "Enter an amount."],
    ["-5", "USD", "The amount cannot be negative."],
    ["−5", "USD", "The amount cannot be negative."],
    ["1.234", "USD", "USD amounts have at most 2 decimal places."],
    ["1.5", "VND", "VND amounts have no decimal places."],
    ["1.0001", "KWD", "KWD amounts have at most 3 decimal places."],
    ["abc", "USD", '"abc" is not a number.'],
    ["1e5", "USD", '"1e5" is not a number.'],
    ["1.2.3", "USD", '"1.2.3" is not a number.'],
    ["12,34.5", "USD", '"12,34.5" is not a number.'],
    [".", "USD", '"." is not a number.'],
    ["90071992547409.92", "USD", "That amount is too large."],
    ["9007199254740992", "VND", "That amount is too large."],
  ] as const)("%j %s", (text, c, message) => {
    expect(messageOf(() => parseAmount(text, c))).toBe(message);
  });

  it("never returns anything but a safe non-negative integer", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), currency, (text, c) => {
        try {
          const minor = parseAmount(text, c);
          expect(Number.isSafeInteger(minor) && minor >= 0).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("amountSchema", () => {
  it("gives minor units or a field message", () => {
    expect(amountSchema("USD").parse("10.25")).toBe(1025);
    const bad = amountSchema("USD", { positive: true }).safeParse("0");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("The amount must be more than zero.");
    expect(amountSchema("VND").safeParse("1.5").error?.issues[0]?.message).toBe("VND amounts have no decimal places.");
  });
});
