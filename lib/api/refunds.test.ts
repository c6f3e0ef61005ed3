import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as invoiceRoute from "@/app/api/v1/invoices/[id]/route";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import * as paymentRefundsRoute from "@/app/api/v1/payments/[id]/refunds/route";
import * as paymentsRoute from "@/app/api/v1/payments/route";
import * as refundRoute from "@/app/api/v1/refunds/[id]/route";
import * as refundsRoute from "@/app/api/v1/refunds/route";
import { refunds } from "@/db/schema";
import type { RouteHandler } from "@/lib/api/operation";
import type { Actor } from "@/lib/auth/roles";
import { listServices } from "@/lib/payment-services/services";
import { recordManualPayment } from "@/lib/payments/manual";
import { recordPayment } from "@/lib/payments/record";
import { call, type Credentials, databaseSnapshot, makeApiKey, useApiTestDb } from "@/test/api";
import { makeInvoice, makeMerchant } from "@/test/factories";

const { db } = useApiTestDb();

let shop: Awaited<ReturnType<typeof makeMerchant>>;
let owner: Actor;
let sandboxId: string;
const keys: Record<"full" | "support" | "viewer", Credentials> = {} as never;

beforeAll(async () => {
  shop = await makeMerchant(db(), "Refund Store");
  owner = shop.ownerActor;
  sandboxId = (await listServices(db(), owner.merchantId)).find((s) => s.kind === "sandbox")!.id;
  keys.full = await makeApiKey(db(), owner, "Order system");
  keys.support = await makeApiKey(db(), owner, "Helpdesk", "support");
  keys.viewer = await makeApiKey(db(), owner, "Reporting", "viewer");
});

/** Calls the route with the full-access key and checks the answer against the operation's documented shape. */
async function ok(handler: RouteHandler, path: string, opts: Parameters<typeof call>[3] = {}, creds = keys.full) {
  const res = await call(handler, path, creds, opts);
  expect(res.status, res.text).toBe(handler.operation.status ?? 200);
  const parsed = handler.operation.response.safeParse(res.json);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return res.json;
}

let seq = 0;
/** A card payment through the sandbox on a new invoice of `actor`'s space: what the customer paid at checkout. */
async function cardPayment(actor: Actor = owner, amount = 10_000, serviceId = sandboxId) {
  const invoice = await makeInvoice(db(), actor, { amount });
  const { payment } = await recordPayment(db(), {
    merchantId: actor.merchantId,
    invoiceId: invoice.id,
    serviceId,
    providerRef: `card-${seq++}`,
    amount,
    currency: "USD",
    method: "card",
    status: "succeeded",
  });
  return { invoiceId: invoice.id, paymentId: payment.id };
}

const refundsOf = async (paymentId: string) => db().select().from(refunds).where(eq(refunds.paymentId, paymentId));
const refund = (paymentId: string, body: unknown, creds = keys.full, headers: Record<string, string> = {}) =>
  call(paymentRefundsRoute.POST, `/payments/${paymentId}/refunds`, creds, { body, headers });

