import { eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Database } from "@/db/client";
import { paymentLinks, type PaymentService } from "@/db/schema";
import { createInvoice } from "@/lib/invoices/create";
import { createInvoiceLink } from "@/lib/payment-links/create";
import { createGatewayService } from "@/lib/payment-services/gateways";
import { handleProviderNotification } from "@/lib/payment-services/notify";
import { findServiceById } from "@/lib/payment-services/services";
import { startPayment } from "@/lib/payment-services/sessions";
import { makeMerchant } from "./factories";
import { type MyFatoorahSimulator, startMyFatoorahSimulator } from "./simulators/myfatoorah";

/**
 * MyFatoorah's simulator wired to a Settle database, for the connector's and
 * the refunds' tests: the portal's webhook endpoint is Settle's notify
 * handler, called in-process with the service id its URL names.
 */
export const MF_API_KEY = "mf-test-token-0123456789abcdef";
export const MF_WEBHOOK_SECRET = "mf-webhook-secret-key-42";
export const MF_ORIGIN = "https://settle.example";

export function startMyFatoorahForSettle(db: () => Database): Promise<MyFatoorahSimulator> {
  return startMyFatoorahSimulator({
    apiKey: MF_API_KEY,
    webhookSecret: MF_WEBHOOK_SECRET,
    webhookUrl: `${MF_ORIGIN}/api/providers/pending/notify`,
    deliver: async ({ url, headers, body }) => {
      const serviceId = /\/api\/providers\/([^/]+)\/notify$/.exec(new URL(url).pathname)?.[1] ?? "";
      const res = await handleProviderNotification(db(), serviceId, new Request(url, { method: "POST", headers, body }));
      return { status: res.status, body: JSON.stringify(res.body) };
    },
  });
}

/**
 * A merchant with MyFatoorah linked (the portal's webhook pointed at it) and
 * an invoice of `amount` with a link through it. `service` overrides what the
 * merchant types in the form.
 */
export async function linkMyFatoorah(
  db: () => Database,
  sim: MyFatoorahSimulator,
  opts: { amount?: number; currency?: "KWD" | "SAR"; service?: { baseUrl?: string; currency?: string } } = {},
) {
  const currency = opts.currency ?? "KWD";
  const m = await makeMerchant(db());
  const created = await createGatewayService(db(), m.ownerActor, {
    kind: "myfatoorah",
    name: "MyFatoorah",
    baseUrl: sim.url,
    currency,
    apiKey: MF_API_KEY,
    webhookSecret: MF_WEBHOOK_SECRET,
    ...opts.service,
  });
  const service = (await findServiceById(db(), created.id))!;
  sim.setWebhookUrl(`${MF_ORIGIN}/api/providers/${service.id}/notify`);
  const invoice = await createInvoice(db(), m.ownerActor, {
    currency,
    items: [{ name: "Abaya", unitPrice: opts.amount ?? 12_345, quantity: 1 }],
    customer: { name: "Fatima Al-Sabah", email: "fatima@example.com" },
  });
  const link = await createInvoiceLink(db(), m.ownerActor, { invoiceId: invoice.id, serviceIds: [service.id] });
  return { m, service, invoice, link };
}

/** The customer picks MyFatoorah on the checkout: Settle's session, and MyFatoorah's hosted invoice page. */
export async function openHostedPage(db: () => Database, service: PaymentService, linkId: string, locale?: string) {
  const [link] = await db().select().from(paymentLinks).where(eq(paymentLinks.id, linkId));
  const instruction = await startPayment(db(), { link: link!, service, flow: "redirect", origin: MF_ORIGIN, merchantName: "Test Store", locale });
  if (instruction.kind !== "redirect") throw new Error("expected a redirect");
  return { url: instruction.url, invoiceId: Number(/\/invoice\/(\d+)$/.exec(instruction.url)![1]) };
}

/** The customer on the hosted page: a real HTTP form post, as the browser does. */
export async function pressOnHostedPage(sim: MyFatoorahSimulator, invoiceId: number, button: "pay" | "decline", form: Record<string, string> = {}) {
  const res = await fetch(`${sim.url}/invoice/${invoiceId}/${button}`, { method: "POST", body: new URLSearchParams(form), redirect: "manual" });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location")!);
  return { location, paymentId: location.searchParams.get("paymentId")! };
}
