import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { signNotification } from "@/lib/connectors/signature";
import { createInvoice } from "@/lib/invoices/create";
import { createInvoiceLink } from "./create";
import { createService, listServices } from "@/lib/payment-services/services";

/** Test-only helpers: a VND invoice with a link offering the sandbox and a signed bank account. */
export const BANK_SECRET = "pss_bank-secret-0123456789";

export async function setupLink(db: Database, actor: Actor, opts: { amount?: number; currency?: "VND" | "USD"; expiresInMinutes?: number } = {}) {
  const currency = opts.currency ?? "VND";
  const services = await listServices(db, actor.merchantId);
  const sandbox = services.find((s) => s.kind === "sandbox")!;
  const bank =
    services.find((s) => s.kind === "bank_transfer") ??
    (await createService(db, actor, {
      kind: "bank_transfer",
      name: "ACB account",
      bankBin: "970416",
      accountNumber: "257678859",
      accountName: "Tran Tu Thien",
      secret: BANK_SECRET,
    }));
  const invoice = await createInvoice(db, actor, {
    currency,
    items: [{ name: "Order", unitPrice: opts.amount ?? 100_000, quantity: 1 }],
    customer: { name: "Nguyen Van A" },
  });
  const link = await createInvoiceLink(db, actor, {
    invoiceId: invoice.id,
    serviceIds: currency === "VND" ? [sandbox.id, bank.id] : [sandbox.id],
    expiresInMinutes: opts.expiresInMinutes,
    successUrl: "https://shop.example/thanks",
  });
  return { invoice, link, sandbox, bank };
}

export function signedRequest(serviceId: string, secret: string, body: unknown, opts: { now?: Date; raw?: string } = {}) {
  const raw = opts.raw ?? JSON.stringify(body);
  return new Request(`http://127.0.0.1/api/providers/${serviceId}/notify`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signNotification(secret, raw, opts.now) },
    body: raw,
  });
}
