import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import * as serviceRoute from "@/app/api/v1/payment-services/[id]/route";
import * as servicesRoute from "@/app/api/v1/payment-services/route";
import type { RouteHandler } from "@/lib/api/operation";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import type { Actor } from "@/lib/auth/roles";
import { openSecret } from "@/lib/crypto/secret-box";
import { getService } from "@/lib/payment-services/services";
import { call, type Credentials, databaseSnapshot, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { useTestGateway } from "@/test/gateway-setup";

const { db } = useApiTestDb();
const { kind } = useTestGateway();
let owner: Actor;
let merchantId: string;
let full: Credentials;
let viewer: Credentials;
let other: Credentials;
/** Every answer this file got, to look for secrets in. */
const answers: string[] = [];

const apiKey = "gw_live_key_Qm7Zx2Lp9Rt4";
const webhookKey = "gw_hook_Vn3Kd8Ws";
const newKey = "gw_rotated_Hy6Fb1Jc5Ne0";

beforeAll(async () => {
  const m = await makeMerchant(db(), "Gateway Store");
  owner = m.ownerActor;
  merchantId = m.merchant.id;
  full = await makeApiKey(db(), owner, "Order system");
  viewer = await makeApiKey(db(), owner, "Reporting", "viewer");
  other = await makeApiKey(db(), (await makeMerchant(db(), "Other Store")).ownerActor);
});

async function send(handler: RouteHandler, path: string, creds: Credentials, opts: Parameters<typeof call>[3] = {}) {
  const res = await call(handler, path, creds, opts);
  answers.push(res.text);
  return res;
}

/** A call that must succeed, its answer checked against the documented shape. */
async function ok(handler: RouteHandler, path: string, opts: Parameters<typeof call>[3] = {}) {
  const res = await send(handler, path, full, opts);
  expect(res.status, res.text).toBe(handler.operation.status ?? 200);
  const parsed = handler.operation.response.safeParse(res.json);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return res.json;
}

const body = { kind, name: "Test Gateway", account_id: "ACC-1234", api_base_url: "https://api.gateway.example/", api_key: apiKey, webhook_key: webhookKey };

describe("gateways through /payment-services", () => {
  let id: string;

  it("links a gateway with its fields in snake_case: public settings shown, secrets sealed and only said to be set", async () => {
    const linked = await ok(servicesRoute.POST, "/payment-services", { body });
    expect(linked).toMatchObject({
      kind,
      name: "Test Gateway",
      enabled: true,
      bank: null,
      base_url: null,
      signing_secret_set: false,
      settings: { account_id: "ACC-1234", api_base_url: "https://api.gateway.example/" },
      credentials_set: { api_key: true, webhook_key: true },
    });
    id = linked.id;
    const row = await getService(db(), { merchantId, id });
    expect(row.config).toEqual({ accountId: "ACC-1234", apiBaseUrl: "https://api.gateway.example/" });
    expect(JSON.parse(openSecret(row.credentialsSealed!))).toEqual({ apiKey, webhookKey });

    expect(await ok(serviceRoute.GET, `/payment-services/${id}`)).toEqual(linked);
    const all = await ok(servicesRoute.GET, "/payment-services");
    expect(all.data.find((s: { id: string }) => s.id === id)).toEqual(linked);
    // The built-in kinds have neither.
    expect(all.data.find((s: { kind: string }) => s.kind === "sandbox")).toMatchObject({ settings: null, credentials_set: null });
  });

  it("refuses bad fields by their API names, with the setup's words, and writes nothing", async () => {
    const before = await databaseSnapshot(db());
    const bad = await send(servicesRoute.POST, "/payment-services", full, { body: { ...body, name: " ", account_id: "12", api_key: "short", account_number: "12 34" } });
    expect(bad.status, bad.text).toBe(422);
    expect(bad.json.error.fields).toEqual({
      name: ["Enter a name customers will recognise."],
      account_id: ["An account ID looks like ACC-1234."],
      api_key: ["An API key has at least 12 characters."],
      account_number: ["A settlement account is 6 to 19 digits."],
    });
    const missing = await send(servicesRoute.POST, "/payment-services", full, { body: { kind, name: "No key", account_id: "ACC-1234" } });
    expect([missing.status, missing.json.error.fields]).toEqual([422, { api_key: ["Enter the API key."] }]);
    const unknown = await send(servicesRoute.POST, "/payment-services", full, { body: { ...body, base_url: "https://x.example/" } });
    expect(unknown.status).toBe(422);
    expect(Object.keys(unknown.json.error.fields)).toEqual(["base_url"]);
    const camel = await send(servicesRoute.POST, "/payment-services", full, { body: { kind, name: "Camel", accountId: "ACC-1234", apiKey } });
    expect(camel.status).toBe(422);
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("changes only what is sent: an empty secret is kept, a new one replaces it; other kinds' settings are refused", async () => {
    const renamed = await ok(serviceRoute.PATCH, `/payment-services/${id}`, { body: { name: "Gateway (main)", account_id: "ACC-5678", api_key: "" } });
    expect(renamed).toMatchObject({ name: "Gateway (main)", settings: { account_id: "ACC-5678", api_base_url: "https://api.gateway.example/" }, credentials_set: { api_key: true, webhook_key: true } });
    expect(JSON.parse(openSecret((await getService(db(), { merchantId, id })).credentialsSealed!))).toEqual({ apiKey, webhookKey });

    await ok(serviceRoute.PATCH, `/payment-services/${id}`, { body: { api_key: newKey, api_base_url: "" } });
    const row = await getService(db(), { merchantId, id });
    expect(JSON.parse(openSecret(row.credentialsSealed!))).toEqual({ apiKey: newKey, webhookKey });
    expect(row.config).toEqual({ accountId: "ACC-5678" });

    const bad = await send(serviceRoute.PATCH, `/payment-services/${id}`, full, { body: { account_id: "nope", signing_secret: "s".repeat(20) } });
    expect([bad.status, bad.json.error.fields]).toEqual([422, { signing_secret: [`A ${kind} service has no such setting.`] }]);
    const wrong = await send(serviceRoute.PATCH, `/payment-services/${id}`, full, { body: { account_id: "nope", account_number: "x" } });
    expect([wrong.status, wrong.json.error.fields]).toEqual([422, { account_id: ["An account ID looks like ACC-1234."], account_number: ["A settlement account is 6 to 19 digits."] }]);
    expect((await getService(db(), { merchantId, id })).config).toEqual({ accountId: "ACC-5678" });

    expect((await ok(serviceRoute.PATCH, `/payment-services/${id}`, { body: { enabled: false } })).enabled).toBe(false);
  });

  it("is refused to a read-only key and not found for another merchant", async () => {
    const before = await databaseSnapshot(db());
    expect((await send(servicesRoute.POST, "/payment-services", viewer, { body })).status).toBe(403);
    expect((await send(serviceRoute.PATCH, `/payment-services/${id}`, viewer, { body: { name: "Mine" } })).status).toBe(403);
    expect((await send(serviceRoute.GET, `/payment-services/${id}`, other)).status).toBe(404);
    expect((await send(serviceRoute.PATCH, `/payment-services/${id}`, other, { body: { api_key: "" } })).status).toBe(404);
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("never answers a secret", () => {
    expect(answers.length).toBeGreaterThan(10);
    for (const secret of [apiKey, webhookKey, newKey]) expect(answers.filter((a) => a.includes(secret))).toEqual([]);
  });
});

describe("the OpenAPI document, with a gateway that can be linked", () => {
  it("describes the gateway's kind and its fields in POST and PATCH, and stays valid", async () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, { requestBody: { content: { "application/json": { schema: unknown } } } }>> };
    const post = JSON.stringify(doc.paths["/payment-services"]!.post!.requestBody.content["application/json"].schema);
    expect(post).toContain(`"const":"${kind}"`);
    expect(post).toContain('"api_key"');
    expect(post).toContain("Secret: stored encrypted and never returned");
    const patch = JSON.stringify(doc.paths["/payment-services/{id}"]!.patch!.requestBody.content["application/json"].schema);
    expect(patch).toContain('"account_id"');
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(doc)));
    expect(result.errors ?? []).toEqual([]);
  });
});
