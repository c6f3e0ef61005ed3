import type { PaymentStatus } from "@/db/schema";

/** The one rule for an invoice's (or link's) payment status: derived from what is owed and what arrived. */
export function statusOf(amount: number, paid: number): PaymentStatus {
  if (paid <= 0) return "unpaid";
  if (paid < amount) return "partial";
  return paid === amount ? "paid" : "extra";
}

/** The webhook event an invoice emits on entering a status; none for `unpaid`, which only creation sets. */
export const statusEvent = {
  unpaid: null,
  partial: "invoice.partially_paid",
  paid: "invoice.paid",
  extra: "invoice.overpaid",
} as const satisfies Record<PaymentStatus, string | null>;
