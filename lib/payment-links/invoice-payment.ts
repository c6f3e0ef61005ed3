import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { merchants, type PaymentLink, type PaymentService } from "@/db/schema";
import type { Flow, PaymentInstruction } from "@/lib/connectors/types";
import { defineCommand } from "@/lib/commands/command";
import { fieldError } from "@/lib/errors";
import { flowsOf, getService } from "@/lib/payment-services/services";
import { startPayment } from "@/lib/payment-services/sessions";
import { createInvoiceLink } from "./create";
import { DEFAULT_EXPIRY_MINUTES, linkOptionsSchema } from "./schemas";

export interface RequestedPayment {
  link: PaymentLink;
  service: PaymentService;
  flow: Flow;
  instruction: PaymentInstruction;
}

/** What a service gives a customer for a link: a QR with bank details, or a URL to redirect to (see startPayment). */
export async function instructionFor(
  db: Database,
  link: PaymentLink,
  service: PaymentService,
  flow: Flow,
  origin: string,
  merchantName?: string,
): Promise<PaymentInstruction> {
  return startPayment(db, { link, service, flow, origin, merchantName: merchantName ?? (await merchantNameOf(db, link.merchantId)) });
}

export async function merchantNameOf(db: Database, merchantId: string): Promise<string> {
  const [merchant] = await db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, merchantId));
  return merchant?.name ?? "";
}

export const invoicePaymentSchema = z.object({
  invoiceId: z.string().min(1, "Choose an invoice."),
  serviceId: z.string().min(1, "Choose a payment service."),
  /** For a service with both (the sandbox); its first flow by default. */
  flow: z.enum(["qr", "redirect"]).optional(),
  successUrl: linkOptionsSchema.shape.successUrl,
  failureUrl: linkOptionsSchema.shape.failureUrl,
  /** The origin the caller reached Settle on, for the instruction's links back (return and notify URLs). */
  origin: z.string().min(1),
});

/**
 * FuratPay's "request payment": a payment link for what is still owed on the
 * invoice, through one of the merchant's services, and that service's data for
 * the customer (its QR and bank details, or the URL to redirect to). One
 * transaction: a refused flow leaves no link behind.
 */
export const requestInvoicePayment = defineCommand({
  name: "payment_links.invoice_payment.request",
  permission: "invoices.write",
  input: invoicePaymentSchema,
  async run(scope, { serviceId, flow: asked, origin, ...data }): Promise<RequestedPayment> {
    const link = await createInvoiceLink.run(scope, { ...data, serviceIds: [serviceId], expiresInMinutes: DEFAULT_EXPIRY_MINUTES });
    // createInvoiceLink checked the service is this merchant's, enabled, and takes the currency.
    const service = await getService(scope.tx, { merchantId: scope.merchantId, id: serviceId });
    const flows = flowsOf(service, link.currency);
    const flow = asked ?? flows[0]!;
    if (!flows.includes(flow)) throw fieldError("flow", `${service.name} offers ${flows.join(" and ")} here, not ${flow}.`);
    return { link, service, flow, instruction: await instructionFor(scope.tx, link, service, flow, origin) };
  },
});
