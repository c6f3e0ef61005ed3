import { and, eq } from "drizzle-orm";
import { invoices } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { AppError, notFound } from "@/lib/errors";
import { applyInvoiceChange } from "./apply-change";
import { invoicePayload, writeEvent } from "./events";
import { formatInvoiceNumber, voidInvoiceSchema } from "./schemas";

/** Voids an open invoice that has received nothing. Money already in would need a refund, not a void. */
export const voidInvoice = defineCommand({
  name: "invoices.void",
  permission: "invoices.write",
  input: voidInvoiceSchema,
  async run({ tx, actor, merchantId }, { invoiceId }) {
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
    return applyInvoiceChange(tx, { kind: "voided", before: current, invoice: inv });
  },
});
