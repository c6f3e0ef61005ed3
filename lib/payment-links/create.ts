import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { type Invoice, invoices, type PaymentLink, paymentLinks, paymentServices } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/roles";
import { defineCommand, type Scope } from "@/lib/commands/command";
import { AppError, fieldError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { insertInvoice } from "@/lib/invoices/create";
import { type CreateInvoiceInput, createInvoiceSchema } from "@/lib/invoices/schemas";
import { parseInput } from "@/lib/validation";
import { type CurrencyCode, parseAmount } from "@/lib/money";
import { ensureSandbox, flowsOf } from "@/lib/payment-services/services";
import { newLinkCode } from "./code";
import { createInvoiceLinkSchema, createStandaloneLinkSchema, type LinkOptions } from "./schemas";

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
  const unusable = rows.find((r) => flowsOf(r, currency).length === 0);
  if (unusable) throw fieldError("serviceIds", `${unusable.name} cannot take payments in ${currency}.`);
  return unique;
}

/** What a link needs of its invoice: known before a new one is written. */
type InvoiceOwed = Pick<Invoice, "id" | "currency" | "amount" | "paidAmount">;

/**
 * A link for what is owed on `invoice`, which the caller holds in this
 * transaction (locked, or being created: then `attempt` goes out in the
 * invoice's own round trip, insertInvoice's `alongside`). `serviceIds` are
 * checked already: this merchant's, enabled and able to take the invoice's
 * currency (checkServices, or the API's choice of services for a payment
 * request). `attempt` inserts it under a fresh code (no row when that code
 * is taken); `finish` takes that result, tries other codes if it must, and
 * writes the audit entry.
 */
export function startLink(tx: Database, actor: Actor, invoice: InvoiceOwed, serviceIds: string[], opts: LinkOptions, description: string | null) {
  const values = {
    merchantId: actor.merchantId,
    invoiceId: invoice.id,
    serviceIds,
    currency: invoice.currency,
    amount: invoice.amount - invoice.paidAmount,
    description,
    successUrl: opts.successUrl ?? null,
    failureUrl: opts.failureUrl ?? null,
    expiresAt: new Date(Date.now() + opts.expiresInMinutes * 60_000),
    createdBy: actor.userId,
  };
  // The statement itself, not a promise chained on it: sendAll starts it in its turn, after the invoice's rows.
  const attempt = (): PromiseLike<PaymentLink[]> =>
    tx
      .insert(paymentLinks)
      .values({ id: newId("pl"), code: newLinkCode(), ...values })
      .onConflictDoNothing({ target: paymentLinks.code })
      .returning();
  return {
    attempt,
    async finish(first: PaymentLink[] | undefined): Promise<PaymentLink> {
      // 31^8 codes: a clash is rare; a few fresh tries make it vanishingly so.
      let link = first?.[0];
      for (let tries = 1; !link && tries < 5; tries++) [link] = await attempt();
      if (!link) throw new Error("could not find a free payment link code");
      await writeAudit(tx, {
        merchantId: actor.merchantId,
        actorUserId: actor.userId,
        action: "payment_link.created",
        targetType: "invoice",
        targetId: invoice.id,
        after: { linkId: link.id, code: link.code, amount: link.amount, expiresAt: link.expiresAt.toISOString() },
      });
      return link;
    },
  };
}

/** startLink, sent on its own: for an invoice that exists already. */
export async function insertLink(tx: Database, actor: Actor, invoice: InvoiceOwed, serviceIds: string[], opts: LinkOptions, description: string | null) {
  const link = startLink(tx, actor, invoice, serviceIds, opts, description);
  return link.finish(await link.attempt());
}

/**
 * A new invoice (its input checked as createInvoice checks it) with a link
 * for all of it, the link's insert sent in the invoice's own round trip.
 */
export async function insertInvoiceWithLink(
  scope: Scope,
  input: CreateInvoiceInput,
  serviceIds: string[],
  opts: LinkOptions,
  description: string | null,
) {
  const data = parseInput(createInvoiceSchema, input);
  const id = newId("inv");
  const link = startLink(scope.tx, scope.actor, { id, currency: data.currency, amount: data.amount, paidAmount: 0 }, serviceIds, opts, description);
  const made = await insertInvoice(scope, data, { id, send: link.attempt });
  return { invoice: made.invoice, link: await link.finish(made.along) };
}

/** A checkout for what is still owed on an open invoice. */
export const createInvoiceLink = defineCommand({
  name: "payment_links.create",
  permission: "invoices.write",
  input: createInvoiceLinkSchema,
  async run({ tx, actor, merchantId }, data): Promise<PaymentLink> {
    await ensureSandbox(tx, merchantId);
    const [invoice] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.merchantId, merchantId), eq(invoices.id, data.invoiceId)))
      .for("update");
    if (!invoice) throw notFound("Invoice not found.");
    if (invoice.status === "void") throw new AppError("conflict", "This invoice is void; it cannot be paid.");
    if (invoice.paidAmount >= invoice.amount) throw new AppError("conflict", "This invoice is already paid in full.");
    const serviceIds = await checkServices(tx, merchantId, data.serviceIds, invoice.currency);
    return insertLink(tx, actor, invoice, serviceIds, data, data.description ?? invoice.description);
  },
});

/** A link for an amount and a description; it makes its own one-line invoice, in the same transaction. */
export const createStandaloneLink = defineCommand({
  name: "payment_links.standalone.create",
  permission: "invoices.write",
  input: createStandaloneLinkSchema,
  async run(scope, data): Promise<PaymentLink> {
    const { tx, merchantId } = scope;
    let amount: number;
    try {
      amount = parseAmount(data.amount, data.currency as CurrencyCode);
    } catch (err) {
      throw fieldError("amount", (err as Error).message);
    }
    if (amount === 0) throw fieldError("amount", "The amount must be more than zero.");
    await ensureSandbox(tx, merchantId);
    // Checked before the invoice takes the merchant's number lock: a refusal waits for no one.
    const serviceIds = await checkServices(tx, merchantId, data.serviceIds, data.currency);
    const invoice = {
      currency: data.currency,
      items: [{ name: data.description, unitPrice: amount, quantity: 1 }],
      customer: { name: data.customerName ?? "Customer" },
      description: data.description,
    };
    return (await insertInvoiceWithLink(scope, invoice, serviceIds, data, data.description)).link;
  },
});
