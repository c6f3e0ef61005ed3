import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as catchAll from "@/app/open/api/v1/[...path]/route";
import * as paymentRoute from "@/app/open/api/v1/payments/[id]/route";
import * as paymentsRoute from "@/app/open/api/v1/payments/route";
import { invoiceItems, invoices } from "@/db/schema";
import { signedHeaders } from "@/lib/api/auth";
import { revokeApiKey } from "@/lib/api-keys/keys";
import { signNotification } from "@/lib/connectors/signature";
import { parseEmvco } from "@/lib/connectors/vietqr";
import { createGatewayService } from "@/lib/payment-services/gateways";
import { handleProviderNotification } from "@/lib/payment-services/notify";
import { createService } from "@/lib/payment-services/services";
import { type Credentials, databaseSnapshot, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { finanSign, startFinanSimulator, type FinanSimulator } from "@/test/simulators/finan";

/**
 * The Finan-compatible API driven through its route handlers by a client
 * written from Finan's docs, not from Settle's code: the seed doc's curl
 * example (test/fixtures/finan-create-payment.json, byte for byte) and the
 * "Generating signature" page's recipe, x-signature = hex SHA-256 of
 * `{secret}_{METHOD}_{path after /open}_{payload}_{timestamp}` (the
 * simulator's finanSign), payload "" for a GET and the compacted JSON
 * (Finan's Go sample compacts it) for a POST.
 */

const { db } = useApiTestDb();
const ORIGIN = "http://127.0.0.1:3999";
const fixture = readFileSync(path.resolve(__dirname, "../../../test/fixtures/finan-create-payment.json"), "utf8");
const FIXTURE_ACCOUNT_ID = "54957437-0cb5-4992-ad0e-76d26ba4ddc3";
const FIXTURE_REFERENCE = "54fgi4537-0cb5-4992-ad0e-76d26ba4ddc3";
const BANK_SECRET = "mb-bank-signing-secret-0001";

type Handler = (request: Request, context?: { params?: Promise<Record<string, string>> }) => Promise<Response>;

interface FinanCall {
  /** What follows /open: `/api/v1/payments?reference_id=X`. */
  path: string;
  body?: string;
  /** Hash the body as sent instead of compacted. */
  signRaw?: true;
  /** Unix seconds for x-timestamp; by default now (a write: the next second this client has not signed it in). */
  at?: number;
  secret?: string;
  clientId?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
}

const signedAt = new Map<string, number>();
const nowS = () => Math.floor(Date.now() / 1000);

/** A Finan client: signs as Finan's page says and sends to Finan's path, /open included. */
async function finan(handler: Handler, creds: Credentials | null, method: "GET" | "POST" | "PUT", call: FinanCall) {
  const body = call.body;
  const payload = method === "GET" || body === undefined ? "" : call.signRaw ? body : JSON.stringify(JSON.parse(body));
  let at = call.at ?? nowS();
  if (call.at === undefined && method !== "GET") {
    const key = `${creds?.clientId}${call.path}${payload}`;
    at = Math.max(at, (signedAt.get(key) ?? 0) + 1);
    signedAt.set(key, at);
  }
  const ts = String(at);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (creds) {
    headers["x-client-id"] = call.clientId ?? creds.clientId;
    headers["x-timestamp"] = ts;
    headers["x-signature"] = finanSign(call.secret ?? creds.secret, method, call.path, payload, ts);
  }
  Object.assign(headers, call.headers);
  const response = await handler(new Request(`${ORIGIN}/open${call.path}`, { method, headers, body }), { params: Promise.resolve(call.params ?? {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text), text };
}

const create = (creds: Credentials, body: unknown, extra: Omit<FinanCall, "path" | "body"> = {}) =>
  finan(paymentsRoute.POST, creds, "POST", { path: "/api/v1/payments", body: typeof body === "string" ? body : JSON.stringify(body), ...extra });
const list = (creds: Credentials, query = "", extra: Omit<FinanCall, "path"> = {}) =>
  finan(paymentsRoute.GET, creds, "GET", { path: `/api/v1/payments${query}`, ...extra });
const getOne = (creds: Credentials, id: string) => finan(paymentRoute.GET, creds, "GET", { path: `/api/v1/payments/${id}`, params: { id } });

/** The doc's answer envelope: message.content, code, request_id, data. */
function expectEnvelope(json: Record<string, unknown>, code: number) {
  expect(json).toMatchObject({ message: { content: expect.any(String) }, code, request_id: expect.any(String) });
  expect(json).toHaveProperty("data");
}

/** A refusal: the HTTP status, Settle's reason in `error`, and the same envelope with code 102000 + status. */
function expectRefusal(res: { status: number; json: any }, status: number, reason: string) {
  expect([res.status, res.json.error?.code], JSON.stringify(res.json)).toEqual([status, reason]);
  expectEnvelope(res.json, 102_000 + status);
  expect(res.json.data).toBeNull();
  expect(res.json.message.content).toContain(res.json.error.message);
}

/** The doc's response fields for a created request, and no others. */
const CREATED_FIELDS = ["bank_transfer_detail", "payment_request_code", "payment_request_id", "payment_url"];
const BANK_FIELDS = ["account_name", "account_number", "bank_name", "qr_code", "remark"];
/** The doc's fields of a listed payment request. */
const LISTED_FIELDS = ["amount", "customer", "description", "merchant", "paid_amount", "payment_method", "payment_request_id", "payments", "reference_id", "reference_type", "status"];

let m: Awaited<ReturnType<typeof makeMerchant>>;
let full: Credentials;
let bankServiceId: string;

beforeAll(async () => {
  m = await makeMerchant(db(), "Finan Migrant Shop");
  full = await makeApiKey(db(), m.ownerActor, "Order system (Finan client)");
  const bank = await createService(db(), m.ownerActor, {
    kind: "bank_transfer",
    name: "MB Bank",
    bankBin: "970422",
    accountNumber: "0933450210",
    accountName: "Tran Tu Thien",
    secret: BANK_SECRET,
  });
  bankServiceId = bank.id;
});

/** The bank's signed notification of a transfer whose remark the customer typed. */
async function bankTransfer(id: string, amount: number, remark: string) {
  const body = JSON.stringify({ id, amount, remark });
  const request = new Request(`${ORIGIN}/api/providers/${bankServiceId}/notify`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signNotification(BANK_SECRET, body) },
    body,
  });
  return handleProviderNotification(db(), bankServiceId, request);
}

describe("Finan's own curl example", () => {
  let created: any;

  it("is accepted byte for byte, signed as Finan's doc says, and answers with the doc's fields and values", async () => {
    expect(fixture.startsWith('{\n"merchant"')).toBe(true);
    const res = await create(full, fixture);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expectEnvelope(res.json, 102_001);
    created = res.json.data;
    expect(Object.keys(created).sort()).toEqual(CREATED_FIELDS);
    expect(Object.keys(created.bank_transfer_detail).sort()).toEqual(BANK_FIELDS);
    expect(created.payment_request_code).toMatch(/^[A-Z0-9]{8}$/);
    // A bank transfer has no page to send the customer to: the customer scans or types.
    expect(created.payment_url).toBe("");
    expect(created.bank_transfer_detail).toMatchObject({
      bank_name: "MB",
      account_name: "TRAN TU THIEN",
      account_number: "0933450210",
      remark: created.payment_request_code,
    });
    // The QR is a VietQR for the MB account, asking the amount.
    const qr = parseEmvco(created.bank_transfer_detail.qr_code);
    expect(qr.get("38")).toContain("970422");
    expect(qr.get("38")).toContain("0933450210");
    expect(qr.get("54")).toBe("6000000");

    // No invoice had the reference: the example's items and customer made one under it.
    const [invoice] = await db().select().from(invoices).where(and(eq(invoices.merchantId, m.merchant.id), eq(invoices.referenceId, FIXTURE_REFERENCE)));
    expect(invoice).toMatchObject({ amount: 6_000_000, currency: "VND", customerName: "Nguyen Van A", customerEmail: "nguyena@gmail.com" });
    const items = await db().select().from(invoiceItems).where(eq(invoiceItems.invoiceId, invoice!.id));
    expect(items.map((i) => [i.name, i.unitPrice, i.quantity])).toEqual([["So Ban Hang Pro 3 Nam", 3_000_000, 2]]);
  });

  it("is accepted signed over the body exactly as sent too, and then pays what the invoice still owes", async () => {
    // The invoice now exists under the reference: reference_type invoice attaches a new request to it.
    const res = await create(full, fixture, { signRaw: true });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data.payment_request_id).not.toBe(created.payment_request_id);
    const count = await db().$count(invoices, and(eq(invoices.merchantId, m.merchant.id), eq(invoices.referenceId, FIXTURE_REFERENCE)));
    expect(count).toBe(1);
  });

  it("is listed and read back with the doc's fields, and its status follows the transfers the bank reports with the bare remark", async () => {
    const listed = await list(full, `?reference_type=invoice&reference_id=${FIXTURE_REFERENCE}`);
    expect(listed.status, listed.text).toBe(200);
    expectEnvelope(listed.json, 102_000);
    expect(listed.json.data).toHaveLength(2);
    const mine = listed.json.data.find((r: any) => r.payment_request_id === created.payment_request_id);
    expect(Object.keys(mine).sort()).toEqual(LISTED_FIELDS);
    expect(mine).toEqual({
      payment_request_id: created.payment_request_id,
      paid_amount: 0,
      status: "unpaid",
      payment_method: "bank_transfer",
      amount: 6_000_000,
      description: "thanh toan don hang",
      reference_type: "invoice",
      reference_id: FIXTURE_REFERENCE,
      payments: [],
      merchant: { name: "Finan Migrant Shop", email: "" },
      customer: { name: "Nguyen Van A", email: "nguyena@gmail.com" },
    });

    // The customer types the remark Finan's answer gave them; their bank wraps it in its own text.
    const code = created.bank_transfer_detail.remark;
    expect((await bankTransfer("MB-FT-0001", 2_000_000, `MBVCB.1234.${code.toLowerCase()}.CT tu NGUYEN VAN A`)).status).toBe(200);
    let one = await getOne(full, created.payment_request_id);
    expect(one.status, one.text).toBe(200);
    expectEnvelope(one.json, 102_000);
    expect(Object.keys(one.json.data).sort()).toEqual(LISTED_FIELDS);
    expect(one.json.data).toMatchObject({ status: "partial_paid", paid_amount: 2_000_000 });
    expect(one.json.data.payments).toEqual([{ id: expect.stringMatching(/^pay_/), amount: 2_000_000, method: "bank_transfer", created_at: expect.any(String) }]);

    expect((await bankTransfer("MB-FT-0002", 4_000_000, code)).status).toBe(200);
    one = await getOne(full, created.payment_request_id);
    expect(one.json.data).toMatchObject({ status: "paid", paid_amount: 6_000_000 });
    expect(one.json.data.payments.map((p: { amount: number }) => p.amount)).toEqual([2_000_000, 4_000_000]);
  });
});

