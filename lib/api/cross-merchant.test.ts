import { beforeAll, describe, expect, it } from "vitest";
import * as deliveryRoute from "@/app/api/v1/webhook-deliveries/[id]/route";
import * as retryRoute from "@/app/api/v1/webhook-deliveries/[id]/retry/route";
import * as deliveriesRoute from "@/app/api/v1/webhook-deliveries/route";
import * as endpointRoute from "@/app/api/v1/webhook-endpoints/[id]/route";
import * as rotateRoute from "@/app/api/v1/webhook-endpoints/[id]/rotate-secret/route";
import * as testRoute from "@/app/api/v1/webhook-endpoints/[id]/test/route";
import * as endpointsRoute from "@/app/api/v1/webhook-endpoints/route";
import * as invoicePaymentsRoute from "@/app/api/v1/invoices/[id]/payments/route";
import * as invoiceRoute from "@/app/api/v1/invoices/[id]/route";
import * as voidRoute from "@/app/api/v1/invoices/[id]/void/route";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import * as paymentRefundsRoute from "@/app/api/v1/payments/[id]/refunds/route";
import * as paymentRoute from "@/app/api/v1/payments/[id]/route";
import * as paymentsRoute from "@/app/api/v1/payments/route";
import * as serviceRoute from "@/app/api/v1/payment-services/[id]/route";
import * as servicesRoute from "@/app/api/v1/payment-services/route";
import * as refundRoute from "@/app/api/v1/refunds/[id]/route";
import * as refundsRoute from "@/app/api/v1/refunds/route";
import type { RouteHandler } from "@/lib/api/operation";
import { operations } from "@/lib/api/operations";
import { recordPayment } from "@/lib/payments/record";
import { call, type Credentials, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { startReceiver } from "@/test/webhook-receiver";

const { db } = useApiTestDb();

const cases: [RouteHandler, string, unknown?][] = [
  [invoiceRoute.GET, "/invoices/{invoice}"],
  [voidRoute.POST, "/invoices/{invoice}/void"],
  [invoicePaymentsRoute.POST, "/invoices/{invoice}/payments", "own-service"],
  [paymentRoute.GET, "/payments/{payment}"],
  [paymentRefundsRoute.POST, "/payments/{ledgerPayment}/refunds", { amount: 1000, reason: "Mine?" }],
  [refundRoute.GET, "/refunds/{refund}"],
  [endpointRoute.GET, "/webhook-endpoints/{endpoint}"],
  [endpointRoute.PATCH, "/webhook-endpoints/{endpoint}", { enabled: false }],
  [endpointRoute.DELETE, "/webhook-endpoints/{endpoint}"],
  [rotateRoute.POST, "/webhook-endpoints/{endpoint}/rotate-secret"],
  [testRoute.POST, "/webhook-endpoints/{endpoint}/test"],
  [deliveryRoute.GET, "/webhook-deliveries/{delivery}"],
  [retryRoute.POST, "/webhook-deliveries/{delivery}/retry"],
  [serviceRoute.GET, "/payment-services/{service}"],
  [serviceRoute.PATCH, "/payment-services/{service}", { enabled: false }],
];

it("covers every operation that takes an id", () => {
  const covered = new Set(cases.map(([h]) => h.operation.operationId));
  expect(operations.filter((op) => op.params).map((op) => op.operationId).filter((id) => !covered.has(id))).toEqual([]);
});

/**
 * The same matrix twice: a key of another merchant, and a key of the same
 * merchant in the other mode. `b` makes the resources; `a` may not reach them.
 */
describe.each([
  {
    name: "merchant A's key on merchant B's id",
    async keys() {
      const a = await makeApiKey(db(), (await makeMerchant(db(), "Shop A")).ownerActor);
      const shopB = await makeMerchant(db(), "Shop B");
      const b = await makeApiKey(db(), shopB.ownerActor);
      return { a, b, bSpace: shopB.merchant.id };
    },
  },
  {
    name: "a live key on a test id of its own merchant",
    async keys() {
      const shop = await makeMerchant(db(), "Shop", { livemode: true });
      const a = await makeApiKey(db(), shop.ownerActor);
      const bActor = shop.inMode(shop.ownerActor, false);
      const b = await makeApiKey(db(), bActor);
      return { a, b, bSpace: bActor.merchantId };
    },
  },
])("$name", ({ keys }) => {
  let a: Credentials;
  let b: Credentials;
  const ids: Record<string, string> = {};
  let aService: string;

  beforeAll(async () => {
    let bSpace: string;
    ({ a, b, bSpace } = await keys());
    const receiver = await startReceiver();
    // B's resources, made through the API with B's key.
    const inv = await call(invoicesRoute.POST, "/invoices", b, { body: { currency: "VND", items: [{ name: "Tea", unit_price: 100000, quantity: 1 }], customer: { name: "B's customer" } } });
    ids.invoice = inv.json.id;
    ids.payment = (await call(paymentsRoute.POST, "/payments", b, { body: { payment_method: "bank_transfer", amount: 5000, reference_id: "B-1" } })).json.payment_request_id;
    ids.endpoint = (await call(endpointsRoute.POST, "/webhook-endpoints", b, { body: { url: receiver.url } })).json.id;
    ids.delivery = (await call(testRoute.POST, `/webhook-endpoints/${ids.endpoint}/test`, b)).json.delivery_id;
    const bSandbox = (await call(servicesRoute.GET, "/payment-services", b)).json.data.find((s: { kind: string }) => s.kind === "sandbox").id;
    ids.service = (await call(servicesRoute.POST, "/payment-services", b, { body: { kind: "redirect", name: "B's cards", base_url: "https://pay.example.com/" } })).json.id;
    // A card payment on B's invoice (the ledger: no API records one), and a refund of part of it.
    const { payment } = await recordPayment(db(), {
      merchantId: bSpace, invoiceId: inv.json.id, serviceId: bSandbox, providerRef: "b-card-1", amount: 100000, currency: "VND", method: "card", status: "succeeded",
    });
    ids.ledgerPayment = payment.id;
    ids.refund = (await call(paymentRefundsRoute.POST, `/payments/${payment.id}/refunds`, b, { body: { amount: 2000, reason: "B's refund" } })).json.id;
    await receiver.close();
    // A service of A's own (A's test sandbox, or a live bank account A links), for the payment case's body.
    const own = (await call(servicesRoute.GET, "/payment-services", a)).json.data[0]?.id;
    if (own) aService = own;
    else {
      const linked = await call(servicesRoute.POST, "/payment-services", a, {
        body: { kind: "bank_transfer", name: "A's bank", bank: { bank_bin: "970407", account_number: "19036512345016", account_name: "Nguyen Van A" } },
      });
      expect(linked.status, linked.text).toBe(201);
      aService = linked.json.id;
    }
  });

  it.each(cases.map(([h, path, body]) => [`${h.operation.method} ${path}`, h, path, body] as const))("%s is 404", async (_name, handler, path, body) => {
    const url = path.replace(/\{(\w+)\}/, (_m, what: string) => ids[what]!);
    const res = await call(handler, url, a, { body: body === "own-service" ? { payment_service_id: aService } : body });
    expect(res.status, res.text).toBe(404);
    expect(res.json.error.code).toBe("not_found");
  });

  it("B's resources are untouched and never listed for A", async () => {
    const inv = await call(invoiceRoute.GET, `/invoices/${ids.invoice}`, b);
    expect(inv.json).toMatchObject({ status: "open", payment_status: "paid", refunded_amount: 2000 });
    expect((await call(refundsRoute.GET, `/refunds?payment_id=${ids.ledgerPayment}`, b)).json.data.map((r: { id: string }) => r.id)).toEqual([ids.refund]);
    const endpoint = await call(endpointRoute.GET, `/webhook-endpoints/${ids.endpoint}`, b);
    expect(endpoint.json.enabled).toBe(true);
    const service = await call(serviceRoute.GET, `/payment-services/${ids.service}`, b);
    expect(service.json).toMatchObject({ name: "B's cards", enabled: true });
    for (const [handler, path] of [
      [servicesRoute.GET, "/payment-services"],
      [invoicesRoute.GET, "/invoices"],
      [paymentsRoute.GET, "/payments"],
      [refundsRoute.GET, "/refunds"],
      [endpointsRoute.GET, "/webhook-endpoints"],
      [deliveriesRoute.GET, "/webhook-deliveries"],
    ] as const) {
      const text = (await call(handler, path, a)).text;
      for (const id of Object.values(ids)) expect(text).not.toContain(id);
    }
    const byRef = await call(paymentsRoute.GET, `/payments?reference_id=${ids.invoice}`, a);
    expect(byRef.json.data).toEqual([]);
  });
});
