import { expect, it } from "vitest";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import { DEMO, seedDemo } from "@/lib/demo/seed";
import { demoApiCredentials } from "@/lib/api-keys/keys";
import { call, useApiTestDb } from "@/test/api";

const { db } = useApiTestDb();

it("the demo seed makes a key whose printed credentials call the API at once", async () => {
  expect(await demoApiCredentials(db(), DEMO.email)).toBeNull();
  await seedDemo(db());
  const key = await demoApiCredentials(db(), DEMO.email);
  expect(key).toMatchObject({ clientId: expect.stringMatching(/^ck_/), secret: expect.stringMatching(/^sk_/) });
  for (const auth of ["bearer", "signed"] as const) {
    const res = await call(invoicesRoute.GET, "/invoices?limit=100", { ...key!, keyId: "" }, { auth });
    expect(res.status).toBe(200);
    expect(res.json.data.map((i: { reference_id: string }) => i.reference_id)).toContain("ORD-1001");
  }
});