describe("Finan's request fields", () => {
  it("ewallet_momo and card get a payment page in payment_url and no bank details; GET names the method as Finan does", async () => {
    for (const method of ["ewallet_momo", "card"] as const) {
      const res = await create(full, { payment_method: method, amount: 150_000, reference_id: `MOMO-${method}` });
      expect(res.status, res.text).toBe(200);
      expect(res.json.data.bank_transfer_detail).toBeNull();
      expect(res.json.data.payment_url).toMatch(new RegExp(`^http.*/sandbox/${res.json.data.payment_request_code}\\?`));
      const read = await getOne(full, res.json.data.payment_request_id);
      expect(read.json.data).toMatchObject({ payment_method: method, reference_type: "", reference_id: `MOMO-${method}`, status: "unpaid" });
    }
  });

  it("the invoice shortcut: reference_type invoice with no items pays an existing invoice, and names none that does not exist", async () => {
    const first = await create(full, { payment_method: "bank_transfer", amount: 300_000, reference_id: "SHORT-1", items: [{ name: "Tra", price: 100_000, quantity: 3, amount: 300_000 }] });
    expect(first.status, first.text).toBe(200);
    const shortcut = await create(full, { payment_method: "bank_transfer", amount: 300_000, reference_id: "SHORT-1", reference_type: "invoice" });
    expect(shortcut.status, shortcut.text).toBe(200);
    const unknown = await create(full, { payment_method: "bank_transfer", amount: 300_000, reference_id: "NO-SUCH-INVOICE", reference_type: "invoice" });
    expectRefusal(unknown, 422, "validation_failed");
    expect(unknown.json.error.fields).toEqual({ reference_id: ["No invoice has this id or reference ID."] });
  });

  it("account_id: a Settle payment service id picks that service; an empty one (a Go client's) reads as absent", async () => {
    const chosen = await create(full, { payment_method: "bank_transfer", amount: 10_000, reference_id: "ACC-1", account_id: bankServiceId });
    expect(chosen.json.data.bank_transfer_detail.bank_name).toBe("MB");
    const blank = await create(full, { payment_method: "bank_transfer", amount: 10_000, reference_id: "ACC-2", account_id: "", description: "", reference_type: "", customer: null });
    expect(blank.status, blank.text).toBe(200);
    const wrong = await create(full, { payment_method: "bank_transfer", amount: 10_000, reference_id: "ACC-3", account_id: "svc_nope" });
    expectRefusal(wrong, 422, "validation_failed");
    expect(wrong.json.error.fields).toEqual({ account_id: ["No enabled payment service of yours has this id."] });
  });

  it("refuses what Finan's doc does not allow, every field at once, writing nothing", async () => {
    const before = await databaseSnapshot(db());
    const res = await create(full, {
      payment_method: "ewallet",
      amount: 0,
      description: "x".repeat(31),
      reference_id: "BAD 1",
      items: [{ name: "x", price: 1, quantity: 1 }],
      currency: "USD",
    });
    expectRefusal(res, 422, "validation_failed");
    expect(Object.keys(res.json.error.fields).sort()).toEqual(["amount", "currency", "description", "items.0.amount", "payment_method", "reference_id"]);
    expect(res.json.error.fields.description).toEqual(["Use at most 30 characters."]);
    expect(res.json.message.content).toMatch(/description: Use at most 30 characters\./);
    const items = await create(full, { payment_method: "bank_transfer", amount: 5, reference_id: "BAD-2", items: [{ name: "x", price: 2, quantity: 2, amount: 5 }] });
    expect(items.json.error.fields).toEqual({ "items.0.amount": ["Must be price × quantity = 4."] });
    expect(await databaseSnapshot(db())).toEqual(before);
  });
});

