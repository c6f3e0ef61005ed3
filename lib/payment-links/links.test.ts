import { and, eq } from "drizzle-orm";
import { testSpaceOf } from "@/lib/merchants";
import { describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { events, invoices, paymentLinks, paymentServices } from "@/db/schema";
import { signUp } from "@/lib/accounts/signup";
import { recordManualPayment } from "@/lib/payments/manual";
import { makeMerchant } from "@/test/factories";
import { useTestDb } from "@/test/db";
import { isLinkCode } from "./code";
import { createInvoiceLink, createStandaloneLink } from "./create";
import { cancelLink, expireDueLinks } from "./lifecycle";
import { getLinkByCode, listLinks } from "./queries";
import { createService, listServices } from "@/lib/payment-services/services";
import { setupLink } from "./test-helpers";

const t = useTestDb();

describe("payment links", () => {
  it("a new merchant has the sandbox from sign-up", async () => {
    const { merchantId } = await signUp(t.db(), { name: "Lan", email: `lan-${Date.now()}@example.test`, password: "long-password-1", merchantName: "Lan's shop" });
    // In its test space only: live mode starts with no service at all.
    const rows = await t.db().select().from(paymentServices).where(eq(paymentServices.merchantId, await testSpaceOf(t.db(), merchantId)));
    expect(rows).toEqual([expect.objectContaining({ kind: "sandbox", enabled: true })]);
    expect(await t.db().$count(paymentServices, eq(paymentServices.merchantId, merchantId))).toBe(0);
    expect(rows[0]!.secretSealed).toMatch(/^v1\./);
  });

  it("from an invoice: asks for what is still owed, with a short code and a 30-minute default expiry", async () => {
    const m = await makeMerchant(t.db());
    const { invoice, sandbox } = await setupLink(t.db(), m.ownerActor, { amount: 500_000 });
    await recordManualPayment(t.db(), m.ownerActor, { invoiceId: invoice.id, amount: 200_000, method: "cash" });
    const before = Date.now();
    const link = await createInvoiceLink(t.db(), m.ownerActor, { invoiceId: invoice.id, serviceIds: sandbox.id });
    expect(link).toMatchObject({ amount: 300_000, currency: "VND", status: "active", paymentStatus: "unpaid", serviceIds: [sandbox.id] });
    expect(link.id).toMatch(/^pl_/);
    expect(isLinkCode(link.code)).toBe(true);
    expect(link.expiresAt.getTime() - before).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(link.expiresAt.getTime() - before).toBeLessThanOrEqual(30 * 60_000 + 5000);
  });

  it("refuses services that are not the merchant's, turned off, or unable to take the currency, with a field message", async () => {
    const a = await makeMerchant(t.db());
    const b = await makeMerchant(t.db());
    const { invoice } = await setupLink(t.db(), a.ownerActor, { currency: "USD" });
    const [bSandbox] = await listServices(t.db(), b.merchant.id);
    await expect(createInvoiceLink(t.db(), a.ownerActor, { invoiceId: invoice.id, serviceIds: [bSandbox!.id] })).rejects.toMatchObject({
      fields: { serviceIds: ["Choose payment services from the list."] },
    });
    const bank = (await listServices(t.db(), a.merchant.id)).find((s) => s.kind === "bank_transfer")!;
    await expect(createInvoiceLink(t.db(), a.ownerActor, { invoiceId: invoice.id, serviceIds: [bank.id] })).rejects.toMatchObject({
      fields: { serviceIds: ["ACB account cannot take payments in USD."] },
    });
    await expect(createInvoiceLink(t.db(), a.ownerActor, { invoiceId: invoice.id, serviceIds: [], successUrl: "javascript:alert(1)" })).rejects.toMatchObject({
      fields: { serviceIds: ["Choose at least one payment service."], successUrl: [expect.stringMatching(/URL/)] },
    });
  });

  it("standalone: makes its own invoice in the same transaction; a bad choice leaves no invoice behind", async () => {
    const m = await makeMerchant(t.db());
    const [sandbox] = await listServices(t.db(), m.merchant.id);
    const link = await createStandaloneLink(t.db(), m.ownerActor, { currency: "USD", amount: "12.50", description: "Consulting call", serviceIds: [sandbox!.id] });
    const [invoice] = await t.db().select().from(invoices).where(eq(invoices.id, link.invoiceId));
    expect(invoice).toMatchObject({ amount: 1250, currency: "USD", description: "Consulting call", merchantId: m.merchant.id });
    expect(link.amount).toBe(1250);
    const count = async () => (await t.db().select().from(invoices).where(eq(invoices.merchantId, m.merchant.id))).length;
    const n = await count();
    await expect(createStandaloneLink(t.db(), m.ownerActor, { currency: "USD", amount: "12.505", description: "x", serviceIds: [sandbox!.id] })).rejects.toMatchObject({
      fields: { amount: ["USD amounts have at most 2 decimal places."] },
    });
    await expect(createStandaloneLink(t.db(), m.ownerActor, { currency: "USD", amount: "5", description: "x", serviceIds: ["svc_other"] })).rejects.toMatchObject({ code: "validation_failed" });
    expect(await count()).toBe(n);
  });

  it("only owners and admins create, cancel or add services", async () => {
    const m = await makeMerchant(t.db());
    const { invoice, sandbox, link } = await setupLink(t.db(), m.ownerActor);
    for (const role of ["support", "viewer"] as const) {
      const { actor } = await m.addMember(role);
      await expect(createInvoiceLink(t.db(), actor, { invoiceId: invoice.id, serviceIds: [sandbox.id] })).rejects.toMatchObject({ code: "forbidden" });
      await expect(cancelLink(t.db(), actor, { linkId: link.id })).rejects.toMatchObject({ code: "forbidden" });
      await expect(createService(t.db(), actor, { kind: "redirect", name: "x", baseUrl: "https://x.example" })).rejects.toMatchObject({ code: "forbidden" });
    }
    const { actor: admin } = await m.addMember("admin");
    expect((await cancelLink(t.db(), admin, { linkId: link.id })).status).toBe("canceled");
    await expect(cancelLink(t.db(), admin, { linkId: link.id })).rejects.toMatchObject({ code: "conflict" });
  });

  it("the sweeper expires due links once and writes payment_link.expired; reads never show a due link as active", async () => {
    const m = await makeMerchant(t.db());
    const { link } = await setupLink(t.db(), m.ownerActor, { expiresInMinutes: 1 });
    const { link: fresh } = await setupLink(t.db(), m.ownerActor);
    const later = new Date(Date.now() + 2 * 60_000);
    // Two sweepers at once (two connections on server Postgres): each due link is expired by exactly one.
    const url = t.handle().url;
    const other = url ? await openDb({ url, driver: "pg" }) : null;
    const [first, second] = await Promise.all([
      expireDueLinks(t.db(), { now: later, merchantId: m.merchant.id }),
      expireDueLinks(other?.db ?? t.db(), { now: later, merchantId: m.merchant.id }),
    ]);
    await other?.close();
    expect([...first!, ...second!].map((l) => l.id)).toEqual([link.id]);
    expect(await expireDueLinks(t.db(), { now: later, merchantId: m.merchant.id })).toEqual([]);
    const expiredEvents = await t.db().select().from(events).where(and(eq(events.invoiceId, link.invoiceId), eq(events.type, "payment_link.expired")));
    expect(expiredEvents).toHaveLength(1);
    expect(expiredEvents[0]!.data).toMatchObject({ payment_link: { id: link.id, code: link.code, status: "expired" } });
    expect((await getLinkByCode(t.db(), fresh.code))!.link.status).toBe("active");

    await t.db().update(paymentLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(paymentLinks.id, fresh.id));
    expect((await getLinkByCode(t.db(), fresh.code))!.link.status).toBe("expired");
    const rows = await listLinks(t.db(), { merchantId: m.merchant.id, filters: { status: "expired" } });
    expect(rows.map((r) => r.link.id).sort()).toEqual([link.id, fresh.id].sort());
  });
});
