import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { events, invoices, paymentLinks, payments, providerNotifications } from "@/db/schema";
import { paymentJson } from "@/lib/api/objects";
import { checkoutStatus } from "@/lib/checkout/view";
import { connectors } from "@/lib/connectors";
import { rowsOf } from "@/db/rows";
import { newId } from "@/lib/ids";
import { remarkFor } from "@/lib/payment-links/code";
import { BANK_SECRET, setupLink, signedRequest } from "@/lib/payment-links/test-helpers";
import { recordPayment } from "@/lib/payments/record";
import { webhookBody } from "@/lib/webhooks/signing";
import { makeMerchant } from "@/test/factories";
import { onServerPostgres, useTestDb } from "@/test/db";
import { handleProviderNotification, notifyEndpoint, SERVICE_TURNED_OFF, UNSTORABLE_TEXT } from "./notify";
import {
  REFUSED_BODY_CHARS,
  REFUSED_PER_DAY,
  REFUSED_PER_MINUTE,
  REFUSED_RETENTION_DAYS,
  sweepRefusedNotifications,
} from "./refused-notifications";
import { createService, setServiceEnabled } from "./services";

const t = useTestDb();

const notificationsOf = (serviceId: string) =>
  t.db().select().from(providerNotifications).where(eq(providerNotifications.serviceId, serviceId)).orderBy(providerNotifications.createdAt, providerNotifications.id);
const paymentsOf = (invoiceId: string) => t.db().select().from(payments).where(eq(payments.invoiceId, invoiceId));
const eventsOf = (invoiceId: string) => t.db().select().from(events).where(eq(events.invoiceId, invoiceId)).orderBy(events.seq);

/** A forged request: signed, but with a secret that is not the service's. */
const forged = (serviceId: string, body: unknown) => signedRequest(serviceId, "pss_not-the-secret-000000", body);

/**
 * A generic unsigned provider (the `redirect` kind without a secret): its
 * callback is only a hint, and its `GET /payments/{id}` says what happened,
 * in the shape of Settle's generic notification body.
 */