describe("a Finan account id", () => {
  let sim: FinanSimulator;
  beforeAll(async () => {
    sim = await startFinanSimulator({ clientId: "finan-client-1", secretKey: "finan-secret-0123456789" });
  });
  afterAll(() => sim.close());

  it("names the merchant's linked Finan service with that account id, whose own answer (bank code, remark) is passed on", async () => {
    const other = await makeMerchant(db(), "Finan Linked Shop");
    const creds = await makeApiKey(db(), other.ownerActor);
    await createService(db(), other.ownerActor, { kind: "bank_transfer", name: "ACB", bankBin: "970416", accountNumber: "257678859", accountName: "Tran Tu Thien" });
    await createGatewayService(db(), other.ownerActor, {
      kind: "finan",
      name: "Finan MB account",
      baseUrl: sim.url,
      clientId: "finan-client-1",
      secretKey: "finan-secret-0123456789",
      accountId: FIXTURE_ACCOUNT_ID.toUpperCase(),
      bankBin: "970422",
      accountNumber: "0933450210",
      accountName: "TRAN TU THIEN",
    });
    const res = await create(creds, fixture);
    expect(res.status, res.text).toBe(200);
    const asked = sim.latestRequest()!;
    expect(asked).toMatchObject({ amount: 6_000_000, payment_method: "bank_transfer", account_id: FIXTURE_ACCOUNT_ID.toUpperCase() });
    expect(res.json.data.bank_transfer_detail).toMatchObject({ bank_name: "MB", remark: asked.payment_request_code });
  });
});

