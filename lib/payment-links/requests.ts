import { and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { queueWrite, sendAll, transaction } from "@/db/transaction";
import { apiPaymentRequests, type Invoice, invoices, merchants, type PaymentLink, paymentLinks, type PaymentService, paymentServices, payments } from "@/db/schema";
import { type Actor, requireRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { createInvoice } from "@/lib/invoices/create";
import type { CurrencyCode } from "@/lib/money";
import { createInvoiceLink, insertLink } from "./create";
import { linkOptionsSchema } from "./schemas";
import { expireDueLinks } from "./lifecycle";
import { getLink } from "./queries";
import { instructionFor, merchantNameOf } from "./invoice-payment";
import { ensureSandbox, flowsOf } from "@/lib/payment-services/services";
import { parseInput } from "@/lib/validation";
import { subscribersOf } from "@/lib/webhooks/fan-out";

export type PaymentMethodName = "bank_transfer" | "card" | "ewallet";

/** A payment request in Finan's terms, as lib/api/payments.ts has parsed it. */
export interface PaymentRequestInput {
  paymentMethod: PaymentMethodName;
  /** A payment service id (Finan's bank `account_id`); otherwise the services that fit the method. */
  accountId?: string;
  amount: number;
  currency?: CurrencyCode;
  description?: string;
  referenceId: string;
  referenceType?: "invoice";
  items?: { name: string; price: number; quantity: number; amount: number }[];
  customer?: { name: string; email?: string; phone?: string; address?: string };
  successUrl?: string;
  failureUrl?: string;
}

const invalid = (fields: Record<string, string>) =>
  new AppError("validation_failed", "Some fields need attention.", Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [v]])));

/** A bank transfer is scanned from a QR; cards and e-wallets are a redirect to the provider's page. */
const flowFor = (method: PaymentMethodName) => (method === "bank_transfer" ? "qr" : "redirect");

const merchantServices = (db: Database, merchantId: string) =>
  db
    .select()
    .from(paymentServices)
    .where(eq(paymentServices.merchantId, merchantId))
    .orderBy(asc(paymentServices.createdAt), asc(paymentServices.id));

/**
 * The services a request offers, from the merchant's enabled ones: the one
 * named by account_id, or every enabled real service that takes this currency
 * in the method's flow, or (none linked yet) the built-in sandbox.
 */
async function servicesFor(db: Database, merchantId: string, all: PaymentService[], input: PaymentRequestInput, currency: string): Promise<PaymentService[]> {
  const flow = flowFor(input.paymentMethod);
  // Merchants older than the sandbox get it on first need (a write only then; one turned off stays off).
  if (!all.some((s) => s.kind === "sandbox")) {
    await ensureSandbox(db, merchantId);
    all = await merchantServices(db, merchantId);
  }
  const rows = all.filter((s) => s.enabled);
  const fits = (s: PaymentService) => flowsOf(s, currency).includes(flow);
  if (input.accountId) {
    const chosen = rows.find((s) => s.id === input.accountId);
    if (!chosen) throw invalid({ account_id: "No enabled payment service of yours has this id." });
    if (!fits(chosen)) throw invalid({ account_id: `${chosen.name} cannot take ${input.paymentMethod} payments in ${currency}.` });
    return [chosen];
  }
  const real = rows.filter((s) => s.kind !== "sandbox" && fits(s));
  const offered = real.length ? real : rows.filter((s) => s.kind === "sandbox" && fits(s));
  if (!offered.length) throw invalid({ payment_method: `No enabled payment service of yours takes ${input.paymentMethod} payments in ${currency}.` });
  return offered;
}

async function findInvoice(db: Database, merchantId: string, ref: string): Promise<Invoice | undefined> {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.merchantId, merchantId), or(eq(invoices.id, ref), eq(invoices.referenceId, ref))))
    .orderBy(sql`${invoices.id} = ${ref} desc`)
    .limit(1);
  return row;
}

function checkOutstanding(invoice: Invoice, amount: number) {
  const due = invoice.amount - invoice.paidAmount;
  if (invoice.status === "void") throw invalid({ reference_id: "This invoice is void; it cannot be paid." });
  if (due <= 0) throw invalid({ reference_id: "This invoice is already paid in full." });
  if (amount !== due) throw invalid({ amount: `Must be ${due}, what is still owed on invoice ${invoice.id} (in minor units).` });
}

/**
 * POST /payments: a payment link for an invoice. With `reference_type:
 * "invoice"` the reference names an existing invoice (its id or reference ID)
 * and the amount must be what is still owed. Otherwise the request makes its
 * own invoice (the items, or one line) under reference_id; a reference that
 * already names an open invoice (a request made again after the last one
 * expired) gets a new link on that invoice. Everything is read first, in one
 * round trip, before a new invoice takes the merchant's number lock.
 */
