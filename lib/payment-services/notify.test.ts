import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, invoices, paymentLinks, payments, providerNotifications } from "@/db/schema";
import { makeMerchant } from "@/test/factories";
import { useTestDb } from "@/test/db";
import { remarkFor } from "@/lib/payment-links/code";
import { expireLinkNow } from "@/lib/payment-links/lifecycle";
import { assignNotification } from "./notifications";
import { handleProviderNotification } from "./notify";
import { createService, sandboxSecret } from "./services";
import { BANK_SECRET, setupLink, signedRequest } from "@/lib/payment-links/test-helpers";

const t = useTestDb();

async function state(linkId: string) {
  const [link] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, linkId));
  const [invoice] = await t.db().select().from(invoices).where(eq(invoices.id, link!.invoiceId));
  const pays = await t.db().select().from(payments).where(eq(payments.paymentLinkId, linkId));
  return { link: link!, invoice: invoice!, payments: pays };
}
const notificationsOf = (serviceId: string) =>
  t.db().select().from(providerNotifications).where(eq(providerNotifications.serviceId, serviceId));

describe("POST /api/providers/{serviceId}/notify", () => {
  it("a bank transfer whose remark names the link pays it in part, and the notification is kept", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    const res = await handleProviderNotification(
      t.db(),
      bank.id,
      signedRequest(bank.id, BANK_SECRET, { id: "FT001", amount: 40_000, currency: "VND", remark: `MBVCB.1.${remarkFor(link.code).toLowerCase()}.CT` }),
    );
    expect(res).toMatchObject({ status: 200, body: { received: true, outcome: "recorded" } });
    const s = await state(link.id);
    expect(s.link).toMatchObject({ paidAmount: 40_000, paymentStatus: "partial" });
    expect(s.invoice).toMatchObject({ paidAmount: 40_000, paymentStatus: "partial" });
    expect(s.payments).toHaveLength(1);
    const [n] = await notificationsOf(bank.id);
    expect(n).toMatchObject({ outcome: "recorded", verifiedBy: "signature", paymentId: s.payments[0]!.id, invoiceId: link.invoiceId });
    expect(n!.headers["x-settle-signature"]).toMatch(/^v1=/);
    expect(JSON.parse(n!.body)).toMatchObject({ id: "FT001" });
  });

  it("a duplicate (the provider's retry, or the same request replayed) is recorded once", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    const body = { id: "FT002", amount: 100_000, remark: remarkFor(link.code) };
    const first = signedRequest(bank.id, BANK_SECRET, body);
    const replay = first.clone();
    expect((await handleProviderNotification(t.db(), bank.id, first)).body.outcome).toBe("recorded");
    expect((await handleProviderNotification(t.db(), bank.id, replay)).body.outcome).toBe("duplicate");
    expect((await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, body))).body.outcome).toBe("duplicate");
    const s = await state(link.id);
    expect(s.payments).toHaveLength(1);
    expect(s.link).toMatchObject({ paidAmount: 100_000, paymentStatus: "paid" });
    expect(await notificationsOf(bank.id)).toHaveLength(3);
    const succeeded = await t.db().select().from(events).where(and(eq(events.invoiceId, link.invoiceId), eq(events.type, "payment.succeeded")));
    expect(succeeded).toHaveLength(1);
  });

  it("a transfer whose remark matches no link is kept as unmatched, and staff can assign it to an invoice", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    const res = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id: "FT003", amount: 25_000, currency: "VND", remark: "tien nha thang 5" }));
    expect(res).toMatchObject({ status: 200, body: { outcome: "unmatched" } });
    expect((await state(link.id)).payments).toHaveLength(0);
    const [n] = await notificationsOf(bank.id);
    expect(n).toMatchObject({ outcome: "unmatched", amount: 25_000, remark: "tien nha thang 5", providerRef: "FT003" });

    const support = await m.addMember("support");
    await expect(assignNotification(t.db(), support.actor, { notificationId: n!.id, invoiceId: link.invoiceId })).rejects.toMatchObject({ code: "forbidden" });
    await assignNotification(t.db(), m.ownerActor, { notificationId: n!.id, invoiceId: link.invoiceId });
    const s = await state(link.id);
    expect(s.invoice.paidAmount).toBe(25_000);
    const [after] = await notificationsOf(bank.id);
    expect(after).toMatchObject({ outcome: "assigned", invoiceId: link.invoiceId, assignedBy: m.owner.id });
    await expect(assignNotification(t.db(), m.ownerActor, { notificationId: n!.id, invoiceId: link.invoiceId })).rejects.toMatchObject({ code: "conflict" });
  });

  it("a payment after the link expired is still recorded, flagged late, after the expiry event", async () => {
    const m = await makeMerchant(t.db());
    const { link, sandbox } = await setupLink(t.db(), m.ownerActor);
    await expireLinkNow(t.db(), link);
    const secret = (await sandboxSecret(t.db(), sandbox.id))!.secret!;
    const res = await handleProviderNotification(t.db(), sandbox.id, signedRequest(sandbox.id, secret, { id: "sbx_late", amount: 100_000, payment_link_id: link.id }));
    expect(res.body.outcome).toBe("recorded");
    const s = await state(link.id);
    expect(s.link).toMatchObject({ status: "expired", paymentStatus: "paid" });
    expect(s.payments[0]).toMatchObject({ late: true, status: "succeeded" });
    const types = (await t.db().select().from(events).where(eq(events.invoiceId, link.invoiceId)).orderBy(events.seq)).map((e) => e.type);
    expect(types.indexOf("payment_link.expired")).toBeGreaterThan(-1);
    expect(types.indexOf("payment_link.expired")).toBeLessThan(types.indexOf("payment.succeeded"));
  });

  it("a failed attempt, then a success for the same transaction: the success wins", async () => {
    const m = await makeMerchant(t.db());
    const { link, sandbox } = await setupLink(t.db(), m.ownerActor);
    const secret = (await sandboxSecret(t.db(), sandbox.id))!.secret!;
    const send = (status: string) =>
      handleProviderNotification(t.db(), sandbox.id, signedRequest(sandbox.id, secret, { id: "sbx_1", status, amount: 100_000, reference: link.code, payment_method: "card", card_last4: "4242" }));
    expect((await send("failed")).body.outcome).toBe("recorded");
    expect((await state(link.id)).link.paymentStatus).toBe("unpaid");
    expect((await send("succeeded")).body.outcome).toBe("recorded");
    expect((await send("failed")).body.outcome).toBe("duplicate");
    const s = await state(link.id);
    expect(s.link).toMatchObject({ paymentStatus: "paid", paidAmount: 100_000 });
    expect(s.payments).toEqual([expect.objectContaining({ status: "succeeded", cardLast4: "4242", method: "card" })]);
  });

  it("a full card number a provider sends is verified as sent but never stored: the notification and the payment keep its last four", async () => {
    const m = await makeMerchant(t.db());
    const { link, sandbox } = await setupLink(t.db(), m.ownerActor);
    const secret = (await sandboxSecret(t.db(), sandbox.id))!.secret!;
    const pan = "4111 1111 1111 1111";
    const res = await handleProviderNotification(
      t.db(),
      sandbox.id,
      signedRequest(sandbox.id, secret, { id: "sbx_pan", status: "succeeded", amount: 100_000, reference: link.code, payment_method: "card", card_number: pan }),
    );
    expect(res.body.outcome).toBe("recorded");
    const [n] = await notificationsOf(sandbox.id);
    const [p] = (await state(link.id)).payments;
    const stored = JSON.stringify([n, p]);
    expect(stored).not.toContain("4111111111111111");
    expect(stored).not.toContain(pan);
    expect(n!.body).toContain("[card …1111]");
    expect(p!.raw).toMatchObject({ card_number: "[card …1111]", id: "sbx_pan" });
  });

  it("a payment in another currency is kept for staff and never counted", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    const res = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id: "FT004", amount: 100, currency: "USD", remark: remarkFor(link.code) }));
    expect(res.body.outcome).toBe("currency_mismatch");
    const s = await state(link.id);
    expect(s.payments).toHaveLength(0);
    expect(s.invoice.paidAmount).toBe(0);
    const [n] = await notificationsOf(bank.id);
    expect(n).toMatchObject({ outcome: "currency_mismatch", paymentLinkId: link.id, message: "Paid in USD; the link is in VND." });
  });

  it("a bad, missing or stale signature is refused with 401 before the body is read, and kept as rejected", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    const body = { id: "FT005", amount: 100_000, remark: remarkFor(link.code) };
    const forged = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, "pss_not-the-secret-000000", body));
    expect(forged).toMatchObject({ status: 401, body: { error: { code: "unauthenticated" } } });
    const stale = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, body, { now: new Date(Date.now() - 6 * 60_000) }));
    expect(stale.status).toBe(401);
    const unsigned = new Request("http://127.0.0.1/x", { method: "POST", body: "not even json" });
    expect((await handleProviderNotification(t.db(), bank.id, unsigned)).status).toBe(401);
    expect((await state(link.id)).payments).toHaveLength(0);
    const stored = await notificationsOf(bank.id);
    expect(stored.map((n) => n.outcome)).toEqual(["rejected", "rejected", "rejected"]);
    expect(stored.every((n) => n.verifiedBy === null)).toBe(true);
  });

  it("a signed but malformed body is a 400 with a clear message, kept as rejected, and nothing is recorded", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    const notJson = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, null, { raw: "{oops" }));
    expect(notJson).toMatchObject({ status: 400, body: { error: { message: "The body is not valid JSON." } } });
    const noAmount = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id: "FT006", remark: remarkFor(link.code) }));
    expect(noAmount.status).toBe(400);
    expect(noAmount.body.error).toMatchObject({ message: expect.stringMatching(/^amount: /) });
    const negative = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id: "FT007", amount: -5, remark: "x" }));
    expect(negative.status).toBe(400);
    // Kept for staff with the reason it was refused (issue 20: a refused notification is stored as rejected).
    const stored = await notificationsOf(bank.id);
    expect(stored.map((n) => [n.outcome, n.message]).sort()).toEqual(
      [
        ["rejected", "The body is not valid JSON."],
        ["rejected", (noAmount.body.error as { message: string }).message],
        ["rejected", (negative.body.error as { message: string }).message],
      ].sort(),
    );
    expect((await state(link.id)).payments).toHaveLength(0);
  });

  it("an unknown service is a 404; another merchant's link is never matched", async () => {
    expect((await handleProviderNotification(t.db(), "svc_nope", new Request("http://x/", { method: "POST", body: "{}" }))).status).toBe(404);
    const a = await makeMerchant(t.db());
    const b = await makeMerchant(t.db());
    const { link } = await setupLink(t.db(), a.ownerActor);
    const { bank: bBank } = await setupLink(t.db(), b.ownerActor);
    const res = await handleProviderNotification(t.db(), bBank.id, signedRequest(bBank.id, BANK_SECRET, { id: "FT008", amount: 1, remark: remarkFor(link.code) }));
    expect(res.body.outcome).toBe("unmatched");
    expect((await state(link.id)).payments).toHaveLength(0);
  });
});

