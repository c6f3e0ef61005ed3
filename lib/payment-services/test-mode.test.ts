import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { paymentServices } from "@/db/schema";
import { newId } from "@/lib/ids";
import { createStandaloneLink } from "@/lib/payment-links/create";
import { createService, listServices } from "@/lib/payment-services/services";
import { runSandboxOp, sandboxSession } from "@/lib/payment-services/sandbox-provider";
import { createEndpoint, revealSecret } from "@/lib/webhooks/endpoints";
import { Dispatcher } from "@/lib/webhooks/dispatcher";
import { useTestDb } from "@/test/db";
import { makeInvoice, makeMerchant } from "@/test/factories";
import { useWebhookHarness } from "@/test/webhook-harness";

const { db } = useTestDb();
const { sender, receiver } = useWebhookHarness(db);

const bank = { kind: "bank_transfer", name: "Techcombank", bankBin: "970407", accountNumber: "19036512345016", accountName: "Nguyen Van A" } as const;

/** What Postgres said when it refused a statement (drizzle wraps it as the cause). */
async function refusal(statement: PromiseLike<unknown>): Promise<string> {
  try {
    await statement;
  } catch (err) {
    const e = err as { message: string; cause?: { message?: string } };
    return e.cause?.message ?? e.message;
  }
  return "accepted";
}

describe("the sandbox lives only in test mode", () => {
  it("a live space never gets one, and Postgres refuses one written by hand", async () => {
    const shop = await makeMerchant(db(), "Live shop", { livemode: true });
    expect(await listServices(db(), shop.merchant.id)).toEqual([]);
    const [testSandbox] = await listServices(db(), shop.account.testId);
    expect(testSandbox?.kind).toBe("sandbox");
    expect(await refusal(db().insert(paymentServices).values({ id: newId("svc"), merchantId: shop.account.id, kind: "sandbox", name: "Sneaky", secretSealed: null }))).toMatch(
      /sandbox exists only in test mode/,
    );
    // Moving the test sandbox into the live space is refused too.
    expect(await refusal(db().update(paymentServices).set({ merchantId: shop.account.id }).where(eq(paymentServices.id, testSandbox!.id)))).toMatch(
      /sandbox exists only in test mode/,
    );
  });

  it("the sandbox's pages and buttons answer not found for a live link, and pay nothing", async () => {
    const shop = await makeMerchant(db(), "Live shop", { livemode: true });
    const service = await createService(db(), shop.ownerActor, bank);
    const link = await createStandaloneLink(db(), shop.ownerActor, { currency: "VND", amount: "100000", description: "Ao dai", serviceIds: [service.id] });
    const [testSandbox] = await listServices(db(), shop.account.testId);
    for (const serviceId of [testSandbox!.id, service.id]) {
      await expect(sandboxSession(db(), link.code, serviceId)).rejects.toMatchObject({ code: "not_found" });
      await expect(runSandboxOp(db(), { code: link.code, service: serviceId, flow: "qr", op: "approve" })).rejects.toMatchObject({
        code: "not_found",
      });
    }
  });
});

describe("events say their mode and reach only that mode's endpoints", () => {
  it("a test invoice goes to the test endpoint with livemode false; a live one to the live endpoint with livemode true", async () => {
    const shop = await makeMerchant(db(), "Two modes");
    const test = shop.ownerActor;
    const live = shop.inMode(test, true);
    const [testHooks, liveHooks] = [await receiver(), await receiver()];
    for (const [actor, r] of [
      [test, testHooks],
      [live, liveHooks],
    ] as const) {
      const endpoint = await createEndpoint(db(), actor, { url: r.url, allEvents: true, enabled: true });
      r.setSecrets([(await revealSecret(db(), actor, { id: endpoint.id })).secret]);
    }
    const dispatcher = new Dispatcher({ db: db(), sender, now: () => new Date(Date.now() + 1000), random: () => 0 });

    const testInvoice = await makeInvoice(db(), test);
    await dispatcher.drain();
    expect(liveHooks.received).toEqual([]);
    expect(testHooks.received.map((r) => JSON.parse(r.body))).toEqual([
      { type: "invoice.created", timestamp: expect.any(String), data: expect.objectContaining({ livemode: false, invoice: expect.objectContaining({ id: testInvoice.id }) }) },
    ]);
    expect(testHooks.received[0]!.verifiedWith).toEqual([0]);

    const liveInvoice = await makeInvoice(db(), live);
    await dispatcher.drain();
    expect(testHooks.received).toHaveLength(1);
    expect(liveHooks.received.map((r) => JSON.parse(r.body))).toEqual([
      { type: "invoice.created", timestamp: expect.any(String), data: expect.objectContaining({ livemode: true, invoice: expect.objectContaining({ id: liveInvoice.id }) }) },
    ]);
  });
});