let server: Server;
let baseUrl = "";
const statuses = new Map<string, string>();
const lookups: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const ref = decodeURIComponent(req.url!.replace(/^\/payments\//, ""));
    lookups.push(ref);
    const found = statuses.get(ref);
    res.writeHead(found ? 200 : 404, { "content-type": "application/json" }).end(found ?? JSON.stringify({ error: "not found" }));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
beforeEach(() => {
  lookups.length = 0;
});

const callback = (body: string) => new Request("http://127.0.0.1/notify", { method: "POST", headers: { "content-type": "application/json" }, body });

async function walletFor(actor: Parameters<typeof createService>[1]) {
  return createService(t.db(), actor, { kind: "redirect", name: "Wallet", baseUrl });
}

describe("an amount of zero or less is refused, kept as rejected with the reason, never a payment", () => {
  it("from a signature: 0 and a negative amount are 400, stored as rejected, and nothing reaches the ledger", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    const zero = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id: "FT-ZERO", amount: 0, remark: remarkFor(link.code) }));
    expect(zero).toMatchObject({ status: 400, body: { error: { code: "bad_request", message: expect.stringMatching(/greater than zero.*says 0\.$/) } } });
    const failedZero = await handleProviderNotification(
      t.db(),
      bank.id,
      signedRequest(bank.id, BANK_SECRET, { id: "FT-ZERO-FAILED", status: "failed", amount: 0, remark: remarkFor(link.code) }),
    );
    expect(failedZero.status).toBe(400);
    const negative = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id: "FT-NEG", amount: -100, remark: remarkFor(link.code) }));
    expect(negative.status).toBe(400);

    const stored = await notificationsOf(bank.id);
    expect(stored).toHaveLength(3);
    expect(stored.every((n) => n.outcome === "rejected" && n.paymentId === null)).toBe(true);
    expect(stored.find((n) => n.providerRef === "FT-ZERO")).toMatchObject({ verifiedBy: "signature", amount: 0, message: (zero.body.error as { message: string }).message });
    expect(stored.find((n) => n.providerRef === "FT-ZERO-FAILED")).toMatchObject({ amount: 0, message: expect.stringMatching(/greater than zero/) });
    // The generic body's own schema refuses a negative amount; its reason is what is kept.
    expect(stored.find((n) => n.providerRef === null)).toMatchObject({ message: expect.stringMatching(/^amount: .*negative/) });
    expect(await paymentsOf(link.invoiceId)).toEqual([]);
    expect((await eventsOf(link.invoiceId)).filter((e) => e.type.startsWith("payment."))).toEqual([]);
  });

  it("from a status lookup: the provider's own answer of 0 is refused just the same", async () => {
    const m = await makeMerchant(t.db());
    const { link } = await setupLink(t.db(), m.ownerActor);
    const wallet = await walletFor(m.ownerActor);
    statuses.set("zc_zero", JSON.stringify({ id: "zc_zero", status: "succeeded", amount: 0, currency: "VND", reference: link.code }));
    const res = await handleProviderNotification(t.db(), wallet.id, callback(JSON.stringify({ id: "zc_zero", amount: 100_000 })));
    expect(res.status).toBe(400);
    expect(lookups).toEqual(["zc_zero"]);
    const [n] = await notificationsOf(wallet.id);
    expect(n).toMatchObject({ outcome: "rejected", verifiedBy: "status", providerRef: "zc_zero", amount: 0, message: expect.stringMatching(/greater than zero/) });
    expect(await paymentsOf(link.invoiceId)).toEqual([]);
  });

  it("the ledger itself takes no payment of zero, whoever calls it", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    await expect(
      recordPayment(t.db(), {
        merchantId: m.merchant.id,
        invoiceId: link.invoiceId,
        serviceId: bank.id,
        providerRef: "FT-LEDGER-ZERO",
        amount: 0,
        currency: "VND",
        method: "bank_transfer",
        status: "succeeded",
      }),
    ).rejects.toMatchObject({ code: "validation_failed", fields: { amount: [expect.stringMatching(/more than zero/)] } });
    expect(await paymentsOf(link.invoiceId)).toEqual([]);
  });
});

