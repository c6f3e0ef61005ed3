import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoices, paymentLinks, payments } from "@/db/schema";
import { loadCheckout, statusByCode } from "@/lib/checkout/view";
import { voidInvoice } from "@/lib/invoices/void";
import { handleProviderNotification } from "@/lib/payment-services/notify";
import { recordManualPayment } from "@/lib/payments/manual";
import { makeMerchant } from "@/test/factories";
import { useTestDb } from "@/test/db";
import { remarkFor } from "./code";
import { createInvoiceLink } from "./create";
import { getPaymentRequest } from "./requests";
import { BANK_SECRET, setupLink, signedRequest } from "./test-helpers";

const t = useTestDb();
const ORIGIN = "https://settle.example";

/** Two links on one invoice of 10,000 ₫, each offering the sandbox and the signed bank account. */
async function twoLinks() {
  const m = await makeMerchant(t.db());
  const { invoice, link: a, sandbox, bank } = await setupLink(t.db(), m.ownerActor, { amount: 10_000 });
  const b = await createInvoiceLink(t.db(), m.ownerActor, { invoiceId: invoice.id, serviceIds: [sandbox.id, bank.id] });
  const transfer = (code: string, id: string, amount: number) =>
    handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id, amount, currency: "VND", remark: remarkFor(code) }));
  return { m, invoice, a, b, transfer };
}

const checkout = (code: string) => loadCheckout(t.db(), code, { origin: ORIGIN, locale: "en" });
const linkRow = async (id: string) => (await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, id)))[0]!;
const invoiceRow = async (id: string) => (await t.db().select().from(invoices).where(eq(invoices.id, id)))[0]!;

describe("sibling payment links of one invoice", () => {
  it("a partial payment through one leaves the other asking for the remainder, in its QR too", async () => {
    const { a, b, transfer } = await twoLinks();
    expect((await transfer(a.code, "FT-A1", 4_000)).body.outcome).toBe("recorded");

    const view = (await checkout(b.code))!;
    expect(view.live).toMatchObject({ status: "active", paymentStatus: "unpaid", remaining: 6_000 });
    expect(view.dueMajor).toBe("6000");
    // The bank's VietQR carries the amount as EMVCo tag 54: length 04, value 6000.
    const bankQr = view.methods.find((m) => m.serviceName === "ACB account")!.instruction;
    expect(bankQr.kind === "qr" && bankQr.payload).toContain("54046000");
    expect((await checkout(a.code))!.live).toMatchObject({ paymentStatus: "partial", remaining: 6_000 });
  });

  it("once one link pays the invoice in full the other closes and says why; money still sent through it is recorded, as extra", async () => {
    const { m, invoice, a, b, transfer } = await twoLinks();
    await transfer(a.code, "FT-A2", 10_000);

    const live = (await statusByCode(t.db(), b.code, "en"))!;
    expect(live).toMatchObject({ status: "canceled", cancellationReason: "invoice_paid", paymentStatus: "unpaid", remaining: 0 });
    expect((await checkout(b.code))!.methods).toEqual([]);
    expect(await linkRow(a.id)).toMatchObject({ status: "active", paymentStatus: "paid", paidAmount: 10_000 });
    const request = await getPaymentRequest(t.db(), { merchantId: m.merchant.id, id: b.id });
    expect(request!.link).toMatchObject({ status: "canceled", cancellationReason: "invoice_paid", amount: 0 });

    // The customer had already started paying B at the provider: the money is never lost.
    expect((await transfer(b.code, "FT-B1", 10_000)).body.outcome).toBe("recorded");
    const [late] = await t.db().select().from(payments).where(eq(payments.paymentLinkId, b.id));
    expect(late).toMatchObject({ amount: 10_000, status: "succeeded", late: true });
    expect(await invoiceRow(invoice.id)).toMatchObject({ paidAmount: 20_000, paymentStatus: "extra" });
    expect(await linkRow(b.id)).toMatchObject({ status: "canceled", paidAmount: 10_000, paymentStatus: "extra" });
    expect((await statusByCode(t.db(), b.code, "en"))!.formatted.extra).toBe("₫10,000");
  });

  it("a payment by hand that settles the invoice closes every link that received nothing, and shrinks one that received part", async () => {
    const { m, invoice, a, b, transfer } = await twoLinks();
    await transfer(a.code, "FT-A3", 3_000);
    await recordManualPayment(t.db(), m.ownerActor, { invoiceId: invoice.id, amount: 7_000, method: "cash" });
    expect(await linkRow(a.id)).toMatchObject({ status: "active", amount: 3_000, paidAmount: 3_000, paymentStatus: "paid" });
    expect(await linkRow(b.id)).toMatchObject({ status: "canceled", cancellationReason: "invoice_paid", amount: 0 });
  });

  it("voiding the invoice closes all its links, and their checkouts say the invoice is void", async () => {
    const { m, invoice, a, b } = await twoLinks();
    await voidInvoice(t.db(), m.ownerActor, { invoiceId: invoice.id });
    for (const link of [a, b]) {
      expect(await linkRow(link.id)).toMatchObject({ status: "canceled", cancellationReason: "invoice_void" });
      const view = (await checkout(link.code))!;
      expect(view.live).toMatchObject({ cancellationReason: "invoice_void", remaining: 0 });
      expect(view.methods).toEqual([]);
    }
  });
});
