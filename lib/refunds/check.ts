import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { type PaymentService, paymentServiceKindEnum, paymentServices, type Refund, refunds } from "@/db/schema";
import { defineCommand } from "@/lib/commands/command";
import { connectorFor } from "@/lib/connectors";
import type { RefundOutcome } from "@/lib/connectors/types";
import { AppError, notFound } from "@/lib/errors";
import { log } from "@/lib/log/logger";
import { serviceContext } from "@/lib/payment-services/services";
import { type RefundResult, settleRefund } from "./ledger";

/** A pending refund is looked up at its gateway once it has waited this long for the notification. */
export const CHECK_AFTER_MS = 5 * 60_000;
/**
 * A pending refund the gateway never gave its id to (Settle stopped between
 * holding it and hearing back) is failed after this long, which gives its
 * amount back; the gateway's own notification still records it if it was
 * made after all (lib/refunds/notices.ts).
 */
export const STRANDED_AFTER_MS = 10 * 60_000;

export type CheckResult = Pick<RefundResult, "refund"> & { changed: boolean; note: string };

/** The kinds whose connector can look a refund up: the only ones worth a sweep's query. */
const lookupKinds = () => paymentServiceKindEnum.enumValues.filter((kind) => connectorFor(kind).refundStatus);

/**
 * Where a pending gateway refund stands, and the ledger brought in line: the
 * gateway's answer ends it (succeeded counts it, failed gives its amount
 * back) exactly as its notification would have; still pending at the
 * gateway, it stays pending. A refund the gateway never named (Settle
 * stopped before its answer) cannot be looked up: past STRANDED_AFTER_MS it
 * is failed, so its amount is not held for ever.
 */
export async function checkPendingRefund(db: Database, refund: Refund, service: PaymentService | undefined, now = new Date()): Promise<CheckResult> {
  if (refund.status !== "pending") return { refund, changed: false, note: `This refund has already ended: ${refund.status}.` };
  const lookup = service ? connectorFor(service.kind).refundStatus : undefined;
  if (!service || !lookup) throw new AppError("conflict", "This refund's gateway cannot be asked where it stands; its notification ends it.");
  if (!refund.providerRef) {
    if (now.getTime() - refund.createdAt.getTime() < STRANDED_AFTER_MS) {
      return { refund, changed: false, note: `Waiting for ${service.name}'s answer to the refund request.` };
    }
    const message = `${service.name} never answered this refund request: Settle stopped before its answer came. If ${service.name} made the refund after all, its notification records it as a refund of its own.`;
    const ended = await settleRefund(db, { merchantId: refund.merchantId, refundId: refund.id, status: "failed", message });
    return { refund: ended.refund, changed: ended.changed, note: ended.changed ? "Failed: the gateway never named it." : `This refund has already ended: ${ended.refund.status}.` };
  }
  let reading: RefundOutcome;
  try {
    reading = await lookup(serviceContext(service), refund.providerRef);
  } catch (err) {
    throw new AppError("provider_unavailable", `${service.name} did not say where this refund stands: ${(err as Error).message}`);
  }
  if (reading.status === "pending") {
    // Looked at now: the sweep turns to the refunds it has not asked about for longest.
    const [touched] = await db
      .update(refunds)
      .set({ updatedAt: sql`now()` })
      .where(and(eq(refunds.merchantId, refund.merchantId), eq(refunds.id, refund.id), eq(refunds.status, "pending")))
      .returning();
    return { refund: touched ?? refund, changed: false, note: `${service.name} still has this refund pending.` };
  }
  const ended = await settleRefund(db, {
    merchantId: refund.merchantId,
    refundId: refund.id,
    status: reading.status,
    providerRef: reading.providerRef,
    message: reading.message,
    raw: reading.raw,
  });
  const said = reading.status === "succeeded" ? `${service.name} made the refund.` : `${service.name} did not make the refund.`;
  return { refund: ended.refund, changed: ended.changed, note: ended.changed ? said : `This refund has already ended: ${ended.refund.status}.` };
}

/** "Check status" on a pending refund: asks its gateway now instead of waiting for the notification. */
export const checkRefund = defineCommand({
  name: "refunds.check",
  permission: "refunds.write",
  input: z.object({ refundId: z.string({ error: "Choose a refund." }).trim().min(1, "Choose a refund.") }),
  transactional: false,
  async run({ tx: db, merchantId }, { refundId }): Promise<CheckResult> {
    const [row] = await db
      .select({ refund: refunds, service: paymentServices })
      .from(refunds)
      .leftJoin(paymentServices, and(eq(paymentServices.merchantId, refunds.merchantId), eq(paymentServices.id, refunds.serviceId)))
      .where(and(eq(refunds.merchantId, merchantId), eq(refunds.id, refundId)));
    if (!row) throw notFound("Refund not found.");
    return checkPendingRefund(db, row.refund, row.service ?? undefined);
  },
});

/**
 * The sweep (every few minutes, and on serverless hosts the cron): the
 * gateway refunds, of every merchant, pending for over CHECK_AFTER_MS, the
 * ones not looked at for longest first, each asked about once. One that
 * cannot be asked now (the gateway is down) waits for the next sweep. No
 * new look starts after `until` (ms), so a slow gateway cannot eat a
 * serverless cron's time.
 */
export async function sweepPendingRefunds(
  db: Database,
  now = new Date(),
  { limit = 20, until = Number.POSITIVE_INFINITY }: { limit?: number; until?: number } = {},
): Promise<{ checked: number; ended: number }> {
  const kinds = lookupKinds();
  if (!kinds.length) return { checked: 0, ended: 0 };
  const due = new Date(now.getTime() - CHECK_AFTER_MS);
  const rows = await db
    .select({ refund: refunds, service: paymentServices })
    .from(refunds)
    .innerJoin(paymentServices, and(eq(paymentServices.merchantId, refunds.merchantId), eq(paymentServices.id, refunds.serviceId)))
    .where(and(eq(refunds.status, "pending"), eq(refunds.manual, false), lt(refunds.updatedAt, due), inArray(paymentServices.kind, kinds)))
    .orderBy(asc(refunds.updatedAt), asc(refunds.id))
    .limit(limit);
  let ended = 0;
  let checked = 0;
  for (const { refund, service } of rows) {
    if (Date.now() > until) break;
    checked += 1;
    try {
      if ((await checkPendingRefund(db, refund, service, now)).changed) ended += 1;
    } catch (err) {
      log.warn({ err, merchantId: refund.merchantId, refundId: refund.id }, "refunds: status check failed; the next sweep tries again");
    }
  }
  return { checked, ended };
}
