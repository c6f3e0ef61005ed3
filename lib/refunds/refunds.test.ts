import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, payments } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { recomputeRollups, storedRollups } from "@/lib/dashboard/rollups";
import { AppError } from "@/lib/errors";
import { invoiceEvents } from "@/lib/invoices/queries";
import { listServices } from "@/lib/payment-services/services";
import { recordManualPayment } from "@/lib/payments/manual";
import { recordPayment } from "@/lib/payments/record";
import { useTestDb } from "@/test/db";
import { makeInvoice, makeMerchant } from "@/test/factories";
import { settleRefund } from "./ledger";
import { refundRouteOfService, refundsOfInvoice } from "./queries";
import { createRefund } from "./refunds";

const { db } = useTestDb();

let owner: Actor;
let sandboxId: string;
let shop: Awaited<ReturnType<typeof makeMerchant>>;
beforeAll(async () => {
  shop = await makeMerchant(db());
  owner = shop.ownerActor;
  sandboxId = (await listServices(db(), owner.merchantId)).find((s) => s.kind === "sandbox")!.id;
});

let ref = 0;
/** A card payment through the sandbox on a new invoice. */
async function cardPayment(amount = 10_000, invoiceAmount = amount) {
  const inv = await makeInvoice(db(), owner, { amount: invoiceAmount });
  const { payment } = await recordPayment(db(), {
    merchantId: owner.merchantId,
    invoiceId: inv.id,
    serviceId: sandboxId,
    providerRef: `card-${ref++}`,
    amount,
    currency: "USD",
    method: "card",
    status: "succeeded",
  });
  return { invoiceId: inv.id, payment };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => "accepted",
    (e: unknown) => (e instanceof AppError ? { code: e.code, fields: e.fields } : `unexpected: ${String(e)}`),
  );

const timeline = async (invoiceId: string) => (await invoiceEvents(db(), { merchantId: owner.merchantId, invoiceId })).map((e) => e.type);