describe("Finan's authentication with a Settle API key", () => {
  it("refuses a wrong signature, a stale timestamp, an unknown client id and missing headers, in Finan's envelope, writing nothing", async () => {
    const before = await databaseSnapshot(db());
    const body = JSON.stringify({ payment_method: "bank_transfer", amount: 10_000, reference_id: "AUTH-1" });
    const cases = [
      [await create(full, body, { secret: "sk_test_not_the_secret" }), "invalid_signature"],
      [await create(full, body, { at: nowS() - 31 }), "stale_timestamp"],
      [await create(full, body, { at: nowS() + 31 }), "stale_timestamp"],
      [await create(full, body, { clientId: "ck_nobody" }), "invalid_key"],
      [await finan(paymentsRoute.POST, null, "POST", { path: "/api/v1/payments", body }), "missing_credentials"],
      // Finan has no bearer secret, and Settle's own /api/v1 signature is not Finan's.
      [await finan(paymentsRoute.POST, null, "POST", { path: "/api/v1/payments", body, headers: { authorization: `Bearer ${full.secret}` } }), "missing_credentials"],
      [
        await finan(paymentsRoute.POST, null, "POST", {
          path: "/api/v1/payments",
          body,
          headers: signedHeaders(full, { method: "POST", pathWithQuery: "/open/api/v1/payments", body }),
        }),
        "invalid_signature",
      ],
    ] as const;
    for (const [res, reason] of cases) {
      expectRefusal(res, 401, reason);
      expect(res.headers.get("www-authenticate")).toMatch(/^FinanSignature /);
    }
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("accepts a timestamp within Finan's 30 seconds, and signs the query string into the path", async () => {
    expect((await list(full, "", { at: nowS() - 25 })).status).toBe(200);
    const filtered = await list(full, "?reference_id=ACC-1");
    expect(filtered.status, filtered.text).toBe(200);
    expect(filtered.json.data.map((r: { reference_id: string }) => r.reference_id)).toEqual(["ACC-1"]);
    // Signed without the query: not this request.
    const ts = String(nowS());
    const res = await finan(paymentsRoute.GET, null, "GET", {
      path: "/api/v1/payments?reference_id=ACC-1",
      headers: { "x-client-id": full.clientId, "x-timestamp": ts, "x-signature": finanSign(full.secret, "GET", "/api/v1/payments", "", ts) },
    });
    expectRefusal(res, 401, "invalid_signature");
  });

  it("refuses the same signed write twice, unless it carries the same Idempotency-Key, which answers the first response", async () => {
    const body = JSON.stringify({ payment_method: "bank_transfer", amount: 20_000, reference_id: "IDEM-1" });
    const at = nowS();
    const first = await create(full, body, { at, headers: { "idempotency-key": "order-idem-1" } });
    expect(first.status, first.text).toBe(200);
    const again = await create(full, body, { at, headers: { "idempotency-key": "order-idem-1" } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const resigned = await create(full, body, { at: at + 1, headers: { "idempotency-key": "order-idem-1" } });
    for (const r of [again, resigned]) expect(r.json).toEqual(first.json);
    expect(await db().$count(invoices, and(eq(invoices.merchantId, m.merchant.id), eq(invoices.referenceId, "IDEM-1")))).toBe(1);

    const plain = JSON.stringify({ payment_method: "bank_transfer", amount: 20_000, reference_id: "REPLAY-1" });
    expect((await create(full, plain, { at })).status).toBe(200);
    expectRefusal(await create(full, plain, { at }), 401, "replayed_request");
  });

  it("a revoked key is refused", async () => {
    const doomed = await makeApiKey(db(), m.ownerActor, "Old integration");
    expect((await list(doomed)).status).toBe(200);
    await revokeApiKey(db(), m.ownerActor, { keyId: doomed.keyId });
    expectRefusal(await list(doomed), 401, "revoked_key");
  });
});

describe("keys' modes and access", () => {
  it("a test key's requests are not a live key's, and a live key with no live bank account is told to link one", async () => {
    const made = await create(full, { payment_method: "bank_transfer", amount: 30_000, reference_id: "MODE-1" });
    const live = await makeApiKey(db(), m.inMode(m.ownerActor, true), "Live order system");
    expectRefusal(await getOne(live, made.json.data.payment_request_id), 404, "not_found");
    expect((await list(live)).json.data).toEqual([]);
    expect((await list(full, "?reference_id=MODE-1")).json.data).toHaveLength(1);
    const refused = await create(live, { payment_method: "bank_transfer", amount: 30_000, reference_id: "MODE-2" });
    expectRefusal(refused, 422, "validation_failed");
    expect(refused.json.error.fields.payment_method[0]).toMatch(/^No enabled payment service of yours takes bank_transfer payments in VND\. Link a bank account that takes VND in live mode/);
  });

  it("support and read-only keys read requests but cannot make one, and nothing is written", async () => {
    const made = await create(full, { payment_method: "bank_transfer", amount: 40_000, reference_id: "ROLE-1" });
    for (const role of ["support", "viewer"] as const) {
      const key = await makeApiKey(db(), m.ownerActor, `${role} key`, role);
      expect((await list(key, "?reference_id=ROLE-1")).json.data).toHaveLength(1);
      expect((await getOne(key, made.json.data.payment_request_id)).status).toBe(200);
      const before = await databaseSnapshot(db());
      const res = await create(key, { payment_method: "bank_transfer", amount: 40_000, reference_id: `ROLE-${role}` }, { headers: { "idempotency-key": `role-${role}` } });
      expectRefusal(res, 403, "forbidden");
      expect(await databaseSnapshot(db())).toEqual(before);
    }
  });
});

describe("paths and methods", () => {
  it("an unknown request id, a method the path does not serve and a path none serves answer in Finan's envelope", async () => {
    expectRefusal(await getOne(full, "pl_nothing"), 404, "not_found");
    const put = await finan(paymentsRoute.PUT as Handler, full, "PUT", { path: "/api/v1/payments", body: "{}" });
    expectRefusal(put, 405, "method_not_allowed");
    expect(put.headers.get("allow")).toBe("GET, POST, OPTIONS");
    const nowhere = await finan(catchAll.GET as Handler, full, "GET", { path: "/api/v1/payouts" });
    expectRefusal(nowhere, 404, "not_found");
  });
});
