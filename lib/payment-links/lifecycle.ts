import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { type PaymentLink, paymentLinks } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { AppError, notFound } from "@/lib/errors";
import { writeEvent } from "@/lib/invoices/events";
import { cancelLinkSchema } from "./schemas";

/** A payment link as merchants' systems see it in webhooks. */
export function linkPayload(l: PaymentLink) {
  return {
    id: l.id,
    code: l.code,
    invoice_id: l.invoiceId,
    currency: l.currency,
    amount: l.amount,
    paid_amount: l.paidAmount,
    payment_status: l.paymentStatus,
    status: l.status,
    expires_at: l.expiresAt.toISOString(),
    created_at: l.createdAt.toISOString(),
  };
}

/**
 * Expires every active link whose time is up and writes `payment_link.expired`
 * in the same transaction. SKIP LOCKED lets several instances sweep at once
 * without expiring (or announcing) a link twice.
 */
export async function expireDueLinks(
  db: Database,
  { now = new Date(), merchantId, linkId, limit = 100 }: { now?: Date; merchantId?: string; linkId?: string; limit?: number } = {},
): Promise<PaymentLink[]> {
  return transaction(db, async (tx) => {
    const due = await tx
      .select({ id: paymentLinks.id })
      .from(paymentLinks)
      .where(
        and(
          eq(paymentLinks.status, "active"),
          lte(paymentLinks.expiresAt, now),
          merchantId ? eq(paymentLinks.merchantId, merchantId) : undefined,
          linkId ? eq(paymentLinks.id, linkId) : undefined,
        ),
      )
      .orderBy(asc(paymentLinks.expiresAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    const expired: PaymentLink[] = [];
    for (const { id } of due) {
      const [link] = await tx
        .update(paymentLinks)
        .set({ status: "expired", expiredAt: now })
        .where(and(eq(paymentLinks.id, id), eq(paymentLinks.status, "active")))
        .returning();
      if (!link) continue;
      await writeEvent(tx, {
        merchantId: link.merchantId,
        type: "payment_link.expired",
        invoiceId: link.invoiceId,
        data: { payment_link: linkPayload(link) },
      });
      expired.push(link);
    }
    return expired;
  });
}

/** The sandbox's "time passes" control: moves the link's expiry to now and expires it the normal way. */
export async function expireLinkNow(db: Database, link: { merchantId: string; id: string }): Promise<void> {
  const now = new Date();
  await db
    .update(paymentLinks)
    .set({ expiresAt: sql`least(${paymentLinks.expiresAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(paymentLinks.merchantId, link.merchantId), eq(paymentLinks.id, link.id), eq(paymentLinks.status, "active")));
  await expireDueLinks(db, { now, merchantId: link.merchantId, linkId: link.id });
}

/** Stops an active link taking payments; a payment that arrives later is still recorded, as late. */
export const cancelLink = defineCommand({
  name: "payment_links.cancel",
  permission: "invoices.write",
  input: cancelLinkSchema,
  async run({ tx, actor, merchantId }, { linkId }): Promise<PaymentLink> {
    const scope = and(eq(paymentLinks.merchantId, merchantId), eq(paymentLinks.id, linkId));
    const [before] = await tx.select().from(paymentLinks).where(scope).for("update");
    if (!before) throw notFound("Payment link not found.");
    if (before.status !== "active") throw new AppError("conflict", `This link is already ${before.status}.`);
    const [link] = await tx.update(paymentLinks).set({ status: "canceled", canceledAt: new Date(), cancellationReason: "merchant" }).where(scope).returning();
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "payment_link.canceled",
      targetType: "invoice",
      targetId: before.invoiceId,
      before: { linkId, status: before.status },
      after: { linkId, status: "canceled" },
    });
    return link!;
  },
});