describe("refunding a sandbox card payment (test mode)", () => {
  it("refunds part at once: the invoice keeps its status and shows refunded and net", async () => {
    const { invoiceId, payment } = await cardPayment(10_000);
    const r = await createRefund(db(), owner, { paymentId: payment.id, amount: "25.00", reason: "Damaged in transit" });
    expect([r.refund.status, r.refund.amount, r.refund.reason]).toEqual(["succeeded", 2_500, "Damaged in transit"]);
    expect([r.invoice.paymentStatus, r.invoice.paidAmount, r.invoice.refundedAmount]).toEqual(["paid", 10_000, 2_500]);
    expect([r.payment.refundedAmount, r.payment.refundPendingAmount]).toEqual([2_500, 0]);
    expect(await timeline(invoiceId)).toEqual(["invoice.created", "payment.succeeded", "invoice.paid", "refund.created", "refund.succeeded"]);
  });

  it("an amount left out refunds everything still refundable; then nothing is left", async () => {
    const { payment } = await cardPayment(4_000);
    await createRefund(db(), owner, { paymentId: payment.id, amount: 1_000, reason: "Partial" });
    const rest = await createRefund(db(), owner, { paymentId: payment.id, reason: "The rest" });
    expect([rest.refund.amount, rest.invoice.refundedAmount]).toEqual([3_000, 4_000]);
    expect(await failure(createRefund(db(), owner, { paymentId: payment.id, reason: "Again" }))).toEqual({
      code: "validation_failed",
      fields: { amount: ["Nothing is left to refund on this payment."] },
    });
  });

  it("refuses more than is left, naming the most it can be, and writes nothing", async () => {
    const { invoiceId, payment } = await cardPayment(5_000);
    await createRefund(db(), owner, { paymentId: payment.id, amount: 2_000, reason: "Partial" });
    expect(await failure(createRefund(db(), owner, { paymentId: payment.id, amount: 3_001, reason: "Too much" }))).toEqual({
      code: "validation_failed",
      fields: { amount: ["At most $30.00 can be refunded on this payment."] },
    });
    expect((await refundsOfInvoice(db(), { merchantId: owner.merchantId, invoiceId })).map((r) => r.amount)).toEqual([2_000]);
  });

  it("a refund the sandbox is told to fail ends failed and gives its amount back", async () => {
    const { invoiceId, payment } = await cardPayment(3_000);
    const r = await createRefund(db(), owner, { paymentId: payment.id, amount: 3_000, reason: "Try a failure", simulate: "fail" });
    expect([r.refund.status, r.refund.failureMessage]).toEqual(["failed", "The sandbox declined this refund, as asked."]);
    expect([r.invoice.refundedAmount, r.payment.refundedAmount, r.payment.refundPendingAmount]).toEqual([0, 0, 0]);
    expect((await timeline(invoiceId)).slice(-2)).toEqual(["refund.created", "refund.failed"]);
    // The whole amount is refundable again.
    expect((await createRefund(db(), owner, { paymentId: payment.id, reason: "For real" })).refund.amount).toBe(3_000);
  });

  it("a failed or processing payment cannot be refunded", async () => {
    const inv = await makeInvoice(db(), owner, { amount: 1_000 });
    const { payment } = await recordPayment(db(), {
      merchantId: owner.merchantId, invoiceId: inv.id, serviceId: sandboxId, providerRef: `declined-${ref++}`, amount: 1_000, currency: "USD", method: "card", status: "failed",
    });
    expect(await failure(createRefund(db(), owner, { paymentId: payment.id, amount: 500, reason: "No" }))).toMatchObject({ code: "conflict" });
  });

  it("a gateway's refund takes no transfer reference", async () => {
    const { payment } = await cardPayment(1_000);
    expect(await failure(createRefund(db(), owner, { paymentId: payment.id, amount: 100, reason: "x", reference: "FT-1" }))).toEqual({
      code: "validation_failed",
      fields: { reference: ["Leave the reference out: Sandbox refunds this payment and gives the refund its own reference."] },
    });
  });

  it("field errors come back together, and simulate is only for the sandbox", async () => {
    const { payment } = await cardPayment(1_000);
    expect(await failure(createRefund(db(), owner, { paymentId: payment.id, amount: "abc", reason: " " }))).toMatchObject({
      code: "validation_failed",
      fields: { reason: ["Say why the money goes back."] },
    });
    // A form's emptied amount is not "everything": it is refused, and nothing goes back.
    expect(await failure(createRefund(db(), owner, { paymentId: payment.id, amount: " ", reason: "Blank" }))).toEqual({
      code: "validation_failed",
      fields: { amount: ["Enter an amount."] },
    });
    expect((await db().select().from(payments).where(eq(payments.id, payment.id)))[0]!.refundedAmount).toBe(0);
    const manual = await makeInvoice(db(), owner, { amount: 1_000 });
    const cash = await recordManualPayment(db(), owner, { invoiceId: manual.id, amount: 1_000, method: "cash" });
    expect(await failure(createRefund(db(), owner, { paymentId: cash.payment.id, amount: 100, reason: "x", reference: "R1", simulate: "fail" }))).toEqual({
      code: "validation_failed",
      fields: { simulate: ["Only a sandbox payment's refund can be simulated."] },
    });
  });
});

describe("the refund form's route", () => {
  it("is the sandbox's for a sandbox payment, and by hand for one recorded by hand", async () => {
    const { payment } = await cardPayment(1_000);
    expect(await refundRouteOfService(db(), { merchantId: owner.merchantId, serviceId: payment.serviceId })).toEqual({ route: "gateway", kind: "sandbox", name: "Sandbox" });
    const inv = await makeInvoice(db(), owner, { amount: 1_000 });
    const cash = await recordManualPayment(db(), owner, { invoiceId: inv.id, amount: 1_000, method: "cash" });
    expect(await refundRouteOfService(db(), { merchantId: owner.merchantId, serviceId: cash.payment.serviceId })).toEqual({ route: "manual", kind: null, name: null });
    // Another merchant's service reads as none of this one's.
    const other = await makeMerchant(db(), "Other routes");
    expect((await refundRouteOfService(db(), { merchantId: other.merchant.id, serviceId: payment.serviceId })).kind).toBeNull();
  });
});

