import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { merchantCounters } from "@/db/schema";
import type { InvoiceTab } from "./schemas";

type CountedTab = Exclude<InvoiceTab, "all">;

/** The counters column of each tab; `all` is their sum. */
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

/**
 * Moves one invoice between tab counts. Runs inside the transaction that
 * changed the invoice, after the invoice row is locked (lock order: invoice,
 * then counters), so counts always equal a COUNT(*) of committed rows.
 */
export async function moveTabCount(db: Database, merchantId: string, from: CountedTab, to: CountedTab): Promise<void> {
  if (from === to) return;
  await db
    .update(merchantCounters)
    .set({
      [keyOf(from)]: sql`${tabColumns[from]} - 1`,
      [keyOf(to)]: sql`${tabColumns[to]} + 1`,
    })
    .where(sql`${merchantCounters.merchantId} = ${merchantId}`);
}

const keyOf = (tab: CountedTab) => `${tab}Count` as const;
