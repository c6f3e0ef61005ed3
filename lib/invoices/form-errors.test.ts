import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "@/lib/validation";
import { createInvoiceSchema } from "./schemas";

describe("invoice form errors", () => {
  it("reports a bad unit price together with every other field's error", () => {
    const parsed = createInvoiceSchema.safeParse({
      currency: "USD",
      items: [{ name: "", unitPrice: "1.234", quantity: "0" }],
      customer: { name: "", email: "nope" },
    });
    expect(parsed.success).toBe(false);
    const fields = fieldErrorsOf(parsed.error!);
    expect(fields).toMatchObject({
      "customer.name": ["Enter the customer's name."],
      "customer.email": [expect.stringContaining("valid email")],
      "items.0.name": ["Enter what this line is for."],
      "items.0.unitPrice": ["USD amounts have at most 2 decimal places."],
      "items.0.quantity": ["The quantity must be at least 1."],
    });
  });

  it("reads typed prices in the invoice's currency", () => {
    const parsed = createInvoiceSchema.parse({
      currency: "KWD",
      items: [{ name: "Dates", unitPrice: "1.250", quantity: 3 }],
      customer: { name: "Fatima" },
    });
    expect(parsed.amount).toBe(3750);
    expect(createInvoiceSchema.safeParse({ currency: "VND", items: [{ name: "Pho", unitPrice: "50000.5", quantity: 1 }], customer: { name: "An" } }).success).toBe(false);
  });
});