describe("card numbers are masked in every stored and shown field", () => {
  const PANS = ["4111111111111111", "5555555555554444", "4012888888881881", "378282246310005", "6011111111111117"];
  /** No card number in `value`, however its digits are grouped. */
  const expectNoPan = (value: unknown) => {
    const text = JSON.stringify(value).replace(/[ -]/g, "");
    for (const pan of PANS) expect(text).not.toContain(pan);
  };

  it("a PAN in the provider's message, a header and the body never reaches the payment, its events, the API, the checkout or the notification", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    const body = {
      id: "FT-PAN",
      status: "failed",
      amount: 100_000,
      remark: remarkFor(link.code),
      payment_method: "card",
      message: "Card 4111 1111 1111 1111 was declined",
      card_number: "5555-5555-5555-4444",
      pan: 4012888888881881,
    };
    const request = signedRequest(bank.id, BANK_SECRET, body);
    request.headers.set("x-card", "378282246310005");
    const res = await handleProviderNotification(t.db(), bank.id, request);
    expect(res.body.outcome).toBe("recorded");

    const [payment] = await paymentsOf(link.invoiceId);
    expect(payment).toMatchObject({ status: "failed", message: "Card [card …1111] was declined" });
    expect(payment!.raw).toMatchObject({ card_number: "[card …4444]", id: "FT-PAN" });
    const [notification] = await notificationsOf(bank.id);
    expect(notification!.headers["x-card"]).toBe("[card …0005]");
    expect(notification!.body).toContain("[card …4444]");

    const [freshLink] = await t.db().select().from(paymentLinks).where(eq(paymentLinks.id, link.id));
    const checkout = await checkoutStatus(t.db(), freshLink!, "en");
    expect(checkout).toMatchObject({ failed: true, failureMessage: "Card [card …1111] was declined" });

    const paymentEvents = (await eventsOf(link.invoiceId)).filter((e) => e.type === "payment.failed");
    expect(paymentEvents).toHaveLength(1);
    expect(paymentEvents[0]!.data).toMatchObject({ payment: { message: "Card [card …1111] was declined" } });
    const webhook = webhookBody(paymentEvents[0]!);
    expect(webhook).toContain("[card …1111]");

    const api = paymentJson(payment!);
    expect(api.message).toBe("Card [card …1111] was declined");

    for (const shown of [payment, notification, checkout, paymentEvents, webhook, api]) expectNoPan(shown);
  });

  it("a PAN in a status lookup's message, an unmatched transfer's remark, a refusal and a person's note is masked too", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    const wallet = await walletFor(m.ownerActor);
    statuses.set("zc_pan", JSON.stringify({ id: "zc_pan", status: "succeeded", amount: 30_000, currency: "VND", reference: link.code, message: "paid by 6011 1111 1111 1117" }));
    expect((await handleProviderNotification(t.db(), wallet.id, callback(JSON.stringify({ id: "zc_pan", card: "4111111111111111" })))).body.outcome).toBe("recorded");

    const unmatched = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id: "FT-PAN-REMARK", amount: 5_000, remark: "the card 4111 1111 1111 1111" }));
    expect(unmatched.body.outcome).toBe("unmatched");

    const refused = await handleProviderNotification(t.db(), bank.id, forged(bank.id, { id: "x", amount: 1, remark: "5555555555554444" }));
    expect(refused.status).toBe(401);

    await recordPayment(t.db(), {
      merchantId: m.merchant.id,
      invoiceId: link.invoiceId,
      serviceId: "manual",
      providerRef: "man_pan",
      amount: 1_000,
      currency: "VND",
      method: "cash",
      status: "succeeded",
      note: "customer read out 4012 8888 8888 1881",
      raw: { pan: "4012888888881881", nested: [{ n: 378282246310005 }] },
    });

    const stored = [...(await paymentsOf(link.invoiceId)), ...(await notificationsOf(wallet.id)), ...(await notificationsOf(bank.id)), ...(await eventsOf(link.invoiceId))];
    expectNoPan(stored);
    const byRef = Object.fromEntries((await paymentsOf(link.invoiceId)).map((p) => [p.providerRef, p]));
    expect(byRef.zc_pan).toMatchObject({ message: "paid by [card …1117]", raw: { card: "[card …1111]" } });
    expect(byRef.man_pan).toMatchObject({ note: "customer read out [card …1881]", raw: { pan: "[card …1881]", nested: [{ n: "[card …0005]" }] } });
    const remark = (await notificationsOf(bank.id)).find((n) => n.providerRef === "FT-PAN-REMARK");
    expect(remark).toMatchObject({ outcome: "unmatched", remark: "the card [card …1111]" });
  });
});

