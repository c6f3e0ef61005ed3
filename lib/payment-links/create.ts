import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { type Invoice, invoices, type PaymentLink, paymentLinks, paymentServices } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { type Actor, requireRole } from "@/lib/auth/roles";
import { connectorFor } from "@/lib/connectors";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { createInvoice } from "@/lib/invoices/create";
import { type CurrencyCode, parseAmount } from "@/lib/money";
import { parseInput } from "@/lib/validation";
import { newLinkCode } from "./code";
import {
  type CreateInvoiceLinkInput,
  type CreateStandaloneLinkInput,
  createInvoiceLinkSchema,
  createStandaloneLinkSchema,
  linkOptionsSchema,
} from "./schemas";
import { ensureSandbox, serviceContext } from "@/lib/payment-services/services";

type LinkOptions = ReturnType<typeof linkOptionsSchema.parse>;

const fieldError = (field: string, message: string) => new AppError("validation_failed", "Some fields need attention.", { [field]: [message] });

/** The chosen services must be this merchant's, enabled, and able to take this currency. */
async function checkServices(db: Database, merchantId: string, ids: string[], currency: string) {
  const rows = await db
    .select()
    .from(paymentServices)
    .where(and(eq(paymentServices.merchantId, merchantId), inArray(paymentServices.id, ids)));
  const unique = [...new Set(ids)];
  if (rows.length !== unique.length) throw fieldError("serviceIds", "Choose payment services from the list.");
  const disabled = rows.find((r) => !r.enabled);
  if (disabled) throw fieldError("serviceIds", `${disabled.name} is turned off in Settings → Payment services.`);
  const unusable = rows.find((r) => connectorFor(r.kind).flows(serviceContext(r), currency).length === 0);
  if (unusable) throw fieldError("serviceIds", `${unusable.name} cannot take payments in ${currency}.`);
  return unique;
}

/**
 * A link for what is owed on `invoice`, which the caller holds in this
 * transaction (just created, or locked). `serviceIds` are checked already:
 * this merchant's, enabled and able to take the invoice's currency
 * (checkServices, or the API's choice of services for a payment request).
 */
export async function insertLink(tx: Database, actor: Actor, invoice: Invoice, serviceIds: string[], opts: LinkOptions, description: string | null) {
  const due = invoice.amount - invoice.paidAmount;
  const values = {
    merchantId: actor.merchantId,
    invoiceId: invoice.id,
    serviceIds,
    currency: invoice.currency,
    amount: due,
    description,
    successUrl: opts.successUrl ?? null,
    failureUrl: opts.failureUrl ?? null,
    expiresAt: new Date(Date.now() + opts.expiresInMinutes * 60_000),
    createdBy: actor.userId,
  };
  // 31^8 codes: a clash is rare; a few fresh tries make it vanishingly so.
  for (let attempt = 0; attempt < 5; attempt++) {
    const [link] = await tx
      .insert(paymentLinks)
      .values({ id: newId("pl"), code: newLinkCode(), ...values })
      .onConflictDoNothing({ target: paymentLinks.code })
      .returning();
    if (link) {
      await writeAudit(tx, {
        merchantId: actor.merchantId,
        actorUserId: actor.userId,
        action: "payment_link.created",
        targetType: "invoice",
        targetId: invoice.id,
        after: { linkId: link.id, code: link.code, amount: link.amount, expiresAt: link.expiresAt.toISOString() },
      });
      return link;
    }
  }
  throw new Error("could not find a free payment link code");
}

/** A checkout for what is still owed on an open invoice. */
export async function createInvoiceLink(db: Database, actor: Actor, input: CreateInvoiceLinkInput): Promise<PaymentLink> {
  requireRole(actor, "invoices.write");
  const data = parseInput(createInvoiceLinkSchema, input);
  await ensureSandbox(db, actor.merchantId);
  return transaction(db, async (tx) => {
    const [invoice] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.merchantId, actor.merchantId), eq(invoices.id, data.invoiceId)))
      .for("update");
    if (!invoice) throw notFound("Invoice not found.");
    if (invoice.status === "void") throw new AppError("conflict", "This invoice is void; it cannot be paid.");
    if (invoice.paidAmount >= invoice.amount) throw new AppError("conflict", "This invoice is already paid in full.");
    const serviceIds = await checkServices(tx, actor.merchantId, data.serviceIds, invoice.currency);
    return insertLink(tx, actor, invoice, serviceIds, data, data.description ?? invoice.description);
  });
}

/** A link for an amount and a description; it makes its own one-line invoice, in the same transaction. */
export async function createStandaloneLink(db: Database, actor: Actor, input: CreateStandaloneLinkInput): Promise<PaymentLink> {
  requireRole(actor, "invoices.write");
  const data = parseInput(createStandaloneLinkSchema, input);
  let amount: number;
  try {
    amount = parseAmount(data.amount, data.currency as CurrencyCode);
  } catch (err) {
    throw fieldError("amount", (err as Error).message);
  }
  if (amount === 0) throw fieldError("amount", "The amount must be more than zero.");
  await ensureSandbox(db, actor.merchantId);
  return transaction(db, async (tx) => {
    // Checked before the invoice exists, so a bad service choice leaves no invoice behind.
    const serviceIds = await checkServices(tx, actor.merchantId, data.serviceIds, data.currency);
    const invoice = await createInvoice(tx, actor, {
      currency: data.currency,
      items: [{ name: data.description, unitPrice: amount, quantity: 1 }],
      customer: { name: data.customerName ?? "Customer" },
      description: data.description,
    });
    return insertLink(tx, actor, invoice, serviceIds, data, data.description);
  });
}
