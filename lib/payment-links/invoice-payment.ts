import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { merchants, type PaymentLink, type PaymentService } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { connectorFor } from "@/lib/connectors";
import type { Flow, PaymentInstruction } from "@/lib/connectors/types";
import { AppError } from "@/lib/errors";
import { createInvoiceLink } from "./create";
import { flowsOf, getService, serviceContext } from "@/lib/payment-services/services";

export interface RequestedPayment {
  link: PaymentLink;
  service: PaymentService;
  flow: Flow;
  instruction: PaymentInstruction;
}

const fieldError = (field: string, message: string) => new AppError("validation_failed", "Some fields need attention.", { [field]: [message] });

/** What a service gives a customer for a link: a QR with bank details, or a URL to redirect to. */
export async function instructionFor(
  db: Database,
  link: PaymentLink,
  service: PaymentService,
  flow: Flow,
  origin: string,
  merchantName?: string,
): Promise<PaymentInstruction> {
  const name = merchantName ?? (await merchantNameOf(db, link.merchantId));
  const due = Math.max(0, link.amount - link.paidAmount) || link.amount;
  return connectorFor(service.kind).createPayment(
    serviceContext(service),
    { id: link.id, code: link.code, currency: link.currency, due, merchantName: name },
    flow,
    origin,
  );
}

export async function merchantNameOf(db: Database, merchantId: string): Promise<string> {
  const [merchant] = await db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, merchantId));
  return merchant?.name ?? "";
}

/**
 * FuratPay's "request payment": a payment link for what is still owed on the
 * invoice, through one of the merchant's services, and that service's data for
 * the customer (its QR and bank details, or the URL to redirect to). One
 * transaction: a refused flow leaves no link behind.
 */
export async function requestInvoicePayment(
  db: Database,
  actor: Actor,
  input: { invoiceId: string; serviceId: string; flow?: Flow; successUrl?: string; failureUrl?: string },
  origin: string,
): Promise<RequestedPayment> {
  return transaction(db, async (tx) => {
    const link = await createInvoiceLink(tx, actor, {
      invoiceId: input.invoiceId,
      serviceIds: [input.serviceId],
      successUrl: input.successUrl,
      failureUrl: input.failureUrl,
    });
    // createInvoiceLink checked the service is this merchant's, enabled, and takes the currency.
    const service = await getService(tx, { merchantId: actor.merchantId, id: input.serviceId });
    const flows = flowsOf(service, link.currency);
    const flow = input.flow ?? flows[0]!;
    if (!flows.includes(flow)) throw fieldError("flow", `${service.name} offers ${flows.join(" and ")} here, not ${flow}.`);
    return { link, service, flow, instruction: await instructionFor(tx, link, service, flow, origin) };
  });
}
