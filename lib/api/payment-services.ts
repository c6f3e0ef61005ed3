import { z } from "zod";
import type { PaymentService } from "@/db/schema";
import { bankByBin } from "@/lib/connectors/banks";
import { currencyCodes } from "@/lib/money";
import { httpUrl } from "@/lib/validation";
import { requestInvoicePayment } from "@/lib/payment-links/invoice-payment";
import { flowsOf, listServices } from "@/lib/payment-services/services";
import { idParams } from "./invoices";
import { list, paymentInstructionExample, paymentServiceExample } from "./examples";
import { defineOperation } from "./operation";

export const paymentServiceObject = z
  .object({
    id: z.string().meta({ examples: ["svc_01jq3m6x4r8t2v5w7y9z0a1b2c"] }),
    name: z.string(),
    kind: z.enum(["bank_transfer", "redirect", "sandbox"]),
    enabled: z.boolean(),
    flows: z.array(z.enum(["qr", "redirect"])).meta({ description: "`qr`: the customer scans a code; `redirect`: the customer is sent to the provider's page." }),
    currencies: z.array(z.string()).meta({ description: "The currencies it can take payments in." }),
    bank: z
      .object({ bank_name: z.string(), account_number: z.string(), account_name: z.string() })
      .nullable()
      .meta({ description: "The account money goes to (bank transfers)." }),
  })
  .meta({ id: "PaymentService" });

export function paymentServiceJson(s: PaymentService) {
  const byCurrency = currencyCodes.map((c) => [c, flowsOf(s, c)] as const).filter(([, f]) => f.length > 0);
  const bin = s.config.bankBin;
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    enabled: s.enabled,
    flows: [...new Set(byCurrency.flatMap(([, f]) => f))],
    currencies: byCurrency.map(([c]) => c),
    bank:
      s.kind === "bank_transfer" && bin
        ? { bank_name: bankByBin(bin)?.shortName ?? bin, account_number: s.config.accountNumber ?? "", account_name: s.config.accountName ?? "" }
        : null,
  };
}

export const listPaymentServicesOp = defineOperation({
  operationId: "listPaymentServices",
  method: "GET",
  path: "/payment-services",
  tag: "Payment services",
  summary: "List the merchant's linked payment services",
  description: "The built-in sandbox is always there (QR and redirect, any currency), so every flow can be tried with no bank.",
  examples: { response: list(paymentServiceExample) },
  response: z.object({ object: z.literal("list"), data: z.array(paymentServiceObject), has_more: z.literal(false) }),
  async run({ db, principal }) {
    return { object: "list", data: (await listServices(db, principal.merchantId)).map(paymentServiceJson), has_more: false };
  },
});

export const requestPaymentBody = z
  .object({
    payment_service_id: z.string().min(1).max(100).meta({ description: "One of GET /payment-services." }),
    flow: z.enum(["qr", "redirect"]).optional().meta({ description: "For a service with both (the sandbox); its first flow by default." }),
    success_redirect_url: httpUrl("The success URL").optional(),
    failure_redirect_url: httpUrl("The failure URL").optional(),
  })
  .strict();

export const paymentInstructionObject = z
  .object({
    type: z.enum(["qr", "redirect"]),
    url: z.string().optional().meta({ description: "redirect: send the customer here." }),
    qr_code: z.string().optional().meta({ description: "qr: the payload to render as a QR code (VietQR / EMVCo for banks)." }),
    bank_name: z.string().nullable().optional(),
    account_name: z.string().nullable().optional(),
    account_number: z.string().nullable().optional(),
    remark: z.string().nullable().optional().meta({ description: "The transfer note that identifies this payment." }),
    expires_at: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    payment_link_id: z.string(),
    payment_url: z.string().meta({ description: "Settle's hosted checkout for the same payment." }),
  })
  .meta({ id: "PaymentInstruction" });

export const requestInvoicePaymentOp = defineOperation({
  operationId: "requestInvoicePayment",
  command: requestInvoicePayment,
  method: "POST",
  path: "/invoices/{id}/payments",
  tag: "Invoices",
  summary: "Request payment for an invoice through a service",
  description:
    "Makes a payment link for what is still owed and returns the service's data: a `redirect` URL, or a `qr` code with the bank details and the remark. Then wait for the `invoice.paid` webhook, and GET the invoice to confirm.",
  params: idParams,
  body: requestPaymentBody,
  response: paymentInstructionObject,
  status: 201,
  idempotency: "transaction",
  fieldRenames: { serviceIds: "payment_service_id", successUrl: "success_redirect_url", failureUrl: "failure_redirect_url" },
  examples: { response: paymentInstructionExample, request: { payment_service_id: "svc_01jq3m6x4r8t2v5w7y9z0a1b2c", flow: "qr" } },
  async run({ db, principal, params, body, origin }) {
    const { link, flow, instruction } = await requestInvoicePayment(db, principal.actor, {
      invoiceId: params.id,
      serviceId: body.payment_service_id,
      flow: body.flow,
      successUrl: body.success_redirect_url,
      failureUrl: body.failure_redirect_url,
      origin,
    });
    const common = {
      expires_at: link.expiresAt.toISOString(),
      amount: link.amount,
      currency: link.currency,
      payment_link_id: link.id,
      payment_url: `${origin}/pay/${link.code}`,
    };
    if (instruction.kind === "redirect") return { type: flow, url: instruction.url, ...common };
    return {
      type: flow,
      qr_code: instruction.payload,
      bank_name: instruction.bank?.bankName ?? null,
      account_name: instruction.bank?.accountName ?? null,
      account_number: instruction.bank?.accountNumber ?? null,
      remark: instruction.bank?.remark ?? null,
      ...common,
    };
  },
});
