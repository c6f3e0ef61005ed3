import { z } from "zod";
import type { PaymentStatus } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { currencySchema, minorUnitsSchema } from "@/lib/money";
import { createPaymentRequest, getPaymentRequest, listPaymentRequests, paymentMethodNames, type PaymentRequestRow } from "@/lib/payment-links/requests";
import { referenceIdSchema } from "@/lib/validation";
import { createdPaymentExample, list, paymentRequestExample } from "./examples";
import { idParams } from "./invoices";
import { defineOperation } from "./operation";
import { listOf, pageQuery } from "./pagination";
import { livemodeField } from "./objects";

/** Finan's names for the four payment statuses. */
export const finanStatus: Record<PaymentStatus, "unpaid" | "partial_paid" | "paid" | "extra_paid"> = {
  unpaid: "unpaid",
  partial: "partial_paid",
  paid: "paid",
  extra: "extra_paid",
};

export const party = {
  name: z.string().trim().min(1).max(200),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()\-.]{4,32}$/, "Enter a phone number with digits, like 0933450210.")
    .optional(),
  address: z.string().max(500).optional(),
  email: z.email("Enter a valid email address.").max(254).optional(),
};

export const createPaymentBody = z
  .object({
    merchant: z
      .object({ ...party, name: party.name.optional() })
      .strict()
      .optional()
      .meta({ description: "Accepted for compatibility with Finan's API; the merchant is always the API key's." }),
    items: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(200),
            price: minorUnitsSchema,
            quantity: z.number().int().min(1).max(1_000_000),
            amount: minorUnitsSchema.meta({ description: "price × quantity." }),
          })
          .strict(),
      )
      .min(1)
      .max(100)
      .optional()
      .meta({ description: "The lines of the invoice this request makes; their amounts add up to `amount`. Not with `reference_type: invoice`." }),
    customer: z.object(party).strict().optional().meta({ description: "Not with `reference_type: invoice` (the invoice has its customer)." }),
    payment_method: z.enum(paymentMethodNames).meta({
      description: "`bank_transfer`: a QR and bank details to transfer to; `card` / `ewallet`: a provider's page to redirect to.",
    }),
    account_id: z.string().min(1).max(100).optional().meta({ description: "A payment service id (GET /payment-services) to use instead of every service that fits the method." }),
    amount: minorUnitsSchema.min(1, "The amount must be more than zero.").meta({ description: "In minor units." }),
    currency: currencySchema.optional().meta({ description: "VND unless said; with `reference_type: invoice`, the invoice's." }),
    description: z.string().trim().max(30, "Use at most 30 characters.").optional().meta({ description: "The payment note, at most 30 characters." }),
    reference_id: referenceIdSchema
      .min(1)
      .meta({ description: "Your unique transaction id; with `reference_type: invoice`, the invoice's id or reference ID." }),
    reference_type: z.enum(["invoice"]).optional().meta({ description: "`invoice`: attach the request to that invoice (no items or customer needed)." }),
    success_redirect_url: z.url({ protocol: /^https?$/, error: "Enter an http(s) URL." }).max(2000).optional(),
    failure_redirect_url: z.url({ protocol: /^https?$/, error: "Enter an http(s) URL." }).max(2000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.reference_type !== "invoice") return;
    for (const field of ["items", "customer"] as const) {
      if (v[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: "Leave this out with reference_type invoice: the invoice already has it." });
    }
  });

const bankTransferDetail = z
  .object({ qr_code: z.string(), bank_name: z.string(), account_name: z.string(), account_number: z.string(), remark: z.string() })
  .meta({ id: "BankTransferDetail" });

export const createdPaymentObject = z
  .object({
    livemode: livemodeField,
    payment_request_id: z.string(),
    payment_request_code: z.string().meta({ examples: ["PRJXH9KU"] }),
    payment_url: z.string().meta({ description: "Settle's hosted checkout for this request (QR or redirect)." }),
    bank_transfer_detail: bankTransferDetail.nullable().meta({ description: "For bank_transfer: what to show the customer." }),
    redirect_url: z.string().nullable().meta({ description: "For card / ewallet: the provider's page." }),
    invoice_id: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    status: z.enum(["unpaid", "partial_paid", "paid", "extra_paid"]),
    expires_at: z.string(),
  })
  .meta({ id: "CreatedPaymentRequest" });

export const paymentRequestObject = z
  .object({
    livemode: livemodeField,
    payment_request_id: z.string(),
    payment_request_code: z.string(),
    payment_url: z.string(),
    status: z.enum(["unpaid", "partial_paid", "paid", "extra_paid"]).meta({ description: "From paid_amount against amount." }),
    state: z.enum(["active", "expired", "canceled"]).meta({ description: "Whether the checkout still takes payments (a late payment is still recorded)." }),
    cancellation_reason: z
      .enum(["merchant", "invoice_paid", "invoice_void"])
      .nullable()
      .meta({ description: "Why a canceled request stopped: the merchant canceled it, or its invoice was paid (by any route) or voided." }),
    amount: z.number().int().meta({
      description: "What the request asks for in all: what the invoice owed when it was made, lowered as payments by other routes leave the invoice owing less.",
    }),
    paid_amount: z.number().int(),
    currency: z.string(),
    payment_method: z.enum(paymentMethodNames).nullable().meta({ description: "As asked for; null for links made in the dashboard." }),
    description: z.string().nullable(),
    reference_type: z.enum(["invoice"]).nullable(),
    reference_id: z.string(),
    invoice_id: z.string(),
    success_redirect_url: z.string().nullable(),
    failure_redirect_url: z.string().nullable(),
    expires_at: z.string(),
    created_at: z.string(),
    payments: z.array(
      z.object({
        id: z.string(),
        amount: z.number().int(),
        method: z.string(),
        status: z.enum(["succeeded", "failed"]),
        created_at: z.string(),
      }),
    ),
    merchant: z.object({ name: z.string() }),
    customer: z.object({ name: z.string(), email: z.string().nullable() }),
  })
  .meta({ id: "PaymentRequest" });

