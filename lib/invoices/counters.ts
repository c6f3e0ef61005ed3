import { merchantCounters } from "@/db/schema";
import type { InvoiceTab } from "./schemas";

export type CountedTab = Exclude<InvoiceTab, "all">;

/** The counters column of each tab; `all` is their sum. Moved only by applyInvoiceChange. */
export const tabColumns = {
  unpaid: merchantCounters.unpaidCount,
  partial: merchantCounters.partialCount,
  paid: merchantCounters.paidCount,
  extra: merchantCounters.extraCount,
  void: merchantCounters.voidCount,
} as const satisfies Record<CountedTab, unknown>;

/** The tab an invoice is listed under: Void wins over any payment status. */
export const tabOf = (inv: { status: "open" | "void"; paymentStatus: CountedTab | "unpaid" }): CountedTab =>
  inv.status === "void" ? "void" : inv.paymentStatus;
