import { describe, expect, it } from "vitest";
import { createInvoiceSchema } from "./schemas";
import { earliestToday, isOverdue, isPastDay } from "./due";
import { fieldErrorsOf } from "@/lib/validation";

const at = (iso: string) => new Date(iso);

describe("due dates", () => {
  it("counts a day as past only once it has ended in every time zone", () => {
    expect(earliestToday(at("2026-12-07T05:00:00Z"))).toBe("2026-12-06");
    expect(isPastDay("2026-12-06", at("2026-12-07T05:00:00Z"))).toBe(false);
    expect(isPastDay("2026-12-05", at("2026-12-07T05:00:00Z"))).toBe(true);
    expect(isPastDay("2026-12-06", at("2026-12-07T12:00:00Z"))).toBe(true);
  });

  it("marks open invoices still owing after their due date as overdue, and nothing else", () => {
    const now = at("2026-12-07T12:00:00Z");
    const due = { status: "open", paymentStatus: "unpaid", dueDate: "2026-12-01" };
    expect(isOverdue(due, now)).toBe(true);
    expect(isOverdue({ ...due, paymentStatus: "partial" }, now)).toBe(true);
    expect(isOverdue({ ...due, paymentStatus: "paid" }, now)).toBe(false);
    expect(isOverdue({ ...due, status: "void" }, now)).toBe(false);
    expect(isOverdue({ ...due, dueDate: "2026-12-08" }, now)).toBe(false);
    expect(isOverdue({ ...due, dueDate: null }, now)).toBe(false);
  });

  it("refuses a due date in the past unless it is confirmed", () => {
    const invoice = { currency: "USD", items: [{ name: "Tea", unitPrice: "5", quantity: 1 }], customer: { name: "An" }, dueDate: "2020-01-31" };
    const refused = createInvoiceSchema.safeParse(invoice);
    expect(refused.success).toBe(false);
    expect(fieldErrorsOf(refused.error!).confirmPastDue?.[0]).toMatch(/in the past/);
    expect(createInvoiceSchema.safeParse({ ...invoice, confirmPastDue: true }).success).toBe(true);
    expect(createInvoiceSchema.safeParse({ ...invoice, confirmPastDue: "on" }).success).toBe(true);
    expect(createInvoiceSchema.safeParse({ ...invoice, dueDate: "2999-01-31" }).success).toBe(true);
  });
});
