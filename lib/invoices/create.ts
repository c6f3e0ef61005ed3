import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { type Invoice, type InvoiceItem, invoiceItems, invoices, merchantCounters } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { type Actor, requireRole } from "@/lib/auth/roles";
import { rollInvoiceChange } from "@/lib/dashboard/rollups";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { parseInput } from "@/lib/validation";
import { invoicePayload, writeEvent } from "./events";
import { type CreateInvoiceInput, createInvoiceSchema, formatInvoiceNumber } from "./schemas";

const duplicateReference = () =>
  new AppError("validation_failed", "Some fields need attention.", {
    referenceId: ["Another invoice already uses this reference ID."],
  });

/**
 * Creates an invoice numbered from the merchant's counter row. The upsert
 * takes that row's lock until commit, so concurrent creates queue up and a
 * rolled-back create gives its number back: no gap, no duplicate.
 */
export async function createInvoice(
  db: Database,
  actor: Actor,
  input: CreateInvoiceInput,
): Promise<Invoice & { items: InvoiceItem[] }> {
  requireRole(actor, "invoices.write");
  const data = parseInput(createInvoiceSchema, input);
  const merchantId = actor.merchantId;

  try {
    return await db.transaction(async (tx) => {
      const [counter] = await tx
        .insert(merchantCounters)
        .values({ merchantId, invoiceSeq: 1, unpaidCount: 1 })
        .onConflictDoUpdate({
          target: merchantCounters.merchantId,
          set: {
            invoiceSeq: sql`${merchantCounters.invoiceSeq} + 1`,
            unpaidCount: sql`${merchantCounters.unpaidCount} + 1`,
          },
        })
        .returning({ seq: merchantCounters.invoiceSeq });

      // Race-free under the counter lock; the unique index stays the last word.
      if (data.referenceId) {
        const taken = await tx.$count(invoices, and(eq(invoices.merchantId, merchantId), eq(invoices.referenceId, data.referenceId)));
        if (taken > 0) throw duplicateReference();
      }

      const [invoice] = await tx
        .insert(invoices)
        .values({
          id: newId("inv"),
          merchantId,
          number: counter!.seq,
          referenceId: data.referenceId ?? null,
          currency: data.currency,
          amount: data.amount,
          customerName: data.customer.name,
          customerEmail: data.customer.email ?? null,
          customerPhone: data.customer.phone ?? null,
          customerAddress: data.customer.address ?? null,
          description: data.description ?? null,
          dueDate: data.dueDate ?? null,
          metadata: data.metadata,
        })
        .returning();
      const inv = invoice!;
      const items = await tx
        .insert(invoiceItems)
        .values(
          data.items.map((item, position) => ({
            invoiceId: inv.id,
            position,
            name: item.name,
            unitPrice: item.unitPrice,
            quantity: item.quantity,
            amount: item.amount,
          })),
        )
        .returning();

      await writeEvent(tx, {
        merchantId,
        type: "invoice.created",
        invoiceId: inv.id,
        data: { invoice: invoicePayload(inv) },
      });
      await writeAudit(tx, {
        merchantId,
        actorUserId: actor.userId,
        action: "invoice.created",
        targetType: "invoice",
        targetId: inv.id,
        after: { number: formatInvoiceNumber(inv.number), currency: inv.currency, amount: inv.amount },
      });
      await rollInvoiceChange(tx, { before: null, after: inv, at: inv.createdAt });
      return { ...inv, items };
    });
  } catch (err) {
    if (isUniqueViolation(err, "invoices_merchant_reference_key")) throw duplicateReference();
    throw err;
  }
}

/** Drivers wrap the Postgres error differently (drizzle puts it in `cause`). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const pgErr = e as { code?: string; constraint?: string };
    if (pgErr.code === "23505" && pgErr.constraint === constraint) return true;
  }
  return false;
}
