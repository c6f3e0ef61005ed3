import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { type Invoice, invoices, type Payment, paymentMethodEnum, payments } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { applyInvoiceChange } from "@/lib/invoices/apply-change";
import { invoicePayload, paymentPayload, writeEvent } from "@/lib/invoices/events";
import { maskPans, maskPansDeep } from "@/lib/log/redact";
import { currencySchema, minorUnitsSchema } from "@/lib/money";
import { parseInput } from "@/lib/validation";
import { statusEvent } from "./status";

/** What a connector (or a person) reports about one provider transaction. */
export const paymentFactsSchema = z.object({
  merchantId: z.string().min(1),
  invoiceId: z.string().min(1, "Choose an invoice."),
  paymentLinkId: z.string().min(1).optional(),
  serviceId: z.string().min(1, "A payment service is required."),
  providerRef: z.string().trim().min(1, "A transaction reference is required.").max(200, "The reference must be at most 200 characters."),
  /** Never zero: a payment of nothing is a provider's mistake (or a forgery), refused before it reaches the ledger. */
  amount: minorUnitsSchema.refine((n) => n > 0, "A payment's amount must be more than zero."),
  currency: currencySchema,
  method: z.enum(paymentMethodEnum.enumValues, { error: "Choose a payment method." }),
  /** processing: money seen, not final (a crypto payment waiting for confirmations); never counted as paid. */
  status: z.enum(["succeeded", "failed", "processing"]),
  confirmations: z.object({ seen: z.number().int().min(0), required: z.number().int().min(1) }).optional(),
  message: z.string().max(1000).optional(),
  cardLast4: z.string().regex(/^\d{4}$/, "Card last four must be four digits.").optional(),
  raw: z.unknown().optional(),
  late: z.boolean().optional(),
  recordedBy: z.string().min(1).optional(),
  note: z.string().max(2000).optional(),
});
export type PaymentFacts = z.input<typeof paymentFactsSchema>;

export interface RecordResult {
  payment: Payment;
  invoice: Invoice;
  /** True when this call inserted the payment row. */
  created: boolean;
  /** True when the ledger changed: a new payment, or a failed one upgraded to succeeded. */
  changed: boolean;
}

/**
 * The only way money enters the ledger. One transaction: lock the invoice,
 * insert the payment idempotently on (merchant, service, provider ref),
 * move the invoice's derived state (applyInvoiceChange: paid amount from the
 * succeeded payments, status, counts, link totals, rollups), and write the
 * outbox events, all or nothing.
 */
export async function recordPayment(db: Database, input: PaymentFacts): Promise<RecordResult> {
  const facts = parseInput(paymentFactsSchema, input);
  const { merchantId, invoiceId } = facts;

  return transaction(db, async (tx) => {
    // Serialises every payment on this invoice: the sum below sees all earlier commits.
    const [before] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.merchantId, merchantId), eq(invoices.id, invoiceId)))
      .for("update");
    if (!before) throw notFound("Invoice not found.");
    if (facts.currency !== before.currency) {
      throw new AppError(
        "validation_failed",
        `This invoice is in ${before.currency}; a payment in ${facts.currency} cannot be recorded on it.`,
        { currency: [`Must be ${before.currency}, the invoice's currency.`] },
      );
    }

    // Card numbers stop here (PCI DSS): what a provider or a person wrote is stored, and so shown in the
    // dashboard, the API, the checkout and every event's payload, with only a card's last four digits.
    // Not the provider's reference: it is the idempotency key, an identifier and never a card number, and
    // masking a numeric one that happens to pass Luhn would merge two transactions into one.
    const row = {
      paymentLinkId: facts.paymentLinkId ?? null,
      amount: facts.amount,
      method: facts.method,
      status: facts.status,
      message: facts.message !== undefined ? maskPans(facts.message) : null,
      cardLast4: facts.cardLast4 ?? null,
      confirmations: facts.confirmations?.seen ?? null,
      confirmationsRequired: facts.confirmations?.required ?? null,
      raw: facts.raw !== undefined ? maskPansDeep(facts.raw) : null,
      late: facts.late ?? false,
      recordedBy: facts.recordedBy ?? null,
      note: facts.note !== undefined ? maskPans(facts.note) : null,
    };
    const [inserted] = await tx
      .insert(payments)
      .values({
        id: newId("pay"),
        merchantId,
        invoiceId,
        serviceId: facts.serviceId,
        providerRef: facts.providerRef,
        currency: facts.currency,
        ...row,
      })
      .onConflictDoNothing({ target: [payments.merchantId, payments.serviceId, payments.providerRef] })
      .returning();

    let payment = inserted;
    if (!payment) {
      const [existing] = await tx
        .select()
        .from(payments)
        .where(
          and(
            eq(payments.merchantId, merchantId),
            eq(payments.serviceId, facts.serviceId),
            eq(payments.providerRef, facts.providerRef),
          ),
        )
        .for("update");
      if (!existing) throw new Error("payment vanished between conflict and read");
      if (existing.invoiceId !== invoiceId) {
        throw new AppError("conflict", "This transaction reference is already recorded on another invoice.", {
          providerRef: ["Already recorded on another invoice."],
        });
      }
      // A late success changes a known transaction, and a processing one moves on; a repeat or a failed-after-success is a no-op.
      const moves =
        (existing.status === "failed" && facts.status === "succeeded") ||
        (existing.status === "processing" && (facts.status !== "processing" || facts.confirmations?.seen !== existing.confirmations));
      if (!moves) return { payment: existing, invoice: before, created: false, changed: false };
      const [upgraded] = await tx
        .update(payments)
        // The transaction's clock, like the events it writes: the dashboard counts the money on the day its events carry.
        .set({ ...row, updatedAt: sql`now()` })
        .where(and(eq(payments.merchantId, merchantId), eq(payments.id, existing.id)))
        .returning();
      payment = upgraded!;
    }

    // Still processing, with more confirmations: the row says how far it got; no money moved and nothing to announce.
    if (!inserted && payment.status === "processing") return { payment, invoice: before, created: false, changed: true };

    const invoice = await applyInvoiceChange(tx, { kind: "payment", before, payment });
    const paymentStatus = invoice.paymentStatus;

    await writeEvent(tx, {
      merchantId,
      type: `payment.${payment.status}`,
      invoiceId,
      data: { payment: paymentPayload(payment), invoice: invoicePayload(invoice) },
    });
    const entered = statusEvent[paymentStatus];
    if (paymentStatus !== before.paymentStatus && entered) {
      await writeEvent(tx, { merchantId, type: entered, invoiceId, data: { invoice: invoicePayload(invoice) } });
    }
    return { payment, invoice, created: !!inserted, changed: true };
  });
}
