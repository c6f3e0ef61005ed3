import { z } from "zod";
import type { Database } from "@/db/client";
import { notFound } from "@/lib/errors";
import { createInvoice } from "@/lib/invoices/create";
import { getInvoice, listInvoicesAfter } from "@/lib/invoices/queries";
import { customerSchema, invoiceItemSchema } from "@/lib/invoices/schemas";
import { voidInvoice } from "@/lib/invoices/void";
import { currencySchema, minorUnitsSchema } from "@/lib/money";
import { isoDate, referenceIdSchema } from "@/lib/validation";
import { invoiceDetailJson, invoiceDetailObject, invoiceJson, invoiceObject } from "./objects";
import { invoiceDetailExample, invoiceExample, list } from "./examples";
import { defineOperation } from "./operation";
import { listOf, pageQuery } from "./pagination";

const day = isoDate;

export const idParams = z.object({ id: z.string().min(1).max(100) });

export const createInvoiceBody = z
  .object({
    currency: currencySchema,
    items: z
      .array(
        z
          .object({
            name: invoiceItemSchema.shape.name,
            unit_price: minorUnitsSchema.meta({ description: "Price of one, in minor units." }),
            quantity: z.number({ error: "Enter a quantity." }).int("The quantity must be a whole number.").min(1).max(1_000_000),
          })
          .strict(),
      )
      .min(1, "Add at least one line item.")
      .max(100, "An invoice can have at most 100 lines."),
    customer: customerSchema.strict(),
    description: z.string().max(2000).optional(),
    due_date: day("due_date").optional(),
    reference_id: referenceIdSchema
      .optional()
      .meta({ description: "Your own id for this invoice (an order number); unique per merchant." }),
    metadata: z.record(z.string().min(1).max(40), z.string().max(500)).optional().meta({ description: "Up to 50 key/value strings." }),
  })
  .strict();

const createInvoiceExample = {
  currency: "USD",
  items: [
    { name: "Espresso machine service", unit_price: 12000, quantity: 1 },
    { name: "Descaler", unit_price: 950, quantity: 2 },
  ],
  customer: { name: "Minh Nguyen", email: "minh@example.com" },
  reference_id: "ORD-1001",
  due_date: "2026-12-31",
};

export const createInvoiceOp = defineOperation({
  operationId: "createInvoice",
  command: createInvoice,
  method: "POST",
  path: "/invoices",
  tag: "Invoices",
  summary: "Create an invoice",
  description: "The amount is the sum of the lines (unit price × quantity). Sends `invoice.created`.",
  body: createInvoiceBody,
  response: invoiceObject,
  status: 201,
  idempotency: "transaction",
  examples: { response: invoiceExample, request: createInvoiceExample },
  async run({ db, principal, body }) {
    const invoice = await createInvoice(db, principal.actor, {
      currency: body.currency,
      items: body.items.map((i) => ({ name: i.name, unitPrice: i.unit_price, quantity: i.quantity })),
      customer: body.customer,
      description: body.description,
      dueDate: body.due_date,
      // An API caller sets a due date deliberately (importing past invoices included): no confirmation to ask for.
      confirmPastDue: true,
      referenceId: body.reference_id,
      metadata: body.metadata,
    });
    return invoiceJson(invoice);
  },
});

export const listInvoicesQuery = z
  .object({
    status: z.enum(["unpaid", "partial", "paid", "extra", "void"]).optional().meta({ description: "Open invoices in this payment status, or void ones." }),
    reference_id: z.string().max(100).optional().meta({ description: "Exactly this reference ID." }),
    q: z.string().max(200).optional().meta({ description: "Search: invoice number, the start of a reference ID or email, or words of the customer's name." }),
    created_from: day("created_from").optional().meta({ description: "Created on or after this day (UTC)." }),
    created_to: day("created_to").optional().meta({ description: "Created on or before this day (UTC)." }),
    ...pageQuery,
  })
  .strict();

/** A page of the merchant's invoices, newest first, under the list's filters. */
export async function listInvoicesPage(db: Database, merchantId: string, query: z.output<typeof listInvoicesQuery>) {
  const { rows, hasMore } = await listInvoicesAfter(db, {
    merchantId,
    filters: { status: query.status ?? "all", q: query.q, reference: query.reference_id, from: query.created_from, to: query.created_to },
    startingAfter: query.starting_after,
    limit: query.limit,
  });
  return { object: "list" as const, data: rows.map(invoiceJson), has_more: hasMore };
}

export const listInvoicesOp = defineOperation({
  operationId: "listInvoices",
  method: "GET",
  path: "/invoices",
  tag: "Invoices",
  summary: "List invoices",
  description: "Newest first. Page with `limit` and `starting_after`.",
  query: listInvoicesQuery,
  examples: { response: list(invoiceExample) },
  response: listOf(invoiceObject),
  run: ({ db, principal, query }) => listInvoicesPage(db, principal.merchantId, query),
});

export const getInvoiceOp = defineOperation({
  operationId: "getInvoice",
  method: "GET",
  path: "/invoices/{id}",
  tag: "Invoices",
  summary: "Get an invoice with its lines and payments",
  description:
    "The authoritative status: after any callback or webhook, read the invoice here before you ship. `paid_amount` is the sum of succeeded payments.",
  params: idParams,
  examples: { response: invoiceDetailExample },
  response: invoiceDetailObject,
  async run({ db, principal, params }) {
    const invoice = await getInvoice(db, { merchantId: principal.merchantId, id: params.id });
    if (!invoice) throw notFound("Invoice not found.");
    return invoiceDetailJson(invoice);
  },
});

export const voidInvoiceOp = defineOperation({
  operationId: "voidInvoice",
  command: voidInvoice,
  method: "POST",
  path: "/invoices/{id}/void",
  tag: "Invoices",
  summary: "Void an unpaid invoice",
  description: "Only while nothing has been paid (409 otherwise). Sends `invoice.voided`. Takes no body.",
  params: idParams,
  examples: { response: { ...invoiceExample, status: "void" } },
  response: invoiceObject,
  idempotency: "transaction",
  async run({ db, principal, params }) {
    return invoiceJson(await voidInvoice(db, principal.actor, { invoiceId: params.id }));
  },
});