describe("refunding money that came outside a gateway", () => {
  it("is recorded by hand with the transfer's reference, once per reference", async () => {
    const inv = await makeInvoice(db(), owner, { amount: 20_000 });
    const { payment } = await recordManualPayment(db(), owner, { invoiceId: inv.id, amount: 20_000, method: "bank_transfer", reference: `FT-${ref++}` });
    expect(await failure(createRefund(db(), owner, { paymentId: payment.id, amount: 5_000, reason: "Overcharged" }))).toMatchObject({
      fields: { reference: [expect.stringMatching(/reference of the transfer/)] },
    });
    const r = await createRefund(db(), owner, { paymentId: payment.id, amount: 5_000, reason: "Overcharged", reference: "FT-BACK-1" });
    expect([r.refund.status, r.refund.manual, r.refund.providerRef, r.invoice.refundedAmount]).toEqual(["succeeded", true, "FT-BACK-1", 5_000]);
    expect(await failure(createRefund(db(), owner, { paymentId: payment.id, amount: 1_000, reason: "Again", reference: "FT-BACK-1" }))).toMatchObject({
      fields: { reference: [expect.any(String)] },
    });
    const [entry] = await db().select().from(auditLog).where(eq(auditLog.targetId, payment.id));
    expect(entry).toMatchObject({ action: "refund.created", actorUserId: owner.userId });
  });
});

describe("who may refund", () => {
  it("owners and admins refund; support and viewers are refused and nothing is written", async () => {
    const { invoiceId, payment } = await cardPayment(2_000);
    const admin = (await shop.addMember("admin")).actor;
    expect((await createRefund(db(), admin, { paymentId: payment.id, amount: 500, reason: "Admin" })).refund.status).toBe("succeeded");
    for (const role of ["support", "viewer"] as const) {
      const actor = (await shop.addMember(role)).actor;
      expect(await failure(createRefund(db(), actor, { paymentId: payment.id, amount: 500, reason: role }))).toMatchObject({ code: "forbidden" });
    }
    expect((await refundsOfInvoice(db(), { merchantId: owner.merchantId, invoiceId })).length).toBe(1);
  });

  it("another merchant's payment is not found", async () => {
    const { payment } = await cardPayment(2_000);
    const other = (await makeMerchant(db(), "Other")).ownerActor;
    expect(await failure(createRefund(db(), other, { paymentId: payment.id, amount: 500, reason: "Mine?" }))).toMatchObject({ code: "not_found" });
    const [row] = await db().select().from(payments).where(eq(payments.id, payment.id));
    expect(row!.refundedAmount).toBe(0);
  });
});

describe("the dashboard's money", () => {
  it("is net of refunds, and the rollups equal a recomputation", async () => {
    const local = await makeMerchant(db(), "Rollups");
    const actor = local.ownerActor;
    const sandbox = (await listServices(db(), actor.merchantId)).find((s) => s.kind === "sandbox")!.id;
    const inv = await makeInvoice(db(), actor, { amount: 9_000 });
    const { payment } = await recordPayment(db(), {
      merchantId: actor.merchantId, invoiceId: inv.id, serviceId: sandbox, providerRef: "roll-1", amount: 9_000, currency: "USD", method: "card", status: "succeeded",
    });
    await createRefund(db(), actor, { paymentId: payment.id, amount: 4_000, reason: "Half-ish" });
    await createRefund(db(), actor, { paymentId: payment.id, amount: 1_000, reason: "Fails", simulate: "fail" });
    const stored = await storedRollups(db(), { merchantId: actor.merchantId });
    expect(stored.daily.map((d) => [d.collected, d.refunded])).toEqual([[9_000, 4_000]]);
    expect(stored).toEqual(await recomputeRollups(db(), { merchantId: actor.merchantId }));
  });
});

describe("settling a refund", () => {
  it("ends once: a second settlement changes nothing", async () => {
    const { payment } = await cardPayment(1_000);
    const r = await createRefund(db(), owner, { paymentId: payment.id, amount: 400, reason: "Once" });
    const again = await settleRefund(db(), { merchantId: owner.merchantId, refundId: r.refund.id, status: "failed", message: "late" });
    expect([again.changed, again.refund.status, again.invoice.refundedAmount]).toEqual([false, "succeeded", 400]);
  });
});