describe("refunding a payment", () => {
  it("refunds part of a sandbox card payment with a test key; the refund reads back and the invoice shows it", async () => {
    const invoice = await ok(invoicesRoute.POST, "/invoices", {
      body: { currency: "USD", items: [{ name: "Espresso machine", unit_price: 10_000, quantity: 1 }], customer: { name: "Minh" } },
    });
    await recordPayment(db(), {
      merchantId: owner.merchantId, invoiceId: invoice.id, serviceId: sandboxId, providerRef: `card-${seq++}`, amount: 10_000, currency: "USD", method: "card", status: "succeeded",
    });
    // The payment id a client has: the invoice's payments[].id.
    const paymentId = (await ok(invoiceRoute.GET, `/invoices/${invoice.id}`)).payments[0].id;
    expect(paymentId).toMatch(/^pay_/);

    const created = await ok(paymentRefundsRoute.POST, `/payments/${paymentId}/refunds`, { body: { amount: 2_500, reason: "One cup arrived chipped" } });
    expect(created).toMatchObject({
      livemode: false,
      payment_id: paymentId,
      invoice_id: invoice.id,
      amount: 2_500,
      currency: "USD",
      reason: "One cup arrived chipped",
      status: "succeeded",
      manual: false,
      failure_message: null,
    });
    expect(created.id).toMatch(/^re_/);
    expect(created.provider_ref).toMatch(/^sbr_/);
    expect(created.settled_at).not.toBeNull();

    expect(await ok(refundRoute.GET, `/refunds/${created.id}`)).toEqual(created);
    const after = await ok(invoiceRoute.GET, `/invoices/${invoice.id}`);
    expect(after).toMatchObject({ payment_status: "paid", paid_amount: 10_000, refunded_amount: 2_500, net_amount: 7_500 });
    expect(after.payments[0].refunded_amount).toBe(2_500);
  });

  it("an amount left out refunds everything still refundable", async () => {
    const { paymentId } = await cardPayment(owner, 4_000);
    await ok(paymentRefundsRoute.POST, `/payments/${paymentId}/refunds`, { body: { amount: 1_000, reason: "Partial" } });
    const rest = await ok(paymentRefundsRoute.POST, `/payments/${paymentId}/refunds`, { body: { reason: "The rest" } });
    expect([rest.amount, rest.status]).toEqual([3_000, "succeeded"]);
    const none = await refund(paymentId, { reason: "Again" });
    expect([none.status, none.json.error.fields]).toEqual([422, { amount: ["Nothing is left to refund on this payment."] }]);
  });

  it("simulate: fail gives a failed refund, and its amount is refundable again", async () => {
    const { invoiceId, paymentId } = await cardPayment(owner, 3_000);
    const failed = await ok(paymentRefundsRoute.POST, `/payments/${paymentId}/refunds`, { body: { amount: 3_000, reason: "Try the failure", simulate: "fail" } });
    expect([failed.status, failed.failure_message, failed.amount]).toEqual(["failed", "The sandbox declined this refund, as asked.", 3_000]);
    expect((await ok(invoiceRoute.GET, `/invoices/${invoiceId}`)).refunded_amount).toBe(0);
    const again = await ok(paymentRefundsRoute.POST, `/payments/${paymentId}/refunds`, { body: { reason: "For real", simulate: "succeed" } });
    expect([again.status, again.amount]).toEqual(["succeeded", 3_000]);
  });

  it("money that came outside a gateway is recorded with the transfer's reference, which is required", async () => {
    const invoice = await makeInvoice(db(), owner, { amount: 20_000 });
    const { payment } = await recordManualPayment(db(), owner, { invoiceId: invoice.id, amount: 20_000, method: "bank_transfer", reference: `FT-${seq++}` });
    const missing = await refund(payment.id, { amount: 5_000, reason: "Overcharged" });
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.json.error.fields)).toEqual(["reference"]);
    expect(missing.json.error.fields.reference[0]).toMatch(/reference of the transfer/);
    const recorded = await ok(paymentRefundsRoute.POST, `/payments/${payment.id}/refunds`, { body: { amount: 5_000, reason: "Overcharged", reference: "FT-BACK-1" } });
    expect(recorded).toMatchObject({ status: "succeeded", manual: true, provider_ref: "FT-BACK-1", amount: 5_000 });
    // A sandbox-only option on a transfer's refund is a field error too.
    const simulated = await refund(payment.id, { amount: 100, reason: "x", reference: "FT-BACK-2", simulate: "fail" });
    expect([simulated.status, simulated.json.error.fields]).toEqual([422, { simulate: ["Only a sandbox payment's refund can be simulated."] }]);
  });
});

