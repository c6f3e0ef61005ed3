import { sendAll } from "@/db/transaction";
import { type Invoice, type InvoiceItem, invoiceItems, invoices } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { defineCommand, type Scope } from "@/lib/commands/command";
import { fieldError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { subscribersOf } from "@/lib/webhooks/fan-out";
import { applyInvoiceChange, invoiceNumberTaken, numberNewInvoice } from "./apply-change";
import { invoicePayload, writeEvent } from "./events";
import { type CreateInvoiceData, createInvoiceSchema, formatInvoiceNumber } from "./schemas";

/**
 * A statement the caller sends in the invoice's own round trip, right after
 * its rows (a payment link for it): the counter is then held for one round
 * trip less than if it were sent after.
 */
export interface Alongside<T> {
  /** The invoice's id, chosen by the caller so that its statement can name it. */
  id: string;
  /**
   * The statement, unrun: a drizzle query itself, not a promise chained on it (`.then` runs it at
   * once, ahead of the invoice's rows).
   */
  send: () => PromiseLike<T>;
}

/**
 * Creates an invoice numbered from the merchant's counter row
 * (numberNewInvoice: no gap, no duplicate). Everything that can be read is
 * read before the number is taken, or in the same round trip ahead of it; the
 * statements after it go out back to back, and the event, audit entry and
 * rollups with the COMMIT (db/transaction.ts), so the counter is held for two
 * round trips: this one and the COMMIT's.
 */
export async function insertInvoice<T = undefined>(
  { tx, actor, merchantId }: Scope,
  data: CreateInvoiceData,
  alongside?: Alongside<T>,
): Promise<{ invoice: Invoice & { items: InvoiceItem[] }; along: T | undefined }> {
  const id = alongside?.id ?? newId("inv");
  try {
    const [endpoints, , [invoice], items, along] = await sendAll([
      // Read in the same round trip, ahead of the number: it adds nothing to the time the counter is held.
      () => subscribersOf(tx, merchantId, "invoice.created"),
      () => numberNewInvoice(tx, merchantId),
      // The statement before is done when this one runs: it reads the number just taken.
      // A reference ID already in use stops here, on the unique index.
      () =>
        tx
          .insert(invoices)
          .values({
            id,
            merchantId,
            number: invoiceNumberTaken(merchantId),
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
          .returning(),
      () =>
        tx
          .insert(invoiceItems)
          .values(
            data.items.map((item, position) => ({
              invoiceId: id,
              position,
              name: item.name,
              unitPrice: item.unitPrice,
              quantity: item.quantity,
              amount: item.amount,
            })),
          )
          .returning(),
      () => (alongside ? alongside.send() : Promise.resolve(undefined)),
    ] as const);
    const inv = invoice!;

    await writeEvent(tx, { merchantId, type: "invoice.created", invoiceId: inv.id, data: { invoice: invoicePayload(inv) } }, { subscribers: endpoints });
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "invoice.created",
      targetType: "invoice",
      targetId: inv.id,
      after: { number: formatInvoiceNumber(inv.number), currency: inv.currency, amount: inv.amount },
    });
    await applyInvoiceChange(tx, { kind: "created", invoice: inv });
    return { invoice: { ...inv, items }, along };
  } catch (err) {
    if (isUniqueViolation(err, "invoices_merchant_reference_key")) {
      throw fieldError("referenceId", "Another invoice already uses this reference ID.");
    }
    throw err;
  }
}

export const createInvoice = defineCommand({
  name: "invoices.create",
  permission: "invoices.write",
  input: createInvoiceSchema,
  async run(scope, data): Promise<Invoice & { items: InvoiceItem[] }> {
    return (await insertInvoice(scope, data)).invoice;
  },
});

/** Drivers wrap the Postgres error differently (drizzle puts it in `cause`). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const pgErr = e as { code?: string; constraint?: string };
    if (pgErr.code === "23505" && pgErr.constraint === constraint) return true;
  }
  return false;
}
