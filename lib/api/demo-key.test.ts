import { expect, it } from "vitest";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import * as servicesRoute from "@/app/api/v1/payment-services/route";
import { DEMO, seedDemo } from "@/lib/demo/seed";
import { demoApiCredentials } from "@/lib/api-keys/keys";
import { call, useApiTestDb } from "@/test/api";

const { db } = useApiTestDb();

it("the demo seed makes a key per mode whose printed credentials call the API at once; the month is test data", async () => {
  expect(await demoApiCredentials(db(), DEMO.email)).toEqual({ test: null, live: null });
  await seedDemo(db());
  const { test, live } = await demoApiCredentials(db(), DEMO.email);
  expect(test).toMatchObject({ clientId: expect.stringMatching(/^ck_test_/), secret: expect.stringMatching(/^sk_test_/) });
  expect(live).toMatchObject({ clientId: expect.stringMatching(/^ck_live_/), secret: expect.stringMatching(/^sk_live_/) });
  for (const auth of ["bearer", "signed"] as const) {
    const res = await call(invoicesRoute.GET, "/invoices?limit=100", { ...test!, keyId: "" }, { auth });
    expect(res.status).toBe(200);
    expect(res.json.data.map((i: { reference_id: string }) => i.reference_id)).toContain("ORD-1001");
    expect(res.json.data.every((i: { livemode: boolean }) => i.livemode === false)).toBe(true);
  }
  // Live mode: the demo bank account, and no invoice, no sandbox.
  const liveInvoices = await call(invoicesRoute.GET, "/invoices?limit=100", { ...live!, keyId: "" });
  expect(liveInvoices.json.data).toEqual([]);
  const liveServices = await call(servicesRoute.GET, "/payment-services", { ...live!, keyId: "" });
  expect(liveServices.json.data.map((s: { kind: string; livemode: boolean }) => [s.kind, s.livemode])).toEqual([["bank_transfer", true]]);
  // Seeding again changes nothing, and prints the same keys.
  expect(await seedDemo(db())).toEqual({ created: false });
  expect(await demoApiCredentials(db(), DEMO.email)).toEqual({ test, live });
});