describe("text Postgres refuses (NUL, lone surrogates) is a 400, kept escaped, never a 500", () => {
  it("a NUL written as a JSON escape in a signed body: 400, and the notification is kept with it spelled out", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    const res = await handleProviderNotification(
      t.db(),
      bank.id,
      signedRequest(bank.id, BANK_SECRET, { id: "FT-NUL", amount: 100_000, remark: `${remarkFor(link.code)}\u0000` }),
    );
    expect(res).toMatchObject({ status: 400, body: { error: { code: "bad_request", message: UNSTORABLE_TEXT } } });
    const [n] = await notificationsOf(bank.id);
    expect(n).toMatchObject({ outcome: "rejected", verifiedBy: "signature", providerRef: "FT-NUL", amount: 100_000, remark: `${remarkFor(link.code)}\\u0000` });
    expect(n!.body).toContain("\\u0000");
    expect(await paymentsOf(link.invoiceId)).toEqual([]);
  });

  it("a raw NUL byte, a lone surrogate, a NUL in a forged request and in a header-less callback: each kept, escaped", async () => {
    const m = await makeMerchant(t.db());
    const { bank } = await setupLink(t.db(), m.ownerActor);
    const rawNul = `{"id":"FT-NUL-RAW","amount":1,"remark":"a\u0000b"}`;
    const byte = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, null, { raw: rawNul }));
    expect(byte).toMatchObject({ status: 400, body: { error: { message: UNSTORABLE_TEXT } } });
    const surrogate = await handleProviderNotification(
      t.db(),
      bank.id,
      signedRequest(bank.id, BANK_SECRET, null, { raw: `{"id":"FT-SURROGATE","amount":1,"remark":"x\\ud800y","message":"\\udfff"}` }),
    );
    expect(surrogate).toMatchObject({ status: 400, body: { error: { message: UNSTORABLE_TEXT } } });
    const forgedNul = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, "pss_forged-0000000000", null, { raw: rawNul }));
    expect(forgedNul.status).toBe(401);

    const stored = await notificationsOf(bank.id);
    expect(stored.map((n) => [n.outcome, n.message])).toEqual([
      ["rejected", UNSTORABLE_TEXT],
      ["rejected", UNSTORABLE_TEXT],
      ["rejected", "The signature does not match."],
    ]);
    expect(stored[0]!.body).toBe(`{"id":"FT-NUL-RAW","amount":1,"remark":"a\\u0000b"}`);
    expect(stored[1]).toMatchObject({ providerRef: "FT-SURROGATE", remark: "x\\ud800y" });
    expect(stored[2]!.body).toBe(stored[0]!.body);
    expect(stored.some((n) => JSON.stringify(n).includes("\u0000"))).toBe(false);
  });

  it("over HTTP as the route serves it: 400 JSON, not 500; an unsigned callback with a NUL asks the provider nothing", async () => {
    const m = await makeMerchant(t.db());
    await setupLink(t.db(), m.ownerActor);
    const wallet = await walletFor(m.ownerActor);
    const route = notifyEndpoint(async () => t.db());
    const res = await route(callback(`{"id":"zc_\u0000"}`), { params: Promise.resolve({ serviceId: wallet.id }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "bad_request", message: UNSTORABLE_TEXT } });
    expect(lookups).toEqual([]);
    const [n] = await notificationsOf(wallet.id);
    expect(n).toMatchObject({ outcome: "rejected", body: `{"id":"zc_\\u0000"}` });
  });

  it("a provider's status answer holding a NUL is refused like a callback holding one", async () => {
    const m = await makeMerchant(t.db());
    const { link } = await setupLink(t.db(), m.ownerActor);
    const wallet = await walletFor(m.ownerActor);
    statuses.set("zc_nul_status", JSON.stringify({ id: "zc_nul_status", status: "succeeded", amount: 30_000, reference: link.code, message: "ok\u0000" }));
    const res = await handleProviderNotification(t.db(), wallet.id, callback(JSON.stringify({ id: "zc_nul_status" })));
    expect(res).toMatchObject({ status: 400, body: { error: { message: UNSTORABLE_TEXT } } });
    const [n] = await notificationsOf(wallet.id);
    expect(n).toMatchObject({ outcome: "rejected", verifiedBy: "status", providerRef: "zc_nul_status" });
    expect(await paymentsOf(link.invoiceId)).toEqual([]);
  });

  it("a callback nested deeper than Postgres parses jsonb is still recorded, its body kept as text", async () => {
    const m = await makeMerchant(t.db());
    const { link } = await setupLink(t.db(), m.ownerActor);
    const wallet = await walletFor(m.ownerActor);
    statuses.set("zc_deep", JSON.stringify({ id: "zc_deep", status: "succeeded", amount: 30_000, currency: "VND", reference: link.code }));
    const deep = `{"id":"zc_deep","x":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    const res = await handleProviderNotification(t.db(), wallet.id, callback(deep));
    expect(res.body.outcome).toBe("recorded");
    // Read as Postgres holds it (drizzle would parse a JSON string back into the deep value).
    const rows = await t.db().execute(
      sql`select amount::text, jsonb_typeof(raw) as kind, raw #>> '{}' as text from payments where invoice_id = ${link.invoiceId}`,
    );
    expect(rowsOf(rows)).toEqual([{ amount: "30000", kind: "string", text: deep }]);
  });
});