export function paymentRequestJson(r: PaymentRequestRow, origin: string) {
  const { link, request, invoice } = r;
  return {
    payment_request_id: link.id,
    payment_request_code: link.code,
    payment_url: `${origin}/pay/${link.code}`,
    status: finanStatus[link.paymentStatus],
    state: link.status,
    cancellation_reason: link.cancellationReason,
    amount: link.amount,
    paid_amount: link.paidAmount,
    currency: link.currency,
    payment_method: request?.paymentMethod ?? null,
    description: link.description,
    // Links made in the dashboard read as attached to their invoice.
    reference_type: request ? request.referenceType : ("invoice" as const),
    reference_id: request?.referenceId ?? invoice.id,
    invoice_id: invoice.id,
    success_redirect_url: link.successUrl,
    failure_redirect_url: link.failureUrl,
    expires_at: link.expiresAt.toISOString(),
    created_at: link.createdAt.toISOString(),
    payments: r.payments.map((p) => ({ id: p.id, amount: p.amount, method: p.method, status: p.status, created_at: p.createdAt.toISOString() })),
    merchant: { name: r.merchantName },
    customer: { name: invoice.customerName, email: invoice.customerEmail },
  };
}

export const createPaymentOp = defineOperation({
  operationId: "createPaymentRequest",
  command: createPaymentRequest,
  method: "POST",
  path: "/payments",
  tag: "Payment requests",
  summary: "Create a payment request (Finan's shape)",
  description:
    "A checkout link valid for 30 minutes, with the bank details (bank_transfer) or the provider page (card, ewallet). `reference_type: invoice` attaches it to an existing invoice; otherwise it makes an invoice under `reference_id`.",
  body: createPaymentBody,
  response: createdPaymentObject,
  status: 201,
  idempotency: "transaction",
  fieldRenames: { serviceIds: "account_id", referenceId: "reference_id", successUrl: "success_redirect_url", failureUrl: "failure_redirect_url" },
  examples: {
    response: createdPaymentExample,
    request: {
      items: [{ name: "So Ban Hang Pro 3 Nam", price: 3000000, quantity: 2, amount: 6000000 }],
      customer: { name: "Nguyen Van A", phone: "0933450210", email: "nguyena@example.com" },
      payment_method: "bank_transfer",
      amount: 6000000,
      description: "thanh toan don hang",
      reference_id: "ORDER-54957437",
      success_redirect_url: "https://shop.example/success",
      failure_redirect_url: "https://shop.example/failure",
    },
  },
  async run({ db, principal, body, origin }) {
    const { link, instruction } = await createPaymentRequest(db, principal.actor, {
      paymentMethod: body.payment_method,
      accountId: body.account_id,
      amount: body.amount,
      currency: body.currency,
      description: body.description,
      referenceId: body.reference_id,
      referenceType: body.reference_type,
      items: body.items,
      customer: body.customer,
      successUrl: body.success_redirect_url,
      failureUrl: body.failure_redirect_url,
      origin,
    });
    return {
      payment_request_id: link.id,
      payment_request_code: link.code,
      payment_url: `${origin}/pay/${link.code}`,
      bank_transfer_detail:
        instruction.kind === "qr" && instruction.bank
          ? {
              qr_code: instruction.payload,
              bank_name: instruction.bank.bankName,
              account_name: instruction.bank.accountName,
              account_number: instruction.bank.accountNumber,
              remark: instruction.bank.remark,
            }
          : null,
      redirect_url: instruction.kind === "redirect" ? instruction.url : null,
      invoice_id: link.invoiceId,
      amount: link.amount,
      currency: link.currency,
      status: finanStatus[link.paymentStatus],
      expires_at: link.expiresAt.toISOString(),
    };
  },
});

export const listPaymentsQuery = z
  .object({
    reference_type: z.enum(["invoice"]).optional(),
    reference_id: z.string().max(100).optional().meta({ description: "Your transaction id, or the invoice's id or reference ID." }),
    ...pageQuery,
  })
  .strict();

export const listPaymentsOp = defineOperation({
  operationId: "listPaymentRequests",
  method: "GET",
  path: "/payments",
  tag: "Payment requests",
  summary: "List payment requests",
  description: "Newest first; filter by reference. Every payment link is a payment request, including those made in the dashboard.",
  query: listPaymentsQuery,
  examples: { response: list(paymentRequestExample) },
  response: listOf(paymentRequestObject),
  async run({ db, principal, query, origin }) {
    const rows = await listPaymentRequests(db, {
      merchantId: principal.merchantId,
      referenceType: query.reference_type,
      referenceId: query.reference_id,
      limit: query.limit,
      startingAfter: query.starting_after,
    });
    return { object: "list", data: rows.slice(0, query.limit).map((r) => paymentRequestJson(r, origin)), has_more: rows.length > query.limit };
  },
});

export const getPaymentOp = defineOperation({
  operationId: "getPaymentRequest",
  method: "GET",
  path: "/payments/{id}",
  tag: "Payment requests",
  summary: "Get a payment request with its payments",
  params: idParams,
  examples: { response: paymentRequestExample },
  response: paymentRequestObject,
  async run({ db, principal, params, origin }) {
    const row = await getPaymentRequest(db, { merchantId: principal.merchantId, id: params.id });
    if (!row) throw notFound("Payment request not found.");
    return paymentRequestJson(row, origin);
  },
});
