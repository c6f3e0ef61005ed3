import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { type Invoice, invoices } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { type Actor, requireRole } from "@/lib/auth/roles";
import { rollInvoiceChange } from "@/lib/dashboard/rollups";
import { AppError, notFound } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { moveTabCount } from "./counters";
import { invoicePayload, writeEvent } from "./events";
import { formatInvoiceNumber, voidInvoiceSchema } from "./schemas";

/** Voids an open invoice that has received nothing. Money already in would need a refund, not a void. */
export async function voidInvoice(db: Database, actor: Actor, input: { invoiceId: string }): Promise<Invoice> {
  requireRole(actor, "invoices.write");
  const { invoiceId } = parseInput(voidInvoiceSchema, input);
  const merchantId = actor.merchantId;

  return transaction(db, async (tx) => {
    // The lock makes "still unpaid" hold until commit: a payment cannot slip in between.
    const [current] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.merchantId, merchantId), eq(invoices.id, invoiceId)))
      .for("update");
    if (!current) throw notFound("Invoice not found.");
    if (current.status === "void") throw new AppError("conflict", "This invoice is already void.");
    if (current.paymentStatus !== "unpaid") {
      throw new AppError("conflict", "Only unpaid invoices can be voided; this one has payments.");
    }

    const [voided] = await tx
      .update(invoices)
      .set({ status: "void", voidedAt: new Date() })
      .where(and(eq(invoices.merchantId, merchantId), eq(invoices.id, invoiceId)))
      .returning();
    const inv = voided!;
    await moveTabCount(tx, merchantId, "unpaid", "void");
    await writeEvent(tx, { merchantId, type: "invoice.voided", invoiceId, data: { invoice: invoicePayload(inv) } });
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "invoice.voided",
      targetType: "invoice",
      targetId: invoiceId,
      before: { status: current.status },
      after: { status: inv.status, number: formatInvoiceNumber(inv.number) },
    });
    await rollInvoiceChange(tx, { before: current, after: inv, at: inv.voidedAt! });
    return inv;
  });
}
