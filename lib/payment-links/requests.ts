import { and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { queueAppend, sendAll } from "@/db/transaction";
import { apiPaymentRequests, type Invoice, invoices, merchants, type PaymentLink, paymentLinks, type PaymentService, paymentServices, payments } from "@/db/schema";
import { defineCommand } from "@/lib/commands/command";
import { AppError, fieldError, type FieldErrors } from "@/lib/errors";
import { type CurrencyCode, currencySchema, minorUnitsSchema } from "@/lib/money";
import { keysetAfter } from "@/lib/paging";
import { livemodeOf } from "@/lib/merchants";
import { ensureSandbox, flowsOf } from "@/lib/payment-services/services";
import { parseInput, referenceIdSchema } from "@/lib/validation";
import { createInvoiceLink, insertInvoiceWithLink } from "./create";
import { instructionFor, merchantNameOf } from "./invoice-payment";
import { expireDueLinks } from "./lifecycle";
import { getLink } from "./queries";
import { linkOptionsSchema } from "./schemas";

export const paymentMethodNames = ["bank_transfer", "card", "ewallet"] as const;
export type PaymentMethodName = (typeof paymentMethodNames)[number];

/** A payment request in Finan's terms (lib/api/payments.ts reads it from the API's snake_case body). */
export const paymentRequestSchema = z.object({
  paymentMethod: z.enum(paymentMethodNames),
  /** A payment service id (Finan's bank `account_id`); otherwise the services that fit the method. */
  accountId: z.string().min(1).max(100).optional(),
  /**
   * Finan's own account id (a UUID from Finan's bank accounts), as a client
   * written for Finan sends it: it names the linked Finan service with that
   * account id when there is one; otherwise it names nothing here and the
   * services are chosen as without it (Finan needs it only for Shinhan accounts).
   */
  finanAccountId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "Finan's account id is a UUID.")
    .transform((id) => id.toLowerCase())
    .optional(),
  amount: minorUnitsSchema.min(1, "The amount must be more than zero."),
  currency: currencySchema.optional(),
  description: z.string().trim().max(30, "Use at most 30 characters.").optional(),
  referenceId: referenceIdSchema.min(1),
  referenceType: z.literal("invoice").optional(),
  items: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(200),
        price: minorUnitsSchema,
        quantity: z.number().int().min(1).max(1_000_000),
        amount: minorUnitsSchema,
      }),
    )
    .min(1)
    .max(100)
    .optional(),
  customer: z
    .object({ name: z.string().trim().min(1).max(200), email: z.string().max(254).optional(), phone: z.string().max(32).optional(), address: z.string().max(500).optional() })
    .optional(),
  successUrl: linkOptionsSchema.shape.successUrl,
  failureUrl: linkOptionsSchema.shape.failureUrl,
  /** The origin the caller reached Settle on, for the instruction's links back (return and notify URLs). */
  origin: z.string().min(1),
});
export type PaymentRequestInput = z.output<typeof paymentRequestSchema>;

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
/** What to link so that a request of this method and currency can be offered. */
function noServiceMessage(method: PaymentMethodName, currency: string, livemode: boolean): string {
  const what = method === "bank_transfer" ? `a bank account that takes ${currency}` : `a card or e-wallet provider that takes ${currency}`;
  const where = livemode ? "in live mode (Settings → Payment services); to try payments with no money moving, use a test key (sk_test_…)" : "in Settings → Payment services";
  return `No enabled payment service of yours takes ${method} payments in ${currency}. Link ${what} ${where}.`;
}

async function servicesFor(db: Database, merchantId: string, all: PaymentService[], input: PaymentRequestInput, currency: string): Promise<PaymentService[]> {
  const flow = flowFor(input.paymentMethod);
  // Merchants older than the sandbox get it on first need (a write only then; one turned off stays off).
  if (!all.some((s) => s.kind === "sandbox")) {
    await ensureSandbox(db, merchantId);
    all = await merchantServices(db, merchantId);
  }
  const rows = all.filter((s) => s.enabled);
  const fits = (s: PaymentService) => flowsOf(s, currency).includes(flow);
  const finan = input.finanAccountId ? rows.find((s) => s.kind === "finan" && s.config.accountId?.toLowerCase() === input.finanAccountId) : undefined;
  if (finan) {
    if (!fits(finan)) throw fieldError("finanAccountId", `${finan.name} cannot take ${input.paymentMethod} payments in ${currency}.`);
    return [finan];
  }
  if (input.accountId) {
    const chosen = rows.find((s) => s.id === input.accountId);
    if (!chosen) throw fieldError("account_id", "No enabled payment service of yours has this id.");
    if (!fits(chosen)) throw fieldError("account_id", `${chosen.name} cannot take ${input.paymentMethod} payments in ${currency}.`);
    return [chosen];
  }
  const real = rows.filter((s) => s.kind !== "sandbox" && fits(s));
  // Only a test space has the sandbox: in live mode nothing stands in for a service the merchant has not linked.
  const offered = real.length ? real : rows.filter((s) => s.kind === "sandbox" && fits(s));
  if (!offered.length) throw fieldError("payment_method", noServiceMessage(input.paymentMethod, currency, await livemodeOf(db, merchantId)));
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
  if (invoice.status === "void") throw fieldError("reference_id", "This invoice is void; it cannot be paid.");
  if (due <= 0) throw fieldError("reference_id", "This invoice is already paid in full.");
  if (amount !== due) throw fieldError("amount", `Must be ${due}, what is still owed on invoice ${invoice.id} (in minor units).`);
}

