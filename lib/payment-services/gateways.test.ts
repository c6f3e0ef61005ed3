import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, paymentServices } from "@/db/schema";
import { connectors } from "@/lib/connectors";
import { openSecret } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import { useTestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { testGatewayKind, useTestGateway } from "@/test/gateway-setup";
import { credentialNames, describeGateway, gatewaySettings, linkableGateways } from "./gateway-view";
import { createGatewayService, gatewayKindList, updateGatewayService } from "./gateways";
import { getService } from "./services";

const { db } = useTestDb();
const { kind } = useTestGateway();

/** The error code and field errors a command call ends with. */
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => {
      if (err instanceof AppError) return { code: err.code, fields: err.fields };
      throw err;
    },
  );

const apiKey = "live_key_0123456789abcdef";
const webhookKey = "whk_secret_42";

async function servicesOf(merchantId: string) {
  return db().select().from(paymentServices).where(eq(paymentServices.merchantId, merchantId));
}

describe("linking a gateway (payment_services.gateway.create)", () => {
  it("refuses every bad field at once, by the setup's field names, and writes nothing", async () => {
    const shop = await makeMerchant(db());
    const said = await refusal(createGatewayService(db(), shop.ownerActor, { kind, name: "Cards", accountId: "12", apiBaseUrl: "not a url", apiKey: "short", webhookKey: "tiny" }));
    expect(said).toEqual({
      code: "validation_failed",
      fields: {
        accountId: ["An account ID looks like ACC-1234."],
        apiBaseUrl: ["Enter the API's URL."],
        apiKey: ["An API key has at least 12 characters."],
        webhookKey: ["A webhook key has at least 8 characters."],
      },
    });
    // The name, and a required field left empty, come back with the rest.
    expect(await refusal(createGatewayService(db(), shop.ownerActor, { kind, name: " ", accountId: "ACC-12", apiKey: "" }))).toEqual({
      code: "validation_failed",
      fields: { name: ["Enter a name customers will recognise."], accountId: ["An account ID looks like ACC-1234."], apiKey: ["Enter the API key."] },
    });
    expect(await refusal(createGatewayService(db(), shop.ownerActor, { kind, name: "Cards", accountId: "ACC-1234", apiKey: "  " }))).toEqual({
      code: "validation_failed",
      fields: { apiKey: ["Enter the API key."] },
    });
    expect(await servicesOf(shop.merchant.id)).toEqual([]);
  });

  it("keeps public fields in config and seals the secrets: never in config, the audit log or the list's description", async () => {
    const shop = await makeMerchant(db());
    const service = await createGatewayService(db(), shop.ownerActor, { kind, name: "Cards", accountId: "ACC-1234", apiBaseUrl: "https://api.gateway.example/", apiKey, webhookKey });
    expect(service).toMatchObject({ kind, name: "Cards", config: { accountId: "ACC-1234", apiBaseUrl: "https://api.gateway.example/" }, secretSealed: null });
    expect(Object.keys(service.config).sort()).toEqual(["accountId", "apiBaseUrl"]);
    expect(service.credentialsSealed).not.toContain(apiKey);
    expect(JSON.parse(openSecret(service.credentialsSealed!))).toEqual({ apiKey, webhookKey });

    const [row] = await servicesOf(shop.merchant.id);
    expect(JSON.stringify(row)).not.toContain(apiKey);
    expect(JSON.stringify(row)).not.toContain(webhookKey);
    const audit = await db().select().from(auditLog).where(eq(auditLog.targetId, service.id));
    expect(audit.map((a) => a.action)).toEqual(["payment_service.created"]);
    expect(JSON.stringify(audit)).not.toContain(apiKey);
    expect(JSON.stringify(audit)).toContain("apiKey");

    expect(credentialNames(row!).sort()).toEqual(["apiKey", "webhookKey"]);
    expect(gatewaySettings(row!)).toEqual([
      { name: "accountId", label: "Account ID", secret: false, value: "ACC-1234", set: true },
      { name: "apiBaseUrl", label: "API base URL", secret: false, value: "https://api.gateway.example/", set: true },
      { name: "apiKey", label: "API key", secret: true, set: true },
      { name: "webhookKey", label: "Webhook key", secret: true, set: true },
      { name: "accountNumber", label: "Settlement account", secret: false, set: false },
    ]);
    expect(describeGateway(row!)).toBe("Account ID: ACC-1234 · API base URL: https://api.gateway.example/ · API key set · Webhook key set");
  });

  it("says which optional secret is not set", async () => {
    const shop = await makeMerchant(db());
    const service = await createGatewayService(db(), shop.ownerActor, { kind, name: "Cards", accountId: "ACC-1234", apiKey, webhookKey: "" });
    expect(JSON.parse(openSecret(service.credentialsSealed!))).toEqual({ apiKey });
    expect(describeGateway(service)).toBe("Account ID: ACC-1234 · API key set · Webhook key not set");
  });

  it("offers only the gateways whose connector has a setup, and refuses linking one that has none", async () => {
    expect(linkableGateways().find((g) => g.kind === kind)).toMatchObject({ label: "Test Gateway", fields: [{ name: "accountId" }, { name: "apiBaseUrl" }, { name: "apiKey", secret: true }, { name: "webhookKey", secret: true }, { name: "accountNumber" }] });
    const other = gatewayKindList.find((k) => k !== testGatewayKind)!;
    const saved = connectors[other].setup;
    delete connectors[other].setup;
    try {
      expect(linkableGateways().map((g) => g.kind)).not.toContain(other);
      const shop = await makeMerchant(db());
      expect(await refusal(createGatewayService(db(), shop.ownerActor, { kind: other, name: "Later", accountId: "ACC-1234", apiKey }))).toEqual({
        code: "validation_failed",
        fields: { kind: ["This gateway cannot be linked yet."] },
      });
      expect(await refusal(createGatewayService(db(), shop.ownerActor, { kind: "bank_transfer" as never, name: "Later" }))).toMatchObject({ code: "validation_failed", fields: { kind: ["Choose a gateway."] } });
      expect(await servicesOf(shop.merchant.id)).toEqual([]);
    } finally {
      if (saved) connectors[other].setup = saved;
    }
  });
});