export async function createPaymentRequest(db: Database, actor: Actor, input: PaymentRequestInput, origin: string) {
  requireRole(actor, "invoices.write");
  const { merchantId } = actor;
  return transaction(db, async (tx) => {
    const [merchantName, found, ownServices, subscribers] = await sendAll([
      () => merchantNameOf(tx, merchantId),
      () => findInvoice(tx, merchantId, input.referenceId),
      () => merchantServices(tx, merchantId),
      () => subscribersOf(tx, merchantId, "invoice.created"),
    ] as const);
    let invoice = found;
    if (input.referenceType === "invoice") {
      if (!invoice) throw invalid({ reference_id: "No invoice has this id or reference ID." });
      checkOutstanding(invoice, input.amount);
    } else if (invoice && invoice.referenceId === input.referenceId) {
      checkOutstanding(invoice, input.amount);
    } else {
      invoice = undefined;
      if (input.items) {
        const bad: Record<string, string> = {};
        input.items.forEach((item, i) => {
          if (item.price * item.quantity !== item.amount) bad[`items.${i}.amount`] = `Must be price × quantity = ${item.price * item.quantity}.`;
        });
        const total = input.items.reduce((sum, item) => sum + item.amount, 0);
        if (!Object.keys(bad).length && total !== input.amount) bad.amount = `Must be the sum of the items' amounts, ${total}.`;
        if (Object.keys(bad).length) throw invalid(bad);
      }
    }
    const currency = (invoice?.currency ?? input.currency ?? "VND") as CurrencyCode;
    const services = await servicesFor(tx, merchantId, ownServices, input, currency);
    const serviceIds = services.map((s) => s.id);
    let link: PaymentLink;
    if (invoice) {
      link = await createInvoiceLink(tx, actor, {
        invoiceId: invoice.id,
        serviceIds,
        successUrl: input.successUrl,
        failureUrl: input.failureUrl,
        description: input.description,
      });
    } else {
      // Checked before the invoice takes the merchant's number lock; a refusal is a 422.
      const opts = parseInput(linkOptionsSchema, { serviceIds, successUrl: input.successUrl, failureUrl: input.failureUrl });
      // Made in this transaction: no need to find and lock it again. The invoice
      // number's lock is held from here to commit, so what follows stays short.
      invoice = await createInvoice(
        tx,
        actor,
        {
          currency,
          items: input.items?.map((i) => ({ name: i.name, unitPrice: i.price, quantity: i.quantity })) ?? [
            { name: input.description ?? "Payment", unitPrice: input.amount, quantity: 1 },
          ],
          customer: input.customer ?? { name: "Customer" },
          description: input.description,
          referenceId: input.referenceId,
        },
        { subscribers },
      );
      // servicesFor chose them from this merchant's enabled services, for this currency and flow.
      link = await insertLink(tx, actor, invoice, serviceIds, opts, input.description ?? invoice.description);
    }
    const row = {
      paymentLinkId: link.id,
      merchantId,
      paymentMethod: input.paymentMethod,
      referenceType: input.referenceType ?? null,
      referenceId: input.referenceId,
    };
    await queueWrite(tx, () => tx.insert(apiPaymentRequests).values(row));
    const instruction = await instructionFor(tx, link, services[0]!, flowFor(input.paymentMethod), origin, merchantName);
    return { link, invoice, instruction };
  });
}

export interface PaymentRequestFilters {
  referenceType?: "invoice";
  referenceId?: string;
  limit: number;
  startingAfter?: string;
}

/** Payment links as payment requests, newest first: with what the API call said, the invoice's customer and the payments. */
export async function listPaymentRequests(db: Database, merchantId: string, f: PaymentRequestFilters) {
  await expireDueLinks(db, { merchantId });
  const conds: (SQL | undefined)[] = [eq(paymentLinks.merchantId, merchantId)];
  if (f.referenceType === "invoice") conds.push(or(isNull(apiPaymentRequests.paymentLinkId), eq(apiPaymentRequests.referenceType, "invoice")));
  if (f.referenceId) {
    conds.push(or(eq(apiPaymentRequests.referenceId, f.referenceId), eq(invoices.id, f.referenceId), eq(invoices.referenceId, f.referenceId)));
  }
  if (f.startingAfter) {
    const [after] = await db
      .select({ createdAt: paymentLinks.createdAt })
      .from(paymentLinks)
      .where(and(eq(paymentLinks.merchantId, merchantId), eq(paymentLinks.id, f.startingAfter)));
    if (!after) throw invalid({ starting_after: "No payment request has this id." });
    conds.push(sql`(${paymentLinks.createdAt}, ${paymentLinks.id}) < (${after.createdAt.toISOString()}::timestamptz, ${f.startingAfter})`);
  }
  const rows = await requestRows(db)
    .where(and(...conds))
    .orderBy(desc(paymentLinks.createdAt), desc(paymentLinks.id))
    .limit(f.limit + 1);
  return withPayments(db, merchantId, rows);
}

export async function getPaymentRequest(db: Database, merchantId: string, id: string) {
  // Through getLink, so a link past its time reads as expired.
  const link = await getLink(db, { merchantId, id });
  if (!link) return null;
  const rows = await requestRows(db).where(and(eq(paymentLinks.merchantId, merchantId), eq(paymentLinks.id, link.id)));
  return (await withPayments(db, merchantId, rows))[0] ?? null;
}

function requestRows(db: Database) {
  return db
    .select({ link: paymentLinks, request: apiPaymentRequests, invoice: invoices, merchantName: merchants.name })
    .from(paymentLinks)
    .innerJoin(invoices, eq(invoices.id, paymentLinks.invoiceId))
    .innerJoin(merchants, eq(merchants.id, paymentLinks.merchantId))
    .leftJoin(apiPaymentRequests, eq(apiPaymentRequests.paymentLinkId, paymentLinks.id))
    .$dynamic();
}

type RequestRow = { link: PaymentLink; request: typeof apiPaymentRequests.$inferSelect | null; invoice: Invoice; merchantName: string };

async function withPayments(db: Database, merchantId: string, rows: RequestRow[]) {
  const ids = rows.map((r) => r.link.id);
  const paid = ids.length
    ? await db
        .select()
        .from(payments)
        .where(and(eq(payments.merchantId, merchantId), inArray(payments.paymentLinkId, ids)))
        .orderBy(asc(payments.createdAt), asc(payments.id))
    : [];
  return rows.map((r) => ({ ...r, payments: paid.filter((p) => p.paymentLinkId === r.link.id) }));
}
export type PaymentRequestRow = Awaited<ReturnType<typeof withPayments>>[number];