describe("an unsigned provider: the callback only triggers a status lookup", () => {
  let server: Server;
  let baseUrl = "";
  const statuses = new Map<string, unknown>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      const ref = decodeURIComponent(req.url!.replace(/^\/payments\//, ""));
      const found = statuses.get(ref);
      res.writeHead(found ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(found ?? { error: "not found" }));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it("records what the provider's status says, not what the callback claims", async () => {
    const m = await makeMerchant(t.db());
    const { link } = await setupLink(t.db(), m.ownerActor);
    const wallet = await createService(t.db(), m.ownerActor, { kind: "redirect", name: "ZainCash-like wallet", baseUrl });
    statuses.set("zc_1", { id: "zc_1", status: "succeeded", amount: 30_000, currency: "VND", reference: link.code, payment_method: "ewallet" });
    const claim = JSON.stringify({ id: "zc_1", status: "COMPLETED", amount: 999_999 });
    const res = await handleProviderNotification(t.db(), wallet.id, new Request("http://127.0.0.1/", { method: "POST", body: claim }));
    expect(res.body.outcome).toBe("recorded");
    const s = await state(link.id);
    expect(s.payments).toEqual([expect.objectContaining({ amount: 30_000, method: "ewallet", serviceId: wallet.id })]);
    const [n] = await notificationsOf(wallet.id);
    expect(n).toMatchObject({ verifiedBy: "status", outcome: "recorded" });
  });

  it("when the status cannot be confirmed: 502 so the provider retries, kept as an error, nothing recorded", async () => {
    const m = await makeMerchant(t.db());
    const { link } = await setupLink(t.db(), m.ownerActor);
    const wallet = await createService(t.db(), m.ownerActor, { kind: "redirect", name: "Wallet", baseUrl });
    const res = await handleProviderNotification(t.db(), wallet.id, new Request("http://127.0.0.1/", { method: "POST", body: JSON.stringify({ id: "zc_unknown" }) }));
    expect(res.status).toBe(502);
    expect((await state(link.id)).payments).toHaveLength(0);
    const [n] = await notificationsOf(wallet.id);
    expect(n).toMatchObject({ outcome: "error", providerRef: "zc_unknown" });
    const noRef = await handleProviderNotification(t.db(), wallet.id, new Request("http://127.0.0.1/", { method: "POST", body: "{}" }));
    expect(noRef.status).toBe(400);
  });
});
