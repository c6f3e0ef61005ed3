import { z } from "zod";
import { refundStatusEnum } from "@/db/schema";
import { fieldError, notFound } from "@/lib/errors";
import { minorUnitsSchema } from "@/lib/money";
import { getRefund, listRefunds } from "@/lib/refunds/queries";
import { createRefund, createRefundSchema, refundOutcomes } from "@/lib/refunds/refunds";
import { isoDate } from "@/lib/validation";
import { list, refundExample } from "./examples";
import { idParams } from "./invoices";
import { refundJson, refundObject } from "./objects";
import { defineOperation } from "./operation";
import { listOf, pageQuery, toPage } from "./pagination";


const paymentIdParams = z.object({
  id: idParams.shape.id.meta({ description: "The payment's id (`pay_…`), from `payments` of an invoice or a payment request." }),
});

export const createRefundBody = z
  .object({
    amount: minorUnitsSchema
      .min(1, "The amount must be more than zero.")
      .optional()
      .meta({ description: "In minor units of the payment's currency. Left out: everything still refundable on the payment." }),
    reason: createRefundSchema.shape.reason.meta({ description: "Why the money goes back (at most 500 characters): kept with the refund and sent in its events." }),
    reference: z
      .string({ error: "The reference must be text." })
      .trim()
      .min(1, "Enter the reference of the transfer that sent the money back.")
      .max(200, "The reference must be at most 200 characters.")
      .optional()
      .meta({
        description:
          "The reference of the transfer (or receipt) that sent the money back. Required when the payment's money came outside a gateway (a bank transfer, cash, a gateway with no refund call): such a refund is made outside Settle and recorded here, succeeded at once, once per reference. Refused for a payment refunded through its gateway, which gives the refund its own reference.",
      }),
    simulate: z.enum(refundOutcomes, { error: "Choose succeed or fail." }).optional().meta({
      description: "Test mode's sandbox only: how the simulated refund ends (`succeed` unless told to `fail`). Refused with a live key.",
    }),
  })
  .strict();

export const createRefundOp = defineOperation({
  operationId: "createRefund",
  command: createRefund,
  method: "POST",
  path: "/payments/{id}/refunds",
  tag: "Refunds",
  summary: "Refund a payment, fully or in part",
  description: [
    "`{id}` is a payment of the ledger (`pay_…`): an entry of `payments` on an invoice (GET /invoices/{id}) or a payment request (GET /payments/{id}), not the payment request's own `pl_` id. Only a succeeded payment can be refunded, and never for more than is left on it (succeeded and pending refunds count).",
    "A payment taken through a gateway is refunded through it: the answer is `succeeded`, `failed` (with `failure_message`; the amount is refundable again), or `pending` when the gateway confirms later (`refund.succeeded` or `refund.failed` follows). Money that came outside a gateway goes back outside Settle: send the transfer's `reference` and it is recorded as `succeeded`, `manual: true`.",
    "The invoice's payment status never changes; its `refunded_amount` and `net_amount` do. Sends `refund.created`, then `refund.succeeded` or `refund.failed` when it ends.",
  ].join("\n\n"),
  params: paymentIdParams,
  body: createRefundBody,
  response: refundObject,
  status: 201,
  // A gateway's refund call is made outside any transaction: done first, its answer stored after.
  idempotency: "after",
  // The payment is the path's `{id}`.
  fieldRenames: { paymentId: "id" },
  examples: { request: { amount: 2500, reason: "One descaler arrived damaged" }, response: refundExample },
  async run({ db, principal, params, body }) {
    if (params.id.startsWith("pl_")) {
      throw notFound("This is a payment request's id: refund one of its payments instead (its `payments[].id`, `pay_…`).");
    }
    // A live space has no sandbox: say so on the field, whatever payment is named.
    if (body.simulate && principal.livemode) throw fieldError("simulate", "Only test mode's sandbox simulates a refund: leave simulate out with a live key.");
    const { refund } = await createRefund(db, principal.actor, {
      paymentId: params.id,
      amount: body.amount,
      reason: body.reason,
      reference: body.reference,
      simulate: body.simulate,
    });
    return refundJson(refund);
  },
});

const day = isoDate;

export const listRefundsQuery = z
  .object({
    payment_id: z.string().max(100).optional().meta({ description: "Refunds of this payment (`pay_…`)." }),
    invoice_id: z.string().max(100).optional().meta({ description: "Refunds of this invoice's payments." }),
    status: z.enum(refundStatusEnum.enumValues).optional(),
    created_from: day("created_from").optional().meta({ description: "Created on or after this day (UTC)." }),
    created_to: day("created_to").optional().meta({ description: "Created on or before this day (UTC)." }),
    ...pageQuery,
  })
  .strict();

export const listRefundsOp = defineOperation({
  operationId: "listRefunds",
  method: "GET",
  path: "/refunds",
  tag: "Refunds",
  summary: "List refunds",
  description: "Newest first, with the filters combined. Page with `limit` and `starting_after`.",
  query: listRefundsQuery,
  examples: { response: list(refundExample) },
  response: listOf(refundObject),
  async run({ db, principal, query }) {
    const rows = await listRefunds(db, {
      merchantId: principal.merchantId,
      paymentId: query.payment_id,
      invoiceId: query.invoice_id,
      status: query.status,
      from: query.created_from,
      to: query.created_to,
      limit: query.limit,
      startingAfter: query.starting_after,
    });
    return toPage(rows, query.limit, refundJson);
  },
});

export const getRefundOp = defineOperation({
  operationId: "getRefund",
  method: "GET",
  path: "/refunds/{id}",
  tag: "Refunds",
  summary: "Get a refund",
  description: "Its status now: a `pending` refund ends when its gateway confirms it.",
  params: idParams,
  examples: { response: refundExample },
  response: refundObject,
  async run({ db, principal, params }) {
    const refund = await getRefund(db, { merchantId: principal.merchantId, id: params.id });
    if (!refund) throw notFound("Refund not found.");
    return refundJson(refund);
  },
});