describe("a connector that throws on what it was sent", () => {
  it("has refused it: 400, kept as rejected, never a 500", async () => {
    const m = await makeMerchant(t.db());
    await setupLink(t.db(), m.ownerActor);
    const wallet = await walletFor(m.ownerActor);
    const spy = vi.spyOn(connectors.redirect, "verifyNotification").mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'Data')");
    });
    try {
      const res = await handleProviderNotification(t.db(), wallet.id, callback("{}"));
      expect(res).toMatchObject({ status: 400, body: { error: { code: "bad_request", message: "The notification could not be read." } } });
    } finally {
      spy.mockRestore();
    }
    const [n] = await notificationsOf(wallet.id);
    expect(n).toMatchObject({ outcome: "rejected", message: "The notification could not be read.", body: "{}" });
  });
});

describe("a turned-off service records nothing: its notifications are kept as rejected", () => {
  it("an authentic notification to a turned-off bank account: 403, rejected with its facts, no payment", async () => {
    const m = await makeMerchant(t.db());
    const { link, bank } = await setupLink(t.db(), m.ownerActor);
    await setServiceEnabled(t.db(), m.ownerActor, { serviceId: bank.id, enabled: false });
    const res = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id: "FT-OFF", amount: 100_000, remark: remarkFor(link.code) }));
    expect(res).toMatchObject({ status: 403, body: { error: { message: SERVICE_TURNED_OFF } } });
    const forgedOff = await handleProviderNotification(t.db(), bank.id, forged(bank.id, { id: "FT-OFF-2", amount: 100_000, remark: remarkFor(link.code) }));
    expect(forgedOff.status).toBe(401);
    const stored = await notificationsOf(bank.id);
    expect(stored.map((n) => [n.outcome, n.message])).toEqual([
      ["rejected", SERVICE_TURNED_OFF],
      ["rejected", "The signature does not match."],
    ]);
    expect(stored[0]).toMatchObject({ verifiedBy: "signature", providerRef: "FT-OFF", amount: 100_000, paymentId: null });
    expect(await paymentsOf(link.invoiceId)).toEqual([]);
    const [invoice] = await t.db().select().from(invoices).where(eq(invoices.id, link.invoiceId));
    expect(invoice).toMatchObject({ paidAmount: 0, paymentStatus: "unpaid" });

    // Turned on again, the provider's retry is recorded.
    await setServiceEnabled(t.db(), m.ownerActor, { serviceId: bank.id, enabled: true });
    const retry = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id: "FT-OFF", amount: 100_000, remark: remarkFor(link.code) }));
    expect(retry.body.outcome).toBe("recorded");
  });

  it("an unsigned callback to a turned-off service asks its provider nothing", async () => {
    const m = await makeMerchant(t.db());
    const { link } = await setupLink(t.db(), m.ownerActor);
    const wallet = await walletFor(m.ownerActor);
    await setServiceEnabled(t.db(), m.ownerActor, { serviceId: wallet.id, enabled: false });
    statuses.set("zc_off", JSON.stringify({ id: "zc_off", status: "succeeded", amount: 30_000, reference: link.code }));
    const res = await handleProviderNotification(t.db(), wallet.id, callback(JSON.stringify({ id: "zc_off" })));
    expect(res.status).toBe(403);
    expect(lookups).toEqual([]);
    const [n] = await notificationsOf(wallet.id);
    expect(n).toMatchObject({ outcome: "rejected", providerRef: "zc_off", verifiedBy: null, message: SERVICE_TURNED_OFF });
    expect(await paymentsOf(link.invoiceId)).toEqual([]);
  });
});