/** The items' amounts are price × quantity and add up to the amount: every wrong one is named. */
function checkItems(items: NonNullable<PaymentRequestInput["items"]>, amount: number) {
  const bad: FieldErrors = {};
  items.forEach((item, i) => {
    if (item.price * item.quantity !== item.amount) bad[`items.${i}.amount`] = [`Must be price × quantity = ${item.price * item.quantity}.`];
  });
  const total = items.reduce((sum, item) => sum + item.amount, 0);
  if (!Object.keys(bad).length && total !== amount) bad.amount = [`Must be the sum of the items' amounts, ${total}.`];
  if (Object.keys(bad).length) throw new AppError("validation_failed", "Some fields need attention.", bad);
}

/**
 * POST /payments: a payment link for an invoice. With `reference_type:
 * "invoice"` the reference names an existing invoice (its id or reference ID)
 * and the amount must be what is still owed; the request's items and customer,
 * if any, are the invoice's to keep (Finan's own example sends both). Only when
 * no invoice has that reference and the request brings items is one made
 * from them, under that reference. Otherwise the request makes its
 * own invoice (the items, or one line) under reference_id; a reference that
 * already names an open invoice (a request made again after the last one
 * expired) gets a new link on that invoice. Everything is read first, in one
 * round trip, before a new invoice takes the merchant's number lock.
 */
export const createPaymentRequest = defineCommand({
  name: "payment_links.request.create",
  permission: "invoices.write",
  input: paymentRequestSchema,
  async run(scope, input) {
    const { tx, actor, merchantId } = scope;
    const [merchantName, found, ownServices] = await sendAll([
      () => merchantNameOf(tx, merchantId),
      () => findInvoice(tx, merchantId, input.referenceId),
      () => merchantServices(tx, merchantId),
    ] as const);
    let invoice = found;
    if (input.referenceType === "invoice" && (invoice || !input.items)) {
      if (!invoice) throw fieldError("reference_id", "No invoice has this id or reference ID.");
      checkOutstanding(invoice, input.amount);
    } else if (invoice && invoice.referenceId === input.referenceId) {
      checkOutstanding(invoice, input.amount);
    } else {
      invoice = undefined;
      if (input.items) checkItems(input.items, input.amount);
    }
    const currency = (invoice?.currency ?? input.currency ?? "VND") as CurrencyCode;
    const services = await servicesFor(tx, merchantId, ownServices, input, currency);
    // The services are chosen here, so their number is checked here (a refusal is a 422, before any lock).
    const opts = parseInput(linkOptionsSchema, { serviceIds: services.map((s) => s.id), successUrl: input.successUrl, failureUrl: input.failureUrl });
    let link: PaymentLink;
    if (invoice) {
      link = await createInvoiceLink.run(scope, { ...opts, invoiceId: invoice.id, description: input.description });
    } else {
      // Made in this transaction: no need to find and lock it again. The invoice
      // number's lock is held from here to commit, so what follows stays short.
      const data = {
        currency,
        items: input.items?.map((i) => ({ name: i.name, unitPrice: i.price, quantity: i.quantity })) ?? [
          { name: input.description ?? "Payment", unitPrice: input.amount, quantity: 1 },
        ],
        customer: input.customer ?? { name: "Customer" },
        description: input.description,
        referenceId: input.referenceId,
      };
      // servicesFor chose them from this merchant's enabled services, for this currency and flow.
      ({ invoice, link } = await insertInvoiceWithLink(scope, data, opts.serviceIds, opts, input.description ?? null));
    }
    const row = {
      paymentLinkId: link.id,
      merchantId,
      paymentMethod: input.paymentMethod,
      referenceType: input.referenceType ?? null,
      referenceId: input.referenceId,
    };
    await queueAppend(tx, apiPaymentRequests, tx.insert(apiPaymentRequests).values(row));
    const instruction = await instructionFor(tx, link, services[0]!, flowFor(input.paymentMethod), input.origin, merchantName);
    return { link, invoice, instruction };
  },
});

export interface PaymentRequestFilters {
  merchantId: string;
  referenceType?: "invoice";
  referenceId?: string;
  limit: number;
  startingAfter?: string;
}

/** Payment links as payment requests, newest first: with what the API call said, the invoice's customer and the payments. */
export async function listPaymentRequests(db: Database, { merchantId, ...f }: PaymentRequestFilters) {
  await expireDueLinks(db, { merchantId });
  const after = await keysetAfter(db, paymentLinks, { merchantId, startingAfter: f.startingAfter, what: "payment request" });
  const conds: (SQL | undefined)[] = [eq(paymentLinks.merchantId, merchantId)];
  if (f.referenceType === "invoice") conds.push(or(isNull(apiPaymentRequests.paymentLinkId), eq(apiPaymentRequests.referenceType, "invoice")));
  if (f.referenceId) {
    conds.push(or(eq(apiPaymentRequests.referenceId, f.referenceId), eq(invoices.id, f.referenceId), eq(invoices.referenceId, f.referenceId)));
  }
  if (after) conds.push(sql`(${paymentLinks.createdAt}, ${paymentLinks.id}) < (${after.createdAt}::timestamptz, ${after.id})`);
  const rows = await requestRows(db)
    .where(and(...conds))
    .orderBy(desc(paymentLinks.createdAt), desc(paymentLinks.id))
    .limit(f.limit + 1);
  return withPayments(db, merchantId, rows);
}

export async function getPaymentRequest(db: Database, { merchantId, id }: { merchantId: string; id: string }) {
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
