import { beforeAll, describe, expect, it } from "vitest";
import * as endpointRoute from "@/app/api/v1/webhook-endpoints/[id]/route";
import * as testRoute from "@/app/api/v1/webhook-endpoints/[id]/test/route";
import * as endpointsRoute from "@/app/api/v1/webhook-endpoints/route";
import { call, type Credentials, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";

const { db } = useApiTestDb();
let creds: Credentials;
const url = "https://shop.example/myfatoorah/webhook";

beforeAll(async () => {
  const m = await makeMerchant(db(), "Formats Store");
  creds = await makeApiKey(db(), m.ownerActor);
});

describe("an endpoint's format and retry schedule through the API", () => {
  it("creates an endpoint in MyFatoorah's format with its schedule, changes it, and says what is refused, by field", async () => {
    const created = await call(endpointsRoute.POST, "/webhook-endpoints", creds, { body: { url, format: "myfatoorah_v1", retry_schedule: [10, 10, 10] } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ format: "myfatoorah_v1", retry_schedule: [10, 10, 10], event_types: null });
    expect(endpointsRoute.POST.operation.response.safeParse(created.json).success).toBe(true);

    // Only what changes: the format back to Standard Webhooks, the schedule back to the webhook settings'.
    const changed = await call(endpointRoute.PATCH, `/webhook-endpoints/${created.json.id}`, creds, { body: { format: "standard", retry_schedule: null } });
    expect(changed.json).toMatchObject({ format: "standard", retry_schedule: null, url });
    const read = await call(endpointRoute.GET, `/webhook-endpoints/${created.json.id}`, creds);
    expect(read.json).toMatchObject({ format: "standard", retry_schedule: null });

    const refused = await call(endpointsRoute.POST, "/webhook-endpoints", creds, {
      body: { url, format: "finan", event_types: ["invoice.created"], retry_schedule: [1] },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error.fields).toEqual({
      event_types: ["The Finan format does not send invoice.created: untick it, or send every event it has."],
      retry_schedule: ["Each step is a whole number of seconds, at least 5."],
    });
    const unknown = await call(endpointsRoute.POST, "/webhook-endpoints", creds, { body: { url, format: "stripe" } });
    expect(Object.keys(unknown.json.error.fields)).toEqual(["format"]);
  });

  it("a gateway format has no test event: the test is refused, and nothing is sent or stored", async () => {
    const created = await call(endpointsRoute.POST, "/webhook-endpoints", creds, { body: { url, format: "foloosi" } });
    const res = await call(testRoute.POST, `/webhook-endpoints/${created.json.id}/test`, creds);
    expect(res.status).toBe(409);
    expect(res.json.error.message).toMatch(/^The Foloosi format has no test event/);
  });
});
