import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { invoices, type NotificationOutcome, notificationOutcomeEnum, paymentServices, providerNotifications } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { AppError, fieldError, notFound } from "@/lib/errors";
import type { CurrencyCode } from "@/lib/money";
import { recordPayment } from "@/lib/payments/record";

export const notificationFiltersSchema = z.object({
  outcome: z.enum(["all", ...notificationOutcomeEnum.enumValues]).catch("all").default("all"),
});

export async function listNotifications(db: Database, { merchantId, outcome = "all", limit = 100 }: { merchantId: string; outcome?: NotificationOutcome | "all"; limit?: number }) {
  return db
    .select({ notification: providerNotifications, serviceName: paymentServices.name })
    .from(providerNotifications)
    .innerJoin(paymentServices, eq(paymentServices.id, providerNotifications.serviceId))
    .where(and(eq(providerNotifications.merchantId, merchantId), outcome === "all" ? undefined : eq(providerNotifications.outcome, outcome)))
    .orderBy(desc(providerNotifications.createdAt), desc(providerNotifications.id))
    .limit(limit);
}

export const assignNotificationSchema = z.object({
  notificationId: z.string({ error: "Choose a notification." }).min(1, "Choose a notification."),
  invoiceId: z.string({ error: "Enter the invoice id." }).trim().min(1, "Enter the invoice id (inv_…)."),
});

/** An unmatched transfer, put on the invoice a person recognised it as: through the ledger, once. */
export const assignNotification = defineCommand({
  name: "payment_services.notification.assign",
  permission: "payments.write",
  input: assignNotificationSchema,
  async run({ tx, actor, merchantId }, data) {
    const scope = and(eq(providerNotifications.merchantId, merchantId), eq(providerNotifications.id, data.notificationId));
    const [n] = await tx.select().from(providerNotifications).where(scope).for("update");
    if (!n) throw notFound("Notification not found.");
    if (n.outcome !== "unmatched" || !n.providerRef || n.amount === null) {
      throw new AppError("conflict", "Only an unmatched transfer can be assigned to an invoice.");
    }
    const [invoice] = await tx.select().from(invoices).where(and(eq(invoices.merchantId, merchantId), eq(invoices.id, data.invoiceId)));
    if (!invoice) throw fieldError("invoiceId", "No invoice with this id.");
    if (n.currency && n.currency !== invoice.currency) {
      throw fieldError("invoiceId", `This transfer is in ${n.currency}; the invoice is in ${invoice.currency}.`);
    }
    const result = await recordPayment(tx, {
      merchantId,
      invoiceId: invoice.id,
      serviceId: n.serviceId,
      providerRef: n.providerRef,
      amount: n.amount,
      currency: invoice.currency as CurrencyCode,
      method: "bank_transfer",
      status: "succeeded",
      recordedBy: actor.userId,
      note: `Assigned from unmatched notification ${n.id}`,
    });
    const now = new Date();
    await tx
      .update(providerNotifications)
      .set({ outcome: "assigned", invoiceId: invoice.id, paymentId: result.payment.id, assignedBy: actor.userId, assignedAt: now })
      .where(scope);
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "notification.assigned",
      targetType: "invoice",
      targetId: invoice.id,
      after: { notificationId: n.id, paymentId: result.payment.id, amount: n.amount },
    });
    return result;
  },
});
