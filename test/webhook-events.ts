import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { type EventType, writeEvent } from "@/lib/invoices/events";

/** Writes `count` events the way the domain does (writeEvent in a transaction), so fan-out runs as in production. */
export async function writeTestEvents(
  db: Database,
  merchantId: string,
  count: number,
  type: EventType = "invoice.created",
  perTransaction = 1,
): Promise<void> {
  for (let i = 0; i < count; i += perTransaction) {
    await transaction(db, async (tx) => {
      for (let j = i; j < Math.min(count, i + perTransaction); j++) {
        await writeEvent(tx, { merchantId, type, invoiceId: null, data: { seq: j } });
      }
    });
  }
}
