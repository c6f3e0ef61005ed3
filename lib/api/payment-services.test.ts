import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as serviceRoute from "@/app/api/v1/payment-services/[id]/route";
import * as servicesRoute from "@/app/api/v1/payment-services/route";
import { auditLog, paymentServices } from "@/db/schema";
import type { RouteHandler } from "@/lib/api/operation";
import type { Actor } from "@/lib/auth/roles";
import { openSecret } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import { createService, ensureSandbox, getService, listServices } from "@/lib/payment-services/services";
import { call, type Credentials, databaseSnapshot, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";

const { db } = useApiTestDb();
let owner: Actor;
let merchantId: string;
let full: Credentials;
let viewer: Credentials;
let other: Credentials;
/** Every answer this file got, to look for secrets in. */
const answers: string[] = [];

const bankSecret = "pss_bank_Zq8vN3kLw1xR7tY2";
const redirectSecret = "pss_cards_Hj4mP9sD2fG6kL0q";
const rotatedSecret = "pss_rotated_Xc5vB8nM1qW3eR7t";

beforeAll(async () => {
  const m = await makeMerchant(db(), "Services Store");
  owner = m.ownerActor;
  merchantId = m.merchant.id;
  full = await makeApiKey(db(), owner, "Order system");
  viewer = await makeApiKey(db(), owner, "Reporting", "viewer");
  const stranger = await makeMerchant(db(), "Other Store");
  other = await makeApiKey(db(), stranger.ownerActor);
  // Both have their sandbox from the start, as sign-up gives it.
  for (const id of [merchantId, stranger.merchant.id]) await ensureSandbox(db(), id);
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

/** The merchant's service of a kind, as the tests before left it. */
const serviceOf = async (kind: string) => (await listServices(db(), merchantId)).find((s) => s.kind === kind)!;

const bankBody = {
  kind: "bank_transfer",
  name: "ACB account",
  bank: { bank_bin: "970416", account_number: "257678859", account_name: "Tran Tu Thien" },
  signing_secret: bankSecret,
};

describe("payment services through the API", () => {
  it("links a bank account and a provider as the dashboard does, secrets sealed, and reads them back", async () => {
    const bank = await ok(servicesRoute.POST, "/payment-services", { body: bankBody });
    expect(bank).toMatchObject({
      kind: "bank_transfer",
      name: "ACB account",
      enabled: true,
      flows: ["qr"],
      bank: { bank_bin: "970416", bank_name: "ACB", account_number: "257678859", account_name: "TRAN TU THIEN" },
      base_url: null,
      signing_secret_set: true,
    });
    expect(bank.id).toMatch(/^svc_/);
    const cards = await ok(servicesRoute.POST, "/payment-services", { body: { kind: "redirect", name: "ZainCash", base_url: "https://pay.provider.example/" } });
    expect(cards).toMatchObject({ kind: "redirect", flows: ["redirect"], bank: null, base_url: "https://pay.provider.example/", signing_secret_set: false });

    // The dashboard's own list shows them, the secret sealed at rest.
    const rows = await listServices(db(), merchantId);
    expect(rows.map((r) => r.name)).toEqual(["Sandbox", "ACB account", "ZainCash"]);
    const row = rows.find((r) => r.id === bank.id)!;
    expect(row.secretSealed).not.toContain(bankSecret);
    expect(openSecret(row.secretSealed!)).toBe(bankSecret);
    expect(rows.find((r) => r.id === cards.id)!.secretSealed).toBeNull();

    expect(await ok(serviceRoute.GET, `/payment-services/${bank.id}`)).toEqual(bank);
    const all = await ok(servicesRoute.GET, "/payment-services");
    expect(all.data.map((s: { name: string }) => s.name)).toEqual(["Sandbox", "ACB account", "ZainCash"]);
    expect(all.has_more).toBe(false);
  });

  it("pages the list with limit and starting_after, in the order the services were linked", async () => {
    const first = await ok(servicesRoute.GET, "/payment-services?limit=2");
    expect(first.data.map((s: { name: string }) => s.name)).toEqual(["Sandbox", "ACB account"]);
    expect(first.has_more).toBe(true);
    const next = await ok(servicesRoute.GET, `/payment-services?limit=2&starting_after=${first.data[1].id}`);
    expect(next.data.map((s: { name: string }) => s.name)).toEqual(["ZainCash"]);
    expect(next.has_more).toBe(false);
    const stranger = await send(servicesRoute.GET, "/payment-services?starting_after=svc_nope", full);
    expect([stranger.status, stranger.json.error.fields]).toEqual([422, { starting_after: ["No payment service has this id."] }]);
  });

  it("changes only the fields sent, replaces or removes the secret, and turns a service off and on", async () => {
    const bank = (await ok(servicesRoute.GET, "/payment-services")).data.find((s: { kind: string }) => s.kind === "bank_transfer");
    const renamed = await ok(serviceRoute.PATCH, `/payment-services/${bank.id}`, { body: { name: "ACB (main)", bank: { account_number: "1234567890" } } });
    expect(renamed).toMatchObject({ name: "ACB (main)", bank: { bank_bin: "970416", account_number: "1234567890", account_name: "TRAN TU THIEN" }, signing_secret_set: true, enabled: true });
    expect(openSecret((await getService(db(), { merchantId, id: bank.id })).secretSealed!)).toBe(bankSecret);

    await ok(serviceRoute.PATCH, `/payment-services/${bank.id}`, { body: { signing_secret: rotatedSecret } });
    expect(openSecret((await getService(db(), { merchantId, id: bank.id })).secretSealed!)).toBe(rotatedSecret);
    const unsigned = await ok(serviceRoute.PATCH, `/payment-services/${bank.id}`, { body: { signing_secret: null } });
    expect(unsigned.signing_secret_set).toBe(false);
    expect((await getService(db(), { merchantId, id: bank.id })).secretSealed).toBeNull();

    const off = await ok(serviceRoute.PATCH, `/payment-services/${bank.id}`, { body: { enabled: false } });
    expect(off).toMatchObject({ enabled: false, name: "ACB (main)" });
    expect((await getService(db(), { merchantId, id: bank.id })).enabled).toBe(false);
    const onAndRenamed = await ok(serviceRoute.PATCH, `/payment-services/${bank.id}`, { body: { enabled: true, name: "ACB" } });
    expect(onAndRenamed).toMatchObject({ enabled: true, name: "ACB" });

    const sandbox = (await ok(servicesRoute.GET, "/payment-services")).data.find((s: { kind: string }) => s.kind === "sandbox");
    expect((await ok(serviceRoute.PATCH, `/payment-services/${sandbox.id}`, { body: { enabled: false } })).enabled).toBe(false);
    expect((await ok(serviceRoute.PATCH, `/payment-services/${sandbox.id}`, { body: { enabled: true } })).enabled).toBe(true);

    const audit = await db().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.merchantId, merchantId));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["payment_service.updated", "payment_service.disabled", "payment_service.enabled"]));
  });

  it("says which fields are wrong, in the API's names and the dashboard's words, and writes nothing", async () => {
    const before = await databaseSnapshot(db());
    const bad = { kind: "bank_transfer", name: " ", bank: { bank_bin: "000000", account_number: "12 34", account_name: "A" }, signing_secret: "short" };
    const res = await send(servicesRoute.POST, "/payment-services", full, { body: bad });
    expect(res.status, res.text).toBe(422);
    // The same input through the dashboard's command, as its form sends it.
    const dashboard = await createService(db(), owner, { kind: "bank_transfer", name: " ", bankBin: "000000", accountNumber: "12 34", accountName: "A", secret: "short" }).then(
      () => null,
      (err: AppError) => err.fields,
    );
    expect(res.json.error.fields).toEqual({
      name: dashboard!.name,
      "bank.bank_bin": dashboard!.bankBin,
      "bank.account_number": dashboard!.accountNumber,
      "bank.account_name": dashboard!.accountName,
      signing_secret: dashboard!.secret,
    });
    expect(res.json.error.fields["bank.bank_bin"]).toEqual(["Choose the bank from the list."]);

    const unknownKind = await send(servicesRoute.POST, "/payment-services", full, { body: { kind: "crypto", name: "Coins" } });
    expect([unknownKind.status, unknownKind.json.error.fields]).toEqual([422, { kind: ["Choose bank_transfer, redirect, myfatoorah, foloosi, ipint, finan or furatpay."] }]);
    const mixed = await send(servicesRoute.POST, "/payment-services", full, { body: { ...bankBody, base_url: "https://pay.example.com/" } });
    expect([mixed.status, mixed.json.error.fields]).toEqual([422, { base_url: ["Unknown field: leave it out."] }]);
    const ftp = await send(servicesRoute.POST, "/payment-services", full, { body: { kind: "redirect", name: "Cards", base_url: "ftp://pay.example.com/" } });
    expect(Object.keys(ftp.json.error.fields)).toEqual(["base_url"]);

    const [bank, cards, sandbox] = await Promise.all(["bank_transfer", "redirect", "sandbox"].map(async (k) => (await serviceOf(k)).id));
    const patches: [string, unknown, Record<string, string[]>][] = [
      [bank!, { name: "", bank: { bank_bin: "1" } }, { name: ["Enter a name customers will recognise."], "bank.bank_bin": ["Choose the bank from the list."] }],
      [bank!, { base_url: "https://pay.example.com/" }, { base_url: ["A bank_transfer service has no such setting."] }],
      [cards!, { bank: { account_number: "123456" } }, { bank: ["A redirect service has no such setting."] }],
      [cards!, { signing_secret: "" }, { signing_secret: ["The signing secret must be at least 16 characters."] }],
      [sandbox!, { name: "My sandbox", enabled: false }, { name: ["The sandbox is built in: it can only be turned on or off (`enabled`)."] }],
      [cards!, { enabled: "no" }, { enabled: ["Invalid input: expected boolean, received string"] }],
    ];
    for (const [id, body, fields] of patches) {
      const patched = await send(serviceRoute.PATCH, `/payment-services/${id}`, full, { body });
      expect([patched.status, patched.json.error?.fields], JSON.stringify(body)).toEqual([422, fields]);
    }
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("answers 404 for another merchant's service, and leaves it as it was", async () => {
    const bank = await serviceOf("bank_transfer");
    const before = await databaseSnapshot(db());
    for (const [handler, body] of [
      [serviceRoute.GET, undefined],
      [serviceRoute.PATCH, { enabled: false }],
      [serviceRoute.PATCH, { name: "Mine now", signing_secret: "pss_stolen_0123456789" }],
    ] as const) {
      const res = await send(handler, `/payment-services/${bank.id}`, other, { body });
      expect([res.status, res.json.error.code], res.text).toEqual([404, "not_found"]);
    }
    expect((await send(servicesRoute.GET, "/payment-services", other)).text).not.toContain(bank.id);
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("refuses a read-only key every change, with nothing written, and lets it read", async () => {
    const bank = await serviceOf("bank_transfer");
    expect((await send(servicesRoute.GET, "/payment-services", viewer)).status).toBe(200);
    expect((await send(serviceRoute.GET, `/payment-services/${bank.id}`, viewer)).status).toBe(200);
    const before = await databaseSnapshot(db());
    const link = await send(servicesRoute.POST, "/payment-services", viewer, { body: bankBody, headers: { "idempotency-key": "viewer-link" } });
    const change = await send(serviceRoute.PATCH, `/payment-services/${bank.id}`, viewer, { body: { enabled: false } });
    for (const res of [link, change]) expect([res.status, res.json.error.message]).toEqual([403, "This API key's access (read only) does not allow this."]);
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("links once for one Idempotency-Key, and refuses the key with another body", async () => {
    const body = { kind: "redirect", name: "Retried provider", base_url: "https://retry.example.com/", signing_secret: redirectSecret };
    const first = await send(servicesRoute.POST, "/payment-services", full, { body, headers: { "idempotency-key": "link-cards" } });
    expect(first.status, first.text).toBe(201);
    const again = await send(servicesRoute.POST, "/payment-services", full, { body, headers: { "idempotency-key": "link-cards" } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json.id).toBe(first.json.id);
    const linked = await db().select({ n: sql<number>`count(*)::int` }).from(paymentServices).where(eq(paymentServices.name, "Retried provider"));
    expect(linked).toEqual([{ n: 1 }]);
    const conflict = await send(servicesRoute.POST, "/payment-services", full, { body: { ...body, name: "Another" }, headers: { "idempotency-key": "link-cards" } });
    expect([conflict.status, conflict.json.error.code]).toEqual([409, "idempotency_conflict"]);
  });

  it("never answers with a signing secret, sealed or open, and never audits one", async () => {
    expect(answers.length).toBeGreaterThan(20);
    const sealed = (await db().select({ s: paymentServices.secretSealed }).from(paymentServices)).flatMap((r) => (r.s ? [r.s] : []));
    const audit = JSON.stringify(await db().select().from(auditLog));
    for (const secret of [bankSecret, redirectSecret, rotatedSecret, ...sealed]) {
      for (const text of answers) expect(text).not.toContain(secret);
      expect(audit).not.toContain(secret);
    }
  });
});