describe("refused notifications are capped per service (rate and retention)", () => {
  const refusedRow = (m: { merchant: { id: string } }, serviceId: string, createdAt: Date, extra: Partial<typeof providerNotifications.$inferInsert> = {}) => ({
    id: newId("ntf"),
    merchantId: m.merchant.id,
    serviceId,
    headers: {},
    body: "{}",
    outcome: "rejected" as const,
    message: "The signature does not match.",
    createdAt,
    ...extra,
  });
  const countOf = async (serviceId: string, outcome = "rejected") => (await notificationsOf(serviceId)).filter((n) => n.outcome === outcome).length;

  it(`a burst of concurrent forged requests stores at most ${REFUSED_PER_MINUTE} a minute; each is still answered 401; others are not held up`, async () => {
    if (!onServerPostgres()) console.warn("on PGlite the burst runs one statement at a time; run with DATABASE_URL for real concurrency");
    const m = await makeMerchant(t.db());
    const { link, bank, sandbox } = await setupLink(t.db(), m.ownerActor);
    const burst = await Promise.all(
      Array.from({ length: REFUSED_PER_MINUTE * 3 }, (_, i) => handleProviderNotification(t.db(), bank.id, forged(bank.id, { id: `FORGED-${i}`, amount: 1, remark: "x" }))),
    );
    expect(burst.every((r) => r.status === 401 && r.body.error !== undefined)).toBe(true);
    expect(await countOf(bank.id)).toBe(REFUSED_PER_MINUTE);

    // The cap is per service, and only on refusals: the real notification is recorded and stored.
    expect((await handleProviderNotification(t.db(), sandbox.id, forged(sandbox.id, { id: "S", amount: 1, reference: link.code }))).status).toBe(401);
    expect(await countOf(sandbox.id)).toBe(1);
    const real = await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, BANK_SECRET, { id: "FT-REAL", amount: 100_000, remark: remarkFor(link.code) }));
    expect(real.body.outcome).toBe("recorded");
    expect(await countOf(bank.id, "recorded")).toBe(1);
  });

  it("the minute rolls on; the day's cap holds however slowly they come", async () => {
    const m = await makeMerchant(t.db());
    const { bank } = await setupLink(t.db(), m.ownerActor);
    const now = Date.now();
    await t.db().insert(providerNotifications).values(Array.from({ length: REFUSED_PER_MINUTE }, () => refusedRow(m, bank.id, new Date(now - 90_000))));
    await handleProviderNotification(t.db(), bank.id, forged(bank.id, { id: "F1", amount: 1, remark: "x" }));
    expect(await countOf(bank.id)).toBe(REFUSED_PER_MINUTE + 1);

    const filler = REFUSED_PER_DAY - REFUSED_PER_MINUTE - 1;
    await t.db().insert(providerNotifications).values(Array.from({ length: filler }, (_, i) => refusedRow(m, bank.id, new Date(now - 2 * 60_000 - i * 60_000))));
    expect(await countOf(bank.id)).toBe(REFUSED_PER_DAY);
    const over = await handleProviderNotification(t.db(), bank.id, forged(bank.id, { id: "F2", amount: 1, remark: "x" }));
    expect(over.status).toBe(401);
    expect(await countOf(bank.id)).toBe(REFUSED_PER_DAY);
  });

  it("a failed status lookup of an unsigned callback counts as refused; a verified error does not", async () => {
    const m = await makeMerchant(t.db());
    await setupLink(t.db(), m.ownerActor);
    const wallet = await walletFor(m.ownerActor);
    const now = new Date();
    await t.db().insert(providerNotifications).values([
      ...Array.from({ length: REFUSED_PER_MINUTE - 1 }, () => refusedRow(m, wallet.id, now, { outcome: "error", message: "The provider answered 404." })),
      refusedRow(m, wallet.id, now, { outcome: "error", verifiedBy: "status", message: "A verified payment that failed to record." }),
    ]);
    const first = await handleProviderNotification(t.db(), wallet.id, callback(JSON.stringify({ id: "zc_made_up_1" })));
    expect(first.status).toBe(502);
    expect(await countOf(wallet.id, "error")).toBe(REFUSED_PER_MINUTE + 1);
    const second = await handleProviderNotification(t.db(), wallet.id, callback(JSON.stringify({ id: "zc_made_up_2" })));
    expect(second.status).toBe(502);
    expect(await countOf(wallet.id, "error")).toBe(REFUSED_PER_MINUTE + 1);
    expect(lookups).toEqual(["zc_made_up_1", "zc_made_up_2"]);
  });

  it(`a refused body is kept up to ${REFUSED_BODY_CHARS} characters`, async () => {
    const m = await makeMerchant(t.db());
    const { bank } = await setupLink(t.db(), m.ownerActor);
    const big = JSON.stringify({ id: "BIG", amount: 1, remark: "x", pad: "a".repeat(40_000) });
    expect((await handleProviderNotification(t.db(), bank.id, signedRequest(bank.id, "pss_forged-big-000000", null, { raw: big }))).status).toBe(401);
    const [n] = await notificationsOf(bank.id);
    expect(n!.body.startsWith(big.slice(0, REFUSED_BODY_CHARS))).toBe(true);
    expect(n!.body).toBe(`${big.slice(0, REFUSED_BODY_CHARS)}…[truncated: ${Buffer.byteLength(big)} bytes in all]`);
  });

  it(`the sweep deletes refused notifications older than ${REFUSED_RETENTION_DAYS} days, and nothing else`, async () => {
    const m = await makeMerchant(t.db());
    const { bank } = await setupLink(t.db(), m.ownerActor);
    const now = new Date();
    const day = 24 * 60 * 60_000;
    const old = new Date(now.getTime() - REFUSED_RETENTION_DAYS * day - 60_000);
    const young = new Date(now.getTime() - REFUSED_RETENTION_DAYS * day + 60_000);
    const rows = [
      refusedRow(m, bank.id, old, { message: "old rejected 1" }),
      refusedRow(m, bank.id, old, { message: "old rejected 2" }),
      refusedRow(m, bank.id, old, { message: "old rejected 3" }),
      refusedRow(m, bank.id, old, { outcome: "error", message: "old unverified error" }),
      refusedRow(m, bank.id, young, { message: "young rejected" }),
      refusedRow(m, bank.id, old, { outcome: "error", verifiedBy: "signature", message: "old verified error" }),
      refusedRow(m, bank.id, old, { outcome: "unmatched", verifiedBy: "signature", message: "old unmatched" }),
      refusedRow(m, bank.id, old, { outcome: "ignored", verifiedBy: "signature", message: "old ignored" }),
    ];
    await t.db().insert(providerNotifications).values(rows);
    // A small batch, so the sweep's loop runs more than once.
    const deleted = await sweepRefusedNotifications(t.db(), now, 2);
    expect(deleted).toBe(4);
    const left = await t.db().select({ message: providerNotifications.message }).from(providerNotifications).where(and(eq(providerNotifications.serviceId, bank.id)));
    expect(left.map((r) => r.message).sort()).toEqual(["old ignored", "old unmatched", "old verified error", "young rejected"]);
    expect(await sweepRefusedNotifications(t.db(), now)).toBe(0);
  });
});
