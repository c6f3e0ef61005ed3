import { describe, expect, it } from "vitest";
import * as invoiceRoute from "@/app/api/v1/invoices/[id]/route";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import * as endpointsRoute from "@/app/api/v1/webhook-endpoints/route";
import { nulFields } from "@/lib/nul-bytes";
import { call, databaseSnapshot, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import fc from "fast-check";

// Postgres holds no U+0000 in text or jsonb: before, each of these reached a statement and came back 500 (22021).
const { db } = useApiTestDb();
const invoice = (customer: Record<string, unknown>, metadata?: Record<string, unknown>) => ({
  currency: "USD",
  items: [{ name: "Tea", unit_price: 500, quantity: 1 }],
  customer,
  ...(metadata ? { metadata } : {}),
});

describe("a NUL character in API input", () => {
  it("in a body's text field, or a metadata key or value, is a 422 naming the field, and writes nothing", async () => {
    const { ownerActor } = await makeMerchant(db());
    const creds = await makeApiKey(db(), ownerActor);
    const before = await databaseSnapshot(db());
    const name = await call(invoicesRoute.POST, "/invoices", creds, { body: invoice({ name: "Ada\u0000" }) });
    expect([name.status, name.json.error.code]).toEqual([422, "validation_failed"]);
    expect(name.json.error.fields).toEqual({ "customer.name": [expect.stringContaining("NUL")] });
    const meta = await call(invoicesRoute.POST, "/invoices", creds, { body: invoice({ name: "Ada" }, { note: "a\u0000b" }) });
    expect([meta.status, Object.keys(meta.json.error.fields)]).toEqual([422, ["metadata.note"]]);
    const key = await call(invoicesRoute.POST, "/invoices", creds, { body: invoice({ name: "Ada" }, { "k\u0000": "v" }) });
    expect(key.status).toBe(422);
    const url = await call(endpointsRoute.POST, "/webhook-endpoints", creds, { body: { url: "https://example.com/\u0000" } });
    expect([url.status, Object.keys(url.json.error.fields)]).toEqual([422, ["url"]]);
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("in a query parameter is a 422 naming it; in a path id, a 404", async () => {
    const { ownerActor } = await makeMerchant(db());
    const creds = await makeApiKey(db(), ownerActor);
    const search = await call(invoicesRoute.GET, "/invoices?q=Ada%00", creds);
    expect([search.status, search.json.error.code, search.json.error.fields]).toEqual([422, "validation_failed", { q: [expect.stringContaining("NUL")] }]);
    const ref = await call(invoicesRoute.GET, "/invoices?reference_id=%00", creds);
    expect([ref.status, Object.keys(ref.json.error.fields)]).toEqual([422, ["reference_id"]]);
    const byId = await call(invoiceRoute.GET, "/invoices/inv_%00", creds);
    expect([byId.status, byId.json.error.code]).toEqual([404, "not_found"]);
  });

  it("is found at any depth, in keys and values, and only there (property)", () => {
    const deep = (depth: number) => {
      let v: unknown = "x\u0000";
      for (let i = 0; i < depth; i++) v = [v];
      return v;
    };
    expect(Object.keys(nulFields(deep(100_000)))).toHaveLength(1);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(Object.keys(nulFields(value)).length > 0).toBe(text.includes("\\u0000"));
      }),
      { numRuns: 300 },
    );
  });
});
