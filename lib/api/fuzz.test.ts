// Above the rate limit, every answer would be a 429: this file is about what comes after it.
process.env.API_RATE_LIMIT_PER_SECOND = "100000";

import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import * as retryRoute from "@/app/api/v1/webhook-deliveries/[id]/retry/route";
import * as endpointRoute from "@/app/api/v1/webhook-endpoints/[id]/route";
import * as rotateRoute from "@/app/api/v1/webhook-endpoints/[id]/rotate-secret/route";
import * as testRoute from "@/app/api/v1/webhook-endpoints/[id]/test/route";
import * as endpointsRoute from "@/app/api/v1/webhook-endpoints/route";
import * as invoicePaymentsRoute from "@/app/api/v1/invoices/[id]/payments/route";
import * as voidRoute from "@/app/api/v1/invoices/[id]/void/route";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import * as paymentRefundsRoute from "@/app/api/v1/payments/[id]/refunds/route";
import * as paymentsRoute from "@/app/api/v1/payments/route";
import * as serviceRoute from "@/app/api/v1/payment-services/[id]/route";
import * as servicesRoute from "@/app/api/v1/payment-services/route";
import * as webhookSettingsRoute from "@/app/api/v1/webhook-settings/route";
import { noBody, type RouteHandler } from "@/lib/api/operation";
import { operations } from "@/lib/api/operations";
import { listServices } from "@/lib/payment-services/services";
import { recordPayment } from "@/lib/payments/record";
import { errorObject } from "@/lib/api/openapi";
import { call, type Credentials, databaseSnapshot, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { startReceiver } from "@/test/webhook-receiver";

const { db } = useApiTestDb();
let creds: Credentials;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const { ownerActor } = await makeMerchant(db());
  creds = await makeApiKey(db(), ownerActor);
  const receiver = await startReceiver();
  ids.invoice = (await call(invoicesRoute.POST, "/invoices", creds, { body: { currency: "VND", items: [{ name: "Tea", unit_price: 1000, quantity: 1 }], customer: { name: "Ada" } } })).json.id;
  ids.endpoint = (await call(endpointsRoute.POST, "/webhook-endpoints", creds, { body: { url: receiver.url } })).json.id;
  ids.delivery = (await call(testRoute.POST, `/webhook-endpoints/${ids.endpoint}/test`, creds)).json.delivery_id;
  const sandbox = (await listServices(db(), ownerActor.merchantId)).find((s) => s.kind === "sandbox")!.id;
  const paid = (await call(invoicesRoute.POST, "/invoices", creds, { body: { currency: "VND", items: [{ name: "Cups", unit_price: 5000, quantity: 1 }], customer: { name: "Ada" } } })).json.id;
  ids.payment = (
    await recordPayment(db(), { merchantId: ownerActor.merchantId, invoiceId: paid, serviceId: sandbox, providerRef: "fuzz-card-1", amount: 5000, currency: "VND", method: "card", status: "succeeded" })
  ).payment.id;
  ids.service = (await call(servicesRoute.POST, "/payment-services", creds, { body: { kind: "redirect", name: "Cards", base_url: "https://pay.example.com/" } })).json.id;
  await receiver.close();
});

const posts: [RouteHandler, string][] = [
  [invoicesRoute.POST, "/invoices"],
  [voidRoute.POST, "/invoices/{invoice}/void"],
  [invoicePaymentsRoute.POST, "/invoices/{invoice}/payments"],
  [paymentsRoute.POST, "/payments"],
  [paymentRefundsRoute.POST, "/payments/{payment}/refunds"],
  [endpointsRoute.POST, "/webhook-endpoints"],
  [endpointRoute.PATCH, "/webhook-endpoints/{endpoint}"],
  [rotateRoute.POST, "/webhook-endpoints/{endpoint}/rotate-secret"],
  [testRoute.POST, "/webhook-endpoints/{endpoint}/test"],
  [retryRoute.POST, "/webhook-deliveries/{delivery}/retry"],
  [servicesRoute.POST, "/payment-services"],
  [serviceRoute.PATCH, "/payment-services/{service}"],
  [webhookSettingsRoute.PATCH, "/webhook-settings"],
];

it("fuzzes every operation that takes a body", () => {
  const covered = new Set(posts.map(([h]) => h.operation.operationId));
  expect(operations.filter((op) => op.method === "POST" || op.method === "PATCH").map((op) => op.operationId).filter((id) => !covered.has(id))).toEqual([]);
});

/** Nested arrays and objects deeper than any real body. */
const deep = fc.integer({ min: 50, max: 2000 }).map((depth) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
});
const hugeNumber = fc.oneof(fc.constant(1e308), fc.constant(-1e308), fc.constant(2 ** 53 + 2), fc.double({ noNaN: true }), fc.bigInt().map((n) => Number(n) * 1e20));
const unicode = fc.string({ unit: "binary", maxLength: 60 });

/** JSON values that look a little like real bodies: the right keys with wrong types, huge numbers, odd unicode. */
function bodyFor(handler: RouteHandler) {
  const keys = Object.keys((handler.operation.body as unknown as { shape?: Record<string, unknown> })?.shape ?? {});
  const value = fc.oneof(fc.jsonValue(), hugeNumber, unicode, deep, fc.constant(null));
  const shaped = keys.length ? fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length }) : fc.dictionary(unicode, value);
  return fc.oneof(shaped, fc.jsonValue(), deep, fc.array(value), hugeNumber.map((n) => ({ amount: n, quantity: n, unit_price: n, price: n })));
}

/** Bytes that are not (all) JSON. */
const malformed = fc.oneof(
  fc.string({ unit: "binary", minLength: 1, maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1) + "\u0000"),
  fc.constantFrom("{", "[1,", '{"a":}', "nul", "\uFEFF{}", "{}}", "'x'", "NaN", "-", "1e999999"),
);

it.each(posts.map(([h, path]) => [`${h.operation.method} ${path}`, h, path] as const))(
  "%s: random and malformed bodies get a 4xx with the error shape, and change nothing",
  async (_name, handler, template) => {
    const path = template.replace(/\{(\w+)\}/, (_m, what: string) => ids[what]!);
    const schema = handler.operation.body ?? noBody;
    const before = await databaseSnapshot(db());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          bodyFor(handler).map((b) => ({ raw: JSON.stringify(b) })),
          malformed.map((raw) => ({ raw })),
        ),
        fc.boolean(),
        async ({ raw }, withKey) => {
          // A body that happens to be valid would rightly change things: the point is every invalid one.
          let parsed: unknown;
          try {
            parsed = raw.trim() === "" ? {} : JSON.parse(raw);
          } catch {
            parsed = Symbol("unparsable");
          }
          fc.pre(!schema.safeParse(parsed).success);
          const res = await call(handler, path, creds, { raw, headers: withKey ? { "idempotency-key": `fuzz-${Math.random()}` } : {} });
          expect(res.status, res.text).toBeGreaterThanOrEqual(400);
          expect(res.status, res.text).toBeLessThan(500);
          expect(errorObject.strict().safeParse(res.json).success, res.text).toBe(true);
          expect(res.text).not.toMatch(/\bat \w+ \(|node_modules|Error:/);
        },
      ),
      { numRuns: 60 },
    );
    expect(await databaseSnapshot(db())).toEqual(before);
  },
);
