import { describe, expect, it } from "vitest";
import { resolveLocale } from "./locale";
import { translator } from "./messages";

describe("checkout locale", () => {
  it("?lang= wins over the browser", () => {
    expect(resolveLocale("ar", "vi-VN,vi;q=0.9")).toBe("ar");
    expect(resolveLocale(["vi"], "en")).toBe("vi");
  });

  it("reads Accept-Language by q value and falls back to English", () => {
    expect(resolveLocale(undefined, "fr-FR,fr;q=0.9,vi;q=0.8,en;q=0.7")).toBe("vi");
    expect(resolveLocale("xx", "de, ar-SA;q=0.5, en;q=0.4")).toBe("ar");
    expect(resolveLocale(null, "de,fr")).toBe("en");
    expect(resolveLocale(undefined, "")).toBe("en");
    expect(resolveLocale(undefined, "ar;q=0, en")).toBe("en");
  });

  it("fills values into every language", () => {
    expect(translator("en")("statusPartial", { paid: "₫40,000", remaining: "₫60,000" })).toBe("We received ₫40,000. ₫60,000 is left to pay.");
    expect(translator("vi")("payWith", { service: "Sandbox" })).toBe("Thanh toán qua Sandbox");
    expect(translator("ar")("backToMerchant", { merchant: "متجر" })).toBe("العودة إلى متجر");
  });
});
