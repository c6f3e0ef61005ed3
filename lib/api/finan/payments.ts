import { z } from "zod";
import { notFound } from "@/lib/errors";
import { bankByBin } from "@/lib/connectors/banks";
import type { PaymentInstruction } from "@/lib/connectors/types";
import { binOfVietQr } from "@/lib/connectors/vietqr";
import { minorUnitsSchema } from "@/lib/money";
import { remarkFor } from "@/lib/payment-links/code";
import { createPaymentRequest, getPaymentRequest, listPaymentRequests, type PaymentMethodName, type PaymentRequestRow } from "@/lib/payment-links/requests";
import { blankAsAbsent, referenceIdSchema } from "@/lib/validation";
import { idParams } from "../invoices";
import { finanStatus, party } from "../payments";
import { defineFinanEndpoint } from "./handler";

/**
 * Finan's payment requests (POST/GET /open/api/v1/payments, GET
 * /open/api/v1/payments/{id}) as Finan's "Payment Gateway" page documents them,
 * over the command and queries /api/v1's payment requests use. Transport only:
 * Finan's names and values in, Settle's out, and back.
 */

/** An optional field a client may send as null or "" (a Go struct without omitempty does) reads as absent. */
const absent = (v: unknown) => (v === null ? undefined : blankAsAbsent(v));
const opt = <S extends z.ZodType>(schema: S) => z.preprocess(absent, schema.optional());
const httpUrl = z.url({ protocol: /^https?$/, error: "Enter an http(s) URL." }).max(2000);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Finan's names for the methods; `ewallet_momo` is Settle's `ewallet` (a provider's page). */
const methodIn = { bank_transfer: "bank_transfer", card: "card", ewallet_momo: "ewallet" } as const satisfies Record<string, PaymentMethodName>;
const methodOut: Record<string, string> = { bank_transfer: "bank_transfer", qr: "bank_transfer", card: "card", ewallet: "ewallet_momo" };

export const finanCreateBody = z
  .object({
    // The merchant is always the API key's; Finan's merchant block is accepted and not used.
    merchant: opt(
      z
        .object({ name: opt(z.string().max(200)), phone: opt(z.string().max(32)), address: opt(z.string().max(500)), email: opt(z.string().max(254)) })
        .strict(),
    ),
    items: z.preprocess(
      (v) => (Array.isArray(v) && v.length === 0 ? undefined : absent(v)),
      z
        .array(z.object({ name: party.name, price: minorUnitsSchema, quantity: z.number().int().min(1).max(1_000_000), amount: minorUnitsSchema }).strict())
        .max(100)
        .optional(),
    ),
    customer: opt(z.object({ name: party.name, phone: opt(party.phone), address: opt(party.address), email: opt(party.email) }).strict()),
    payment_method: z.enum(["bank_transfer", "card", "ewallet_momo"], { error: "Use bank_transfer, card or ewallet_momo." }),
    account_id: opt(z.string().max(100)),
    amount: minorUnitsSchema.min(1, "The amount must be more than zero."),
    description: opt(z.string().trim().max(30, "Use at most 30 characters.")),
    reference_id: referenceIdSchema.min(1, "Enter your transaction id."),
    reference_type: opt(z.enum(["invoice"], { error: "The only reference type is invoice." })),
    success_redirect_url: opt(httpUrl),
    failure_redirect_url: opt(httpUrl),
  })
  .strict();

/** The bank's code (`MB`) from the BIN the QR names; a QR that names none (the sandbox's page) keeps the bank's name. */
const bankCodeOf = (payload: string, name: string) => bankByBin(binOfVietQr(payload))?.code ?? name;

export const createFinanPayment = defineFinanEndpoint({
  name: "finan.createPayment",
  method: "POST",
  command: createPaymentRequest,
  body: finanCreateBody,
  created: true,
  fieldRenames: {
    serviceIds: "account_id",
    finanAccountId: "account_id",
    referenceId: "reference_id",
    successUrl: "success_redirect_url",
    failureUrl: "failure_redirect_url",
  },
  async run({ db, principal, body, origin }) {
    const account = body.account_id;
    const { link, instruction } = await createPaymentRequest(db, principal.actor, {
      paymentMethod: methodIn[body.payment_method],
      // A Finan account id (a UUID) names a linked Finan service, or nothing; anything else is a Settle payment service id.
      ...(account && UUID.test(account) ? { finanAccountId: account } : { accountId: account }),
      amount: body.amount,
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
      payment_url: instruction.kind === "redirect" ? instruction.url : "",
      bank_transfer_detail: bankTransferDetail(instruction, link.code),
    };
  },
});

function bankTransferDetail(instruction: PaymentInstruction, code: string) {
  if (instruction.kind !== "qr" || !instruction.bank) return null;
  const { bank, payload } = instruction;
  return {
    qr_code: payload,
    bank_name: bankCodeOf(payload, bank.bankName),
    account_name: bank.accountName,
    account_number: bank.accountNumber,
    // Settle's own remark carries the link code after a prefix; Finan's is the bare code (which Settle matches too). A gateway's own remark stays.
    remark: bank.remark === remarkFor(code) ? code : bank.remark,
  };
}

/** A payment request as Finan's GET answers list it: its fields and no others. */
function finanPaymentRequest(r: PaymentRequestRow) {
  const { link, request, invoice } = r;
  return {
    payment_request_id: link.id,
    paid_amount: link.paidAmount,
    status: finanStatus[link.paymentStatus],
    payment_method: request ? (methodOut[request.paymentMethod] ?? request.paymentMethod) : "",
    amount: link.amount,
    description: link.description ?? "",
    // Links made in the dashboard read as attached to their invoice, as in /api/v1.
    reference_type: request ? (request.referenceType ?? "") : "invoice",
    reference_id: request?.referenceId ?? invoice.id,
    payments: r.payments
      .filter((p) => p.status === "succeeded")
      .map((p) => ({ id: p.id, amount: p.amount, method: methodOut[p.method] ?? p.method, created_at: p.createdAt.toISOString() })),
    merchant: { name: r.merchantName, email: "" },
    customer: { name: invoice.customerName, email: invoice.customerEmail ?? "" },
  };
}

export const finanListQuery = z
  .object({
    reference_type: opt(z.enum(["invoice"], { error: "The only reference type is invoice." })),
    reference_id: opt(z.string().max(100)),
    // Not in Finan's doc: the list is the newest 100 unless asked for fewer, paged as /api/v1's.
    limit: z.coerce.number().int().min(1).max(100).default(100),
    starting_after: opt(z.string().max(100)),
  })
  .strict();

export const listFinanPayments = defineFinanEndpoint({
  name: "finan.listPayments",
  method: "GET",
  query: finanListQuery,
  async run({ db, principal, query }) {
    const rows = await listPaymentRequests(db, {
      merchantId: principal.merchantId,
      referenceType: query.reference_type,
      referenceId: query.reference_id,
      limit: query.limit,
      startingAfter: query.starting_after,
    });
    return rows.slice(0, query.limit).map(finanPaymentRequest);
  },
});

export const getFinanPayment = defineFinanEndpoint({
  name: "finan.getPayment",
  method: "GET",
  params: idParams,
  async run({ db, principal, params }) {
    const row = await getPaymentRequest(db, { merchantId: principal.merchantId, id: params.id });
    if (!row) throw notFound("Payment request not found.");
    return finanPaymentRequest(row);
  },
});
