import { beforeAll, describe, expect, it } from "vitest";
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
import * as paymentsRoute from "@/app/api/v1/payments/route";
import * as serviceRoute from "@/app/api/v1/payment-services/[id]/route";
import * as servicesRoute from "@/app/api/v1/payment-services/route";
import * as refundRoute from "@/app/api/v1/refunds/[id]/route";
import * as refundsRoute from "@/app/api/v1/refunds/route";
import * as webhookSettingsRoute from "@/app/api/v1/webhook-settings/route";
import type { RouteHandler } from "@/lib/api/operation";
import { operations } from "@/lib/api/operations";
import { recordPayment } from "@/lib/payments/record";
import { call, type Credentials, databaseSnapshot, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { startReceiver } from "@/test/webhook-receiver";

const { db } = useApiTestDb();
const keys: Record<"full" | "support" | "viewer", Credentials> = {} as never;
const ids: Record<string, string> = {};
let sandbox: string;

beforeAll(async () => {
  const owner = (await makeMerchant(db(), "Roles shop")).ownerActor;
  keys.full = await makeApiKey(db(), owner, "Order system");
  keys.support = await makeApiKey(db(), owner, "Helpdesk", "support");
  keys.viewer = await makeApiKey(db(), owner, "Reporting", "viewer");
  const receiver = await startReceiver();
  ids.invoice = (await call(invoicesRoute.POST, "/invoices", keys.full, { body: { currency: "VND", items: [{ name: "Tea", unit_price: 100000, quantity: 1 }], customer: { name: "Ada" } } })).json.id;
  ids.endpoint = (await call(endpointsRoute.POST, "/webhook-endpoints", keys.full, { body: { url: receiver.url } })).json.id;
  ids.delivery = (await call(testRoute.POST, `/webhook-endpoints/${ids.endpoint}/test`, keys.full)).json.delivery_id;
  await receiver.close();
  sandbox = (await call(servicesRoute.GET, "/payment-services", keys.full)).json.data[0].id;
  // A card payment to refund (the ledger: no API records one), and a refund of part of it to read.
  const paid = (await call(invoicesRoute.POST, "/invoices", keys.full, { body: { currency: "VND", items: [{ name: "Cups", unit_price: 200000, quantity: 1 }], customer: { name: "Ada" } } })).json.id;
  ids.payment = (
    await recordPayment(db(), { merchantId: owner.merchantId, invoiceId: paid, serviceId: sandbox, providerRef: "roles-card-1", amount: 200000, currency: "VND", method: "card", status: "succeeded" })
  ).payment.id;
  ids.refund = (await call(paymentRefundsRoute.POST, `/payments/${ids.payment}/refunds`, keys.full, { body: { amount: 1000, reason: "Chipped" } })).json.id;
  ids.service = (await call(servicesRoute.POST, "/payment-services", keys.full, { body: { kind: "redirect", name: "Cards", base_url: "https://pay.example.com/" } })).json.id;
});

/** Every operation that changes something, with a request a full-access key could make (in an order where each still can). */
const changes: [RouteHandler, string, unknown?][] = [
  [invoicesRoute.POST, "/invoices", { currency: "VND", items: [{ name: "Cake", unit_price: 50000, quantity: 1 }], customer: { name: "Bo" } }],
  [invoicePaymentsRoute.POST, "/invoices/{invoice}/payments", "sandbox"],
  [paymentsRoute.POST, "/payments", { payment_method: "bank_transfer", amount: 5000, reference_id: "R-1" }],
  [voidRoute.POST, "/invoices/{invoice}/void"],
  [paymentRefundsRoute.POST, "/payments/{payment}/refunds", { amount: 5000, reason: "Returned" }],
  [endpointsRoute.POST, "/webhook-endpoints", { url: "https://example.com/hooks" }],
  [endpointRoute.PATCH, "/webhook-endpoints/{endpoint}", { enabled: false }],
  [rotateRoute.POST, "/webhook-endpoints/{endpoint}/rotate-secret"],
  [testRoute.POST, "/webhook-endpoints/{endpoint}/test"],
  [retryRoute.POST, "/webhook-deliveries/{delivery}/retry"],
  [endpointRoute.DELETE, "/webhook-endpoints/{endpoint}"],
  [servicesRoute.POST, "/payment-services", { kind: "bank_transfer", name: "ACB", bank: { bank_bin: "970416", account_number: "257678859", account_name: "Tran Tu Thien" } }],
  [serviceRoute.PATCH, "/payment-services/{service}", { name: "Cards (main)", signing_secret: "pss_0123456789abcdef" }],
  [serviceRoute.PATCH, "/payment-services/{service}", { enabled: false }],
  [webhookSettingsRoute.PATCH, "/webhook-settings", { retry_schedule_minutes: [1, 2], timeout_seconds: 5 }],
];

const request = (key: Credentials, [handler, path, body]: (typeof changes)[number], headers: Record<string, string> = {}) =>
  call(handler, path.replace(/\{(\w+)\}/, (_m, what: string) => ids[what]!), key, { body: body === "sandbox" ? { payment_service_id: sandbox } : body, headers });

describe("an API key's access", () => {
  it("covers every operation that is not a read, and each says what access it needs", () => {
    const covered = new Set(changes.map(([h]) => h.operation.operationId));
    const writes = operations.filter((op) => op.method !== "GET" && !op.public);
    expect(writes.map((op) => op.operationId).filter((id) => !covered.has(id))).toEqual([]);
    expect(writes.filter((op) => !(op.command?.permission)).map((op) => op.operationId)).toEqual([]);
  });

  it("a read-only key reads everything and every change is 403 forbidden, with nothing written", async () => {
    for (const [handler, path] of [
      [invoicesRoute.GET, "/invoices"],
      [invoiceRoute.GET, `/invoices/${ids.invoice}`],
      [paymentsRoute.GET, "/payments"],
      [refundsRoute.GET, "/refunds"],
      [refundRoute.GET, `/refunds/${ids.refund}`],
      [servicesRoute.GET, "/payment-services"],
      [serviceRoute.GET, `/payment-services/${ids.service}`],
      [endpointsRoute.GET, "/webhook-endpoints"],
      [webhookSettingsRoute.GET, "/webhook-settings"],
      [deliveriesRoute.GET, "/webhook-deliveries"],
    ] as const) {
      expect((await call(handler, path, keys.viewer)).status, path).toBe(200);
    }
    const before = await databaseSnapshot(db());
    for (const [i, change] of changes.entries()) {
      // With an Idempotency-Key too: refused before it is claimed, so nothing is kept for it.
      const res = await request(keys.viewer, change, change[0].operation.method === "POST" ? { "idempotency-key": `viewer-${i}` } : {});
      expect([res.status, res.json.error.code], `${change[0].operation.operationId}: ${res.text}`).toEqual([403, "forbidden"]);
      expect(res.json.error.message).toBe("This API key's access (read only) does not allow this.");
    }
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("a support key retries deliveries and changes nothing else", async () => {
    for (const change of changes) {
      const res = await request(keys.support, change);
      if (change[0] === retryRoute.POST) expect(res.status, res.text).toBeLessThan(300);
      else expect([res.status, res.json.error.code], `${change[0].operation.operationId}: ${res.text}`).toEqual([403, "forbidden"]);
    }
  });

  it("a full-access key may make every change", async () => {
    for (const change of changes) {
      const res = await request(keys.full, change);
      expect(res.status, `${change[0].operation.operationId}: ${res.text}`).toBeLessThan(300);
    }
  });
});
