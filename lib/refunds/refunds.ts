import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { type PaymentService, paymentServices, payments } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { defineCommand, type Scope } from "@/lib/commands/command";
import { connectorFor } from "@/lib/connectors";
import type { RefundOutcome } from "@/lib/connectors/types";
import { fieldError, notFound } from "@/lib/errors";
import { log } from "@/lib/log/logger";
import { type CurrencyCode, minorUnitsSchema, positiveAmountIn } from "@/lib/money";
import { serviceContext } from "@/lib/payment-services/services";
import { optional, optionalText } from "@/lib/validation";
import { noteProviderRefund, openRefund, type RefundResult, refundableOf, settleRefund } from "./ledger";

export const refundOutcomes = ["succeed", "fail"] as const;

export const createRefundSchema = z.object({
  paymentId: z.string({ error: "Choose a payment." }).trim().min(1, "Choose a payment."),
  /**
   * Minor units, or the amount as typed ("12.50") in the payment's currency;
   * absent: all that is still refundable. A blank one is a form's emptied
   * field, not "everything": refused.
   */
  amount: z.union([minorUnitsSchema, z.string().trim().min(1, "Enter an amount.")], { error: "Enter an amount." }).optional(),
  reason: z
    .string({ error: "Say why the money goes back." })
    .trim()
    .min(1, "Say why the money goes back.")
    .max(500, "The reason can be at most 500 characters."),
  /** The transfer's reference, for a refund made outside Settle and recorded here. */
  reference: optionalText(200, "The reference"),
  /** Test mode's sandbox only: how the simulated refund ends. */
  simulate: optional(z.enum(refundOutcomes, { error: "Choose succeed or fail." })),
});
export type CreateRefundInput = z.input<typeof createRefundSchema>;

/** How a payment's money goes back: its gateway's refund call, or a person's transfer recorded here. */
export type RefundRoute = "gateway" | "manual";

/** A payment's service decides: a connector with a refund call (the sandbox's among them) refunds through its gateway; anything else is recorded by hand. */
export function refundRouteOf(kind: PaymentService["kind"] | null): RefundRoute {
  return kind && connectorFor(kind).refund ? "gateway" : "manual";
}

/**
 * Gives money back on a succeeded payment, fully or in part, with a reason.
 * A gateway with a refund call is asked after the refund is held (pending, so
 * concurrent requests can never take more than the payment), outside any
 * transaction; its answer ends the refund or leaves it pending for the
 * gateway's notification. A payment whose money came outside a gateway (a
 * bank transfer, cash, a gateway without a refund call) is refunded outside
 * Settle too: recorded here with the transfer's reference, succeeded at once.
 */
export const createRefund = defineCommand({
  name: "refunds.create",
  permission: "refunds.write",
  input: createRefundSchema,
  transactional: false,
  async run(scope: Scope, data): Promise<RefundResult> {
    const { tx: db, merchantId, actor } = scope;
    const [payment] = await db
      .select()
      .from(payments)
      .where(and(eq(payments.merchantId, merchantId), eq(payments.id, data.paymentId)));
    if (!payment) throw notFound("Payment not found.");
    const [service] = await db
      .select()
      .from(paymentServices)
      .where(and(eq(paymentServices.merchantId, merchantId), eq(paymentServices.id, payment.serviceId)));
    const route = refundRouteOf(service?.kind ?? null);
    const currency = payment.currency as CurrencyCode;

    const amount = data.amount === undefined ? refundableOf(payment) : positiveAmountIn(data.amount, currency);
    if (data.simulate && service?.kind !== "sandbox") throw fieldError("simulate", "Only a sandbox payment's refund can be simulated.");
    if (route === "manual" && !data.reference) {
      throw fieldError("reference", "Enter the reference of the transfer that sent the money back: this payment's refund is made outside Settle.");
    }
    if (route === "gateway" && data.reference) {
      throw fieldError("reference", `Leave the reference out: ${service!.name} refunds this payment and gives the refund its own reference.`);
    }
    if (amount <= 0) throw fieldError("amount", payment.status === "succeeded" ? "Nothing is left to refund on this payment." : "Only a succeeded payment can be refunded.");

    const base = { merchantId, paymentId: payment.id, amount, reason: data.reason, requestedBy: actor.userId };
    if (route === "manual") {
      const result = await openRefund(db, { ...base, status: "succeeded", manual: true, providerRef: data.reference });
      if (!result.created) throw fieldError("reference", "A refund with this reference is already recorded.");
      await audit(scope, result);
      return result;
    }

    // Held first: whatever the gateway says, two requests never take more than the payment.
    const opened = await openRefund(db, { ...base, status: "pending" });
    await audit(scope, opened);
    const gateway = service!;
    let outcome: RefundOutcome;
    try {
      outcome = await connectorFor(gateway.kind).refund!(serviceContext(gateway), {
        refundId: opened.refund.id,
        paymentRef: payment.providerRef,
        amount,
        currency,
        reason: data.reason,
        simulate: data.simulate,
      });
    } catch (err) {
      // Not answered (a timeout, a 5xx): it failed here. Had the gateway made it after all, its own notice
      // arrives with its refund id and is recorded as that refund (idempotent on the id).
      log.warn({ merchantId, refundId: opened.refund.id, err }, "refund: the gateway did not answer");
      outcome = { status: "failed", message: `${gateway.name} did not answer the refund request: ${(err as Error).message}` };
    }
    if (outcome.status === "pending") {
      // Accepted: the gateway's notification (or a look at its status) ends it.
      const noted = outcome.providerRef ? await noteProviderRefund(db, { merchantId, refundId: opened.refund.id, providerRef: outcome.providerRef, raw: outcome.raw }) : undefined;
      return { ...opened, refund: noted ?? opened.refund };
    }
    return settleRefund(db, { merchantId, refundId: opened.refund.id, status: outcome.status, providerRef: outcome.providerRef, message: outcome.message, raw: outcome.raw });
  },
});

async function audit({ tx, merchantId, actor }: Scope, { refund, payment }: RefundResult) {
  await writeAudit(tx, {
    merchantId,
    actorUserId: actor.userId,
    action: "refund.created",
    targetType: "payment",
    targetId: payment.id,
    after: { refundId: refund.id, amount: refund.amount, reason: refund.reason, status: refund.status, reference: refund.manual ? refund.providerRef : undefined },
  });
}
