import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { invoices } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { AppError, fieldError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { type CurrencyCode, minorUnitsSchema, positiveAmountIn } from "@/lib/money";
import { optionalText } from "@/lib/validation";
import { type RecordResult, recordPayment } from "./record";

export const MANUAL_SERVICE_ID = "manual";
export const manualMethods = ["cash", "bank_transfer", "other"] as const;

export const manualPaymentSchema = z.object({
  invoiceId: z.string({ error: "Choose an invoice." }).min(1, "Choose an invoice."),
  /** Minor units, or the amount as typed ("1,250.00"), read in the invoice's currency. */
  amount: z.union([minorUnitsSchema, z.string()], { error: "Enter an amount." }),
  method: z.enum(manualMethods, { error: "Choose cash, bank transfer or other." }),
  reference: optionalText(200, "The reference"),
  note: optionalText(2000, "The note"),
});
export type ManualPaymentInput = z.input<typeof manualPaymentSchema>;

/**
 * Money received outside Settle (cash, a transfer seen on the bank statement),
 * recorded by a person through the same ledger as provider notifications.
 * A reference doubles as the idempotency key, so the same bank transfer cannot
 * be entered twice; without one, each entry is its own payment.
 */
export const recordManualPayment = defineCommand({
  name: "payments.manual.record",
  permission: "payments.write",
  input: manualPaymentSchema,
  async run({ tx, actor, merchantId }, data): Promise<RecordResult> {
    const [invoice] = await tx
      .select({ currency: invoices.currency })
      .from(invoices)
      .where(and(eq(invoices.merchantId, merchantId), eq(invoices.id, data.invoiceId)));
    if (!invoice) throw notFound("Invoice not found.");
    const currency = invoice.currency as CurrencyCode;

    const amount = positiveAmountIn(data.amount, currency);

    const result = await recordPayment(tx, {
      merchantId,
      invoiceId: data.invoiceId,
      serviceId: MANUAL_SERVICE_ID,
      providerRef: data.reference ?? newId("man"),
      amount,
      currency,
      method: data.method,
      status: "succeeded",
      recordedBy: actor.userId,
      note: data.note,
    }).catch((err: unknown) => {
      // Same reference on another invoice: tell the person which field to change.
      if (err instanceof AppError && err.fields?.providerRef) throw fieldError("reference", err.fields.providerRef[0]!);
      throw err;
    });
    if (!result.created) throw fieldError("reference", "A payment with this reference is already recorded.");
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "payment.recorded",
      targetType: "invoice",
      targetId: data.invoiceId,
      before: { paidAmount: result.invoice.paidAmount - amount },
      after: { paymentId: result.payment.id, amount, method: data.method, paidAmount: result.invoice.paidAmount },
    });
    return result;
  },
});