describe("what is refused, with nothing written", () => {
  it("says which fields need attention, in the API's names: a missing reason, an unknown field, a bad amount", async () => {
    const { paymentId } = await cardPayment(owner, 5_000);
    const before = await databaseSnapshot(db());
    const res = await refund(paymentId, { amount: -5, colour: "red", simulate: "maybe" });
    expect([res.status, res.json.error.code]).toEqual([422, "validation_failed"]);
    expect(Object.keys(res.json.error.fields).sort()).toEqual(["amount", "colour", "reason", "simulate"]);
    expect(res.json.error.fields.reason).toEqual(["Say why the money goes back."]);
    expect(res.json.error.fields.colour).toEqual(["Unknown field: leave it out."]);
    const fractional = await refund(paymentId, { amount: 12.5, reason: "Half a cent" });
    expect(fractional.json.error.fields).toEqual({ amount: ["Amounts are whole numbers of the currency's smallest unit."] });
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("an amount over what is left names the most that can go back", async () => {
    const { paymentId } = await cardPayment(owner, 5_000);
    await ok(paymentRefundsRoute.POST, `/payments/${paymentId}/refunds`, { body: { amount: 2_000, reason: "Partial" } });
    const before = await databaseSnapshot(db());
    const over = await refund(paymentId, { amount: 3_001, reason: "Too much" });
    expect([over.status, over.json.error.fields]).toEqual([422, { amount: ["At most $30.00 can be refunded on this payment."] }]);
    expect(await databaseSnapshot(db())).toEqual(before);
    expect((await refundsOf(paymentId)).map((r) => r.amount)).toEqual([2_000]);
  });

  it("support and read-only keys are forbidden, even with an Idempotency-Key, and nothing is written", async () => {
    const { paymentId } = await cardPayment(owner, 2_000);
    const before = await databaseSnapshot(db());
    for (const [access, key] of [["support", keys.support], ["read only", keys.viewer]] as const) {
      const res = await refund(paymentId, { amount: 500, reason: access }, key, { "idempotency-key": `refund-${access}` });
      expect([res.status, res.json.error.code, res.json.error.message]).toEqual([403, "forbidden", `This API key's access (${access}) does not allow this.`]);
      // Both still read refunds.
      expect((await call(refundsRoute.GET, `/refunds?payment_id=${paymentId}`, key)).status).toBe(200);
    }
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("another merchant's payment and refund are not found, and untouched", async () => {
    const other = await makeMerchant(db(), "Other Store");
    const otherSandbox = (await listServices(db(), other.merchant.id)).find((s) => s.kind === "sandbox")!.id;
    const theirs = await cardPayment(other.ownerActor, 2_000, otherSandbox);
    const otherKey = await makeApiKey(db(), other.ownerActor);
    const theirRefund = (await refund(theirs.paymentId, { amount: 500, reason: "Theirs" }, otherKey)).json;

    const res = await refund(theirs.paymentId, { amount: 500, reason: "Mine?" });
    expect([res.status, res.json.error]).toEqual([404, { code: "not_found", message: "Payment not found." }]);
    expect((await call(refundRoute.GET, `/refunds/${theirRefund.id}`, keys.full)).status).toBe(404);
    const listed = await call(refundsRoute.GET, `/refunds?payment_id=${theirs.paymentId}`, keys.full);
    expect(listed.json.data).toEqual([]);
    expect((await refundsOf(theirs.paymentId)).map((r) => r.amount)).toEqual([500]);
  });

  it("an unknown payment or refund is 404; a payment request's id says which id to use", async () => {
    expect((await refund("pay_nothing", { reason: "x" })).status).toBe(404);
    // The command's `paymentId` is the path's `{id}`.
    const blank = await refund("%20", { reason: "x" });
    expect([blank.status, blank.json.error.fields]).toEqual([422, { id: ["Choose a payment."] }]);
    expect((await call(refundRoute.GET, "/refunds/re_nothing", keys.full)).json.error.code).toBe("not_found");
    const request = await ok(paymentsRoute.POST, "/payments", { body: { payment_method: "bank_transfer", amount: 5_000, reference_id: "REF-REQ-1" } });
    const wrongId = await refund(request.payment_request_id, { reason: "x" });
    expect(wrongId.status).toBe(404);
    expect(wrongId.json.error.message).toMatch(/payment request's id: refund one of its payments/);
  });

  it("a live key cannot simulate: a field error, before any payment is read", async () => {
    const live = await makeApiKey(db(), shop.inMode(owner, true));
    const liveOwner = shop.inMode(owner, true);
    const invoice = await makeInvoice(db(), liveOwner, { amount: 1_000 });
    const { payment } = await recordManualPayment(db(), liveOwner, { invoiceId: invoice.id, amount: 1_000, method: "cash" });
    const before = await databaseSnapshot(db());
    for (const id of [payment.id, "pay_nothing"]) {
      const res = await refund(id, { reason: "Test", reference: "CASH-BACK", simulate: "succeed" }, live);
      expect([res.status, res.json.error.fields], id).toEqual([422, { simulate: ["Only test mode's sandbox simulates a refund: leave simulate out with a live key."] }]);
    }
    expect(await databaseSnapshot(db())).toEqual(before);
    const made = await ok(paymentRefundsRoute.POST, `/payments/${payment.id}/refunds`, { body: { reason: "Returned", reference: "CASH-BACK" } }, live);
    expect([made.livemode, made.status, made.amount]).toEqual([true, "succeeded", 1_000]);
  });
});

describe("Idempotency-Key", () => {
  it("the same key twice returns the same refund and makes one; with another body it is a conflict", async () => {
    const { paymentId } = await cardPayment(owner, 6_000);
    const body = { amount: 1_000, reason: "Retried by the client" };
    const first = await refund(paymentId, body, keys.full, { "idempotency-key": "refund-once" });
    expect(first.status).toBe(201);
    const second = await refund(paymentId, body, keys.full, { "idempotency-key": "refund-once" });
    expect([second.status, second.headers.get("idempotent-replayed"), second.text]).toEqual([201, "true", first.text]);
    expect((await refundsOf(paymentId)).map((r) => r.id)).toEqual([first.json.id]);

    const other = await refund(paymentId, { ...body, amount: 2_000 }, keys.full, { "idempotency-key": "refund-once" });
    expect([other.status, other.json.error.code]).toEqual([409, "idempotency_conflict"]);
    expect(await refundsOf(paymentId)).toHaveLength(1);
  });
});

describe("listing refunds", () => {
  let key: Credentials;
  const made: Record<string, { id: string; payment_id: string; invoice_id: string; status: string; created_at: string }> = {};
  let payments: { a: { invoiceId: string; paymentId: string }; b: { invoiceId: string; paymentId: string } };

  beforeAll(async () => {
    const lister = await makeMerchant(db(), "Lister");
    const sandbox = (await listServices(db(), lister.merchant.id)).find((s) => s.kind === "sandbox")!.id;
    key = await makeApiKey(db(), lister.ownerActor);
    payments = { a: await cardPayment(lister.ownerActor, 10_000, sandbox), b: await cardPayment(lister.ownerActor, 10_000, sandbox) };
    const make = async (name: string, paymentId: string, body: Record<string, unknown>) => {
      made[name] = await ok(paymentRefundsRoute.POST, `/payments/${paymentId}/refunds`, { body: { reason: name, ...body } }, key);
    };
    await make("a1", payments.a.paymentId, { amount: 1_000 });
    await make("a2", payments.a.paymentId, { amount: 2_000, simulate: "fail" });
    await make("a3", payments.a.paymentId, { amount: 3_000 });
    await make("b1", payments.b.paymentId, { amount: 4_000 });
    await make("b2", payments.b.paymentId, { amount: 500, simulate: "fail" });
    // One made on another day, to pin the date filters to days.
    await db().update(refunds).set({ createdAt: new Date("2026-01-15T23:59:59.000Z") }).where(eq(refunds.id, made.a1!.id));
    made.a1 = await ok(refundRoute.GET, `/refunds/${made.a1!.id}`, {}, key);
  });

  const ids = async (query: string) => (await ok(refundsRoute.GET, `/refunds${query}`, {}, key)).data.map((r: { id: string }) => r.id);
  const idsOf = (...names: string[]) => names.map((n) => made[n]!.id);

  it("lists every refund newest first, and filters by payment, invoice and status", async () => {
    expect(await ids("")).toEqual(idsOf("b2", "b1", "a3", "a2", "a1"));
    expect(await ids(`?payment_id=${payments.a.paymentId}`)).toEqual(idsOf("a3", "a2", "a1"));
    expect(await ids(`?invoice_id=${payments.b.invoiceId}`)).toEqual(idsOf("b2", "b1"));
    expect(await ids("?status=failed")).toEqual(idsOf("b2", "a2"));
    expect(await ids(`?status=succeeded&payment_id=${payments.b.paymentId}`)).toEqual(idsOf("b1"));
    expect(await ids("?status=pending")).toEqual([]);
  });

  it("filters by the day it was made (UTC), both ends included", async () => {
    expect(made.a1!.created_at).toBe("2026-01-15T23:59:59.000Z");
    expect(await ids("?created_from=2026-01-15&created_to=2026-01-15")).toEqual(idsOf("a1"));
    expect(await ids("?created_to=2026-01-15")).toEqual(idsOf("a1"));
    expect(await ids("?created_to=2026-01-14")).toEqual([]);
    expect(await ids("?created_from=2026-01-16")).toEqual(idsOf("b2", "b1", "a3", "a2"));
  });

  it("pages with limit and starting_after", async () => {
    const first = await ok(refundsRoute.GET, "/refunds?limit=2", {}, key);
    expect([first.object, first.data.map((r: { id: string }) => r.id), first.has_more]).toEqual(["list", idsOf("b2", "b1"), true]);
    const second = await ok(refundsRoute.GET, `/refunds?limit=2&starting_after=${first.data[1].id}`, {}, key);
    expect([second.data.map((r: { id: string }) => r.id), second.has_more]).toEqual([idsOf("a3", "a2"), true]);
    const last = await ok(refundsRoute.GET, `/refunds?limit=2&starting_after=${second.data[1].id}`, {}, key);
    expect([last.data.map((r: { id: string }) => r.id), last.has_more]).toEqual([idsOf("a1"), false]);
    expect(await ids(`?status=failed&limit=1&starting_after=${made.b2!.id}`)).toEqual(idsOf("a2"));
  });

  it("refuses unknown filters and values, and a cursor that is not one of its refunds", async () => {
    const bad = await call(refundsRoute.GET, "/refunds?status=refunded&created_from=2026-02-30&limit=0&colour=red", key);
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(["colour", "created_from", "limit", "status"]);
    const cursor = await call(refundsRoute.GET, `/refunds?starting_after=${made.a1!.payment_id}`, key);
    expect([cursor.status, cursor.json.error.fields]).toEqual([422, { starting_after: ["No refund has this id."] }]);
    const theirs = await call(refundsRoute.GET, `/refunds?starting_after=${made.a1!.id}`, keys.full);
    expect(theirs.status).toBe(422);
  });

  it("never shows another merchant's refunds", async () => {
    const mine = await ok(refundsRoute.GET, "/refunds?limit=100");
    const theirIds = new Set(Object.values(made).map((r) => r.id));
    expect(mine.data.filter((r: { id: string }) => theirIds.has(r.id))).toEqual([]);
    const stored = await db().select({ id: refunds.id }).from(refunds).where(inArray(refunds.id, [...theirIds]));
    expect(stored).toHaveLength(5);
  });
});
