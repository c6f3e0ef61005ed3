import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "@/lib/validation";
import { isLargeTotal } from "./limits";
import { createInvoiceSchema } from "./schemas";

describe("unusually large totals", () => {
  it("are a million in the major unit, or a billion where the unit is small", () => {
    expect(isLargeTotal(99_999_999, "USD")).toBe(false); // $999,999.99
    expect(isLargeTotal(100_000_000, "USD")).toBe(true); // $1,000,000.00
    expect(isLargeTotal(999_999_999, "VND")).toBe(false);
    expect(isLargeTotal(1_000_000_000, "VND")).toBe(true);
    expect(isLargeTotal(1_000_000_000, "KWD")).toBe(true); // 1,000,000.000 KWD
  });

  it("are refused from the form until confirmed, and never asked of the API's callers", () => {
    const invoice = { currency: "USD", items: [{ name: "Tea", unitPrice: "1000000000", quantity: 1 }], customer: { name: "An" } };
    const refused = createInvoiceSchema.safeParse({ ...invoice, confirmLargeAmount: false });
    expect(refused.success).toBe(false);
    expect(fieldErrorsOf(refused.error!)).toEqual({ confirmLargeAmount: [expect.stringMatching(/unusually large/)] });
    expect(createInvoiceSchema.safeParse({ ...invoice, confirmLargeAmount: true }).success).toBe(true);
    expect(createInvoiceSchema.safeParse({ ...invoice, confirmLargeAmount: "on" }).success).toBe(true);
    expect(createInvoiceSchema.safeParse(invoice).success).toBe(true);
    // A usual total is never asked about.
    expect(createInvoiceSchema.safeParse({ ...invoice, items: [{ name: "Tea", unitPrice: "40", quantity: 2 }], confirmLargeAmount: false }).success).toBe(true);
  });
});