describe("editing a gateway (payment_services.gateway.update)", () => {
  it("keeps a secret left empty, replaces one given, changes public fields; the kind stays", async () => {
    const shop = await makeMerchant(db());
    const owner = shop.ownerActor;
    const merchantId = shop.merchant.id;
    const service = await createGatewayService(db(), owner, { kind, name: "Cards", accountId: "ACC-1234", apiKey, webhookKey });
    const form = { serviceId: service.id, kind, name: "Cards (main)", accountId: "ACC-5678", apiBaseUrl: "", apiKey: "", webhookKey: "" };

    const kept = await updateGatewayService(db(), owner, form);
    expect(kept).toMatchObject({ name: "Cards (main)", config: { accountId: "ACC-5678" } });
    expect(JSON.parse(openSecret(kept.credentialsSealed!))).toEqual({ apiKey, webhookKey });

    const replaced = await updateGatewayService(db(), owner, { ...form, apiKey: "new_key_abcdefghijkl" });
    expect(JSON.parse(openSecret(replaced.credentialsSealed!))).toEqual({ apiKey: "new_key_abcdefghijkl", webhookKey });
    const audit = await db().select().from(auditLog).where(eq(auditLog.targetId, service.id));
    expect(JSON.stringify(audit)).not.toContain("new_key_abcdefghijkl");
    expect(audit.filter((a) => a.action === "payment_service.updated").map((a) => (a.after as { replaced: string[] }).replaced)).toEqual([[], ["apiKey"]]);

    // A bad new value is refused by field, with the name, and nothing changes; a secret left empty is not an error.
    expect(await refusal(updateGatewayService(db(), owner, { ...form, name: "", accountId: "nope", apiKey: "short" }))).toEqual({
      code: "validation_failed",
      fields: { name: ["Enter a name customers will recognise."], accountId: ["An account ID looks like ACC-1234."], apiKey: ["An API key has at least 12 characters."] },
    });
    expect(await refusal(updateGatewayService(db(), owner, { ...form, accountId: "nope" }))).toEqual({
      code: "validation_failed",
      fields: { accountId: ["An account ID looks like ACC-1234."] },
    });
    const now = await getService(db(), { merchantId, id: service.id });
    expect(now.config).toEqual({ accountId: "ACC-5678" });
    expect(JSON.parse(openSecret(now.credentialsSealed!))).toEqual({ apiKey: "new_key_abcdefghijkl", webhookKey });

    // Another gateway's kind, with fields that gateway accepts: only the kind is wrong.
    const other = gatewayKindList.find((k) => k !== kind && k === "myfatoorah")!;
    const otherFields = { baseUrl: "https://apitest.myfatoorah.com", currency: "KWD", apiKey: "mf_token_0123456789abcdef", webhookSecret: "mf_webhook_secret_01" };
    expect(await refusal(updateGatewayService(db(), owner, { serviceId: service.id, name: form.name, kind: other, ...otherFields }))).toEqual({
      code: "validation_failed",
      fields: { kind: ["A service's kind cannot change: link a new service instead."] },
    });
  });

  it("is only for owners and admins", async () => {
    const shop = await makeMerchant(db());
    const service = await createGatewayService(db(), shop.ownerActor, { kind, name: "Cards", accountId: "ACC-1234", apiKey });
    const admin = (await shop.addMember("admin")).actor;
    expect((await createGatewayService(db(), admin, { kind, name: "Admin's", accountId: "ACC-1111", apiKey })).name).toBe("Admin's");
    for (const role of ["support", "viewer"] as const) {
      const actor = (await shop.addMember(role)).actor;
      expect((await refusal(createGatewayService(db(), actor, { kind, name: "No", accountId: "ACC-1234", apiKey })))?.code).toBe("forbidden");
      expect((await refusal(updateGatewayService(db(), actor, { serviceId: service.id, kind, name: "No", accountId: "ACC-1234", apiKey: "" })))?.code).toBe("forbidden");
    }
    expect((await getService(db(), { merchantId: shop.merchant.id, id: service.id })).name).toBe("Cards");
  });
});
