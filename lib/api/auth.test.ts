import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import { openDb } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { apiKeys, invoices } from "@/db/schema";
import { authenticate, sentTargets, signedHeaders, signRequest, TIMESTAMP_TOLERANCE_S } from "@/lib/api/auth";
import { sweepApiTables } from "@/lib/api/housekeeping";
import { SEEN_SIGNATURE_FOR_S } from "@/lib/api/rate-limit";
import { REQUEST_TARGET_HEADER } from "@/lib/api/request-target";
import type { AppError } from "@/lib/errors";
import { onServerPostgres } from "@/test/db";
import { revokeApiKey } from "@/lib/api-keys/keys";
import { call, type Credentials, makeApiKey, ORIGIN, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";

const { db, handle } = useApiTestDb();
let creds: Credentials;
let owner: Awaited<ReturnType<typeof makeMerchant>>["ownerActor"];
const body = { currency: "USD", items: [{ name: "Tea", unit_price: 500, quantity: 1 }], customer: { name: "Ada" } };
const raw = JSON.stringify(body);

beforeAll(async () => {
  owner = (await makeMerchant(db())).ownerActor;
  creds = await makeApiKey(db(), owner);
});

/** A POST /invoices with hand-made signed headers, so each part can be broken on purpose. */
async function signed(
  parts: { secret?: string; path?: string; signedBody?: string; sentBody?: string; timestamp?: number; clientId?: string; method?: string },
) {
  const ts = String(parts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = signRequest(parts.secret ?? creds.secret, {
    method: parts.method ?? "POST",
    pathWithQuery: parts.path ?? "/api/v1/invoices",
    timestamp: ts,
    body: parts.signedBody ?? raw,
  });
  return call(invoicesRoute.POST, "/invoices", null, {
    raw: parts.sentBody ?? raw,
    headers: { "x-client-id": parts.clientId ?? creds.clientId, "x-timestamp": ts, "x-signature": signature },
  });
}

const code = (res: { json: { error?: { code: string } } }) => res.json.error?.code;

describe("signed requests", () => {
  it("a good signature creates the invoice", async () => {
    const res = await signed({});
    expect(res.status).toBe(201);
    expect(res.json.customer.name).toBe("Ada");
  });

  it("refuses a wrong secret, a tampered body or path, another method, and an unknown client id", async () => {
    expect(code(await signed({ secret: "sk_not-the-secret" }))).toBe("invalid_signature");
    expect(code(await signed({ sentBody: raw.replace("500", "5") }))).toBe("invalid_signature");
    expect(code(await signed({ path: "/api/v1/invoices?limit=1" }))).toBe("invalid_signature");
    expect(code(await signed({ method: "GET" }))).toBe("invalid_signature");
    expect(code(await signed({ clientId: "ck_nobody" }))).toBe("invalid_key");
    for (const res of [await signed({ secret: "x" }), await signed({ clientId: "ck_nobody" })]) expect(res.status).toBe(401);
  });

  it("refuses timestamps more than 5 minutes old or ahead, and ones that are not unix seconds", async () => {
    // Whole seconds past the 5 minutes, so a slow machine crossing a second mid-test cannot bring one back inside.
    const now = Math.floor(Date.now() / 1000);
    expect(code(await signed({ timestamp: now - 320 }))).toBe("stale_timestamp");
    expect(code(await signed({ timestamp: now + 320 }))).toBe("stale_timestamp");
    expect((await signed({ timestamp: now - 200 })).status).toBe(201);
    const res = await call(invoicesRoute.GET, "/invoices", null, { headers: { "x-client-id": creds.clientId, "x-timestamp": "yesterday", "x-signature": "00" } });
    expect(code(res)).toBe("stale_timestamp");
  });

  it("says what is missing", async () => {
    const none = await call(invoicesRoute.GET, "/invoices", null);
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: { code: "missing_credentials", message: expect.stringContaining("x-signature") } });
    const partial = await call(invoicesRoute.GET, "/invoices", null, { headers: { "x-client-id": creds.clientId } });
    expect(code(partial)).toBe("missing_credentials");
    const basic = await call(invoicesRoute.GET, "/invoices", null, { headers: { authorization: "Basic Zm9vOmJhcg==" } });
    expect(code(basic)).toBe("missing_credentials");
  });

  it("a signature is only valid for exactly what was signed (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), async (bodyText, extra) => {
        const parts = { method: "POST", pathWithQuery: "/api/v1/x", timestamp: "1700000000", body: bodyText };
        const sig = signRequest(creds.secret, parts);
        expect(signRequest(creds.secret, parts)).toBe(sig);
        expect(signRequest(creds.secret, { ...parts, body: bodyText + extra })).not.toBe(sig);
        expect(signRequest(creds.secret + extra, parts)).not.toBe(sig);
      }),
      { numRuns: 200 },
    );
  });
});

describe("the signed request target", () => {
  /** A GET signed over `target` exactly, sent as a URL the way Next hands it to the handler (WHATWG-parsed). */
  async function getSignedOver(target: string) {
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = signRequest(creds.secret, { method: "GET", pathWithQuery: target, timestamp: ts, body: "" });
    return invoicesRoute.GET(new Request(`${ORIGIN}${target}`, { headers: { "x-client-id": creds.clientId, "x-timestamp": ts, "x-signature": signature } }));
  }

  it.each([
    "/api/v1/invoices?q=Minh%20Nguyen",
    `/api/v1/invoices?q=${encodeURIComponent("Minh Nguyen's tea")}`,
    "/api/v1/invoices?q=a~b:c/d'e[f|g",
    "/api/v1/invoices?q=a%2fb",
    "/api/v1/invoices?q=it's%27s",
    "/api/v1/invoices?",
    "/api/v1/invoices",
  ])("verifies %s when signed over exactly that", async (target) => {
    const res = await getSignedOver(target);
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("still refuses a signature over another target", async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    for (const [signed, sent] of [
      ["/api/v1/invoices?q=a", "/api/v1/invoices?q=b"],
      ["/api/v1/invoices?q=a%2Fb", "/api/v1/invoices?q=a%2fb"],
      ["/api/v1/invoices?q=a'", "/api/v1/invoices?q=a%2527"],
    ]) {
      const signature = signRequest(creds.secret, { method: "GET", pathWithQuery: signed!, timestamp: ts, body: "" });
      const res = await invoicesRoute.GET(new Request(`${ORIGIN}${sent}`, { headers: { "x-client-id": creds.clientId, "x-timestamp": ts, "x-signature": signature } }));
      expect(res.status).toBe(401);
    }
  });

  it("uses the target proxy.ts forwards only when it names this very request", async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const asSent = "/api/v1/invoices?q=Minh%20Nguyen&status=unpaid";
    const headers = (signedOver: string, forwarded: string) => ({
      "x-client-id": creds.clientId,
      "x-timestamp": ts,
      "x-signature": signRequest(creds.secret, { method: "GET", pathWithQuery: signedOver, timestamp: ts, body: "" }),
      [REQUEST_TARGET_HEADER]: forwarded,
    });
    // Next hands the handler the query re-encoded; the forwarded target is what was signed.
    const reencoded = `${ORIGIN}/api/v1/invoices?q=Minh+Nguyen&status=unpaid`;
    expect((await invoicesRoute.GET(new Request(reencoded, { headers: headers(asSent, asSent) }))).status).toBe(200);
    // A forwarded target naming another request is ignored: a signature over it is no good here.
    for (const other of ["/api/v1/payments?q=Minh%20Nguyen&status=unpaid", "/api/v1/invoices?q=Minh%20Nguyen&status=paid"]) {
      expect((await invoicesRoute.GET(new Request(reencoded, { headers: headers(other, other) }))).status).toBe(401);
    }
  });

  it("lists what an apostrophe or an empty query may have been, and only that", () => {
    expect(sentTargets("http://h/api/v1/x?q=a%27b")).toEqual(["/api/v1/x?q=a%27b", "/api/v1/x?q=a'b"]);
    expect(sentTargets("http://h/api/v1/x")).toEqual(["/api/v1/x", "/api/v1/x?"]);
    expect(sentTargets("http://h/api/v1/x?q=%2f%20")).toEqual(["/api/v1/x?q=%2f%20"]);
    expect(sentTargets(`http://h/x?q=${"%27".repeat(4)}`)).toHaveLength(16);
    expect(sentTargets(`http://h/x?q=${"%27".repeat(40)}`)).toEqual([`/x?q=${"%27".repeat(40)}`, `/x?q=${"'".repeat(40)}`]);
  });
});

describe("replayed signed requests", () => {
  const invoiceCount = async (clientRef: string) =>
    (await db().select({ n: sql<number>`count(*)::int` }).from(invoices).where(eq(invoices.referenceId, clientRef)))[0]!.n;

  it("the exact signed POST sent again is refused as replayed_request, in capitals too; one invoice is made", async () => {
    const once = JSON.stringify({ ...body, reference_id: "replay-1" });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = signRequest(creds.secret, { method: "POST", pathWithQuery: "/api/v1/invoices", timestamp: ts, body: once });
    const send = (sig: string) =>
      call(invoicesRoute.POST, "/invoices", null, { raw: once, headers: { "x-client-id": creds.clientId, "x-timestamp": ts, "x-signature": sig } });
    expect((await send(signature)).status).toBe(201);
    for (const sig of [signature, signature.toUpperCase()]) {
      const again = await send(sig);
      expect(again.status).toBe(401);
      expect(again.json).toEqual({ error: { code: "replayed_request", message: expect.stringContaining("already received") } });
    }
    expect(await invoiceCount("replay-1")).toBe(1);
    // Signed afresh (another timestamp), the same body is a new request.
    const fresh = await call(invoicesRoute.POST, "/invoices", creds, { raw: JSON.stringify({ ...body, reference_id: "replay-2" }) });
    expect(fresh.status).toBe(201);
  });

  it("a retry with the same Idempotency-Key gets the first answer; a copy given a fresh key is still a replay", async () => {
    const once = JSON.stringify({ ...body, reference_id: "replay-idem" });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = signRequest(creds.secret, { method: "POST", pathWithQuery: "/api/v1/invoices", timestamp: ts, body: once });
    const send = (idem?: string) =>
      call(invoicesRoute.POST, "/invoices", null, {
        raw: once,
        headers: { "x-client-id": creds.clientId, "x-timestamp": ts, "x-signature": signature, ...(idem ? { "idempotency-key": idem } : {}) },
      });
    const first = await send("idem-replay-1");
    expect(first.status).toBe(201);
    const retry = await send("idem-replay-1");
    expect([retry.status, retry.headers.get("idempotent-replayed"), retry.json.id]).toEqual([201, "true", first.json.id]);
    for (const idem of ["idem-replay-2", undefined]) expect(code(await send(idem))).toBe("replayed_request");
    expect(await invoiceCount("replay-idem")).toBe(1);
  });

  it("reads and bearer requests are not remembered: the same signed GET twice, the same bearer POST twice both pass", async () => {
    const now = new Date();
    expect((await call(invoicesRoute.GET, "/invoices", creds, { now })).status).toBe(200);
    expect((await call(invoicesRoute.GET, "/invoices", creds, { now })).status).toBe(200);
    const bearer = raw;
    expect((await call(invoicesRoute.POST, "/invoices", creds, { auth: "bearer", raw: bearer })).status).toBe(201);
    expect((await call(invoicesRoute.POST, "/invoices", creds, { auth: "bearer", raw: bearer })).status).toBe(201);
  });

  it("forgets a signature only once it could no longer be valid", async () => {
    const rows = rowsOf(
      await db().execute(sql`select extract(epoch from (expires_at - now()))::float8 as s from api_seen_signatures order by expires_at desc limit 1`),
    );
    expect(Number(rows[0]!.s)).toBeGreaterThan(2 * TIMESTAMP_TOLERANCE_S);
    await sweepApiTables(db(), new Date(Date.now() + 2 * TIMESTAMP_TOLERANCE_S * 1000));
    expect(rowsOf(await db().execute(sql`select count(*)::int as n from api_seen_signatures`))[0]!.n).toBeGreaterThan(0);
    await sweepApiTables(db(), new Date(Date.now() + (SEEN_SIGNATURE_FOR_S + 5) * 1000));
    expect(rowsOf(await db().execute(sql`select count(*)::int as n from api_seen_signatures`))[0]!.n).toBe(0);
  });

  it.runIf(onServerPostgres())("is refused by every instance: two pools (as two servers) racing the same signed POST make one invoice", async () => {
    const second = await openDb({ url: handle().url!, driver: "pg" });
    try {
      const once = JSON.stringify({ ...body, reference_id: "replay-race" });
      const headers = signedHeaders(creds, { method: "POST", pathWithQuery: "/api/v1/invoices", body: once });
      const send = async (database: typeof second.db) => {
        const request = new Request(`${ORIGIN}/api/v1/invoices`, { method: "POST", body: once, headers });
        try {
          await authenticate(database, request, once);
          return "admitted";
        } catch (err) {
          return (err as AppError).code;
        }
      };
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => send(i % 2 ? second.db : db())));
      expect(results.filter((r) => r === "admitted")).toHaveLength(1);
      expect(results.filter((r) => r === "replayed_request")).toHaveLength(9);
    } finally {
      await second.close();
    }
  });
});

describe("bearer tokens and revocation", () => {
  it("a bearer secret works; an unknown one does not", async () => {
    expect((await call(invoicesRoute.GET, "/invoices", creds, { auth: "bearer" })).status).toBe(200);
    const res = await call(invoicesRoute.GET, "/invoices", null, { headers: { authorization: "Bearer sk_made_up" } });
    expect(res.status).toBe(401);
    expect(code(res)).toBe("invalid_key");
  });

  it("records when a key was last used, at most once a minute", async () => {
    const fresh = await makeApiKey(db(), owner, "Touch");
    const lastUsed = async () => (await db().select().from(apiKeys).where(eq(apiKeys.id, fresh.keyId)))[0]!.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await call(invoicesRoute.GET, "/invoices", fresh);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await call(invoicesRoute.GET, "/invoices", fresh, { auth: "bearer" });
    expect(await lastUsed()).toEqual(first);
  });

  it("a revoked key is refused at once, signed or bearer", async () => {
    const doomed = await makeApiKey(db(), owner, "Doomed");
    expect((await call(invoicesRoute.GET, "/invoices", doomed)).status).toBe(200);
    // The handlers now remember the key; the revoke only reaches the database, as one made on another instance would.
    await revokeApiKey(db(), owner, { keyId: doomed.keyId });
    for (const auth of ["signed", "bearer"] as const) {
      const res = await call(invoicesRoute.GET, "/invoices", doomed, { auth });
      expect(res.status).toBe(401);
      expect(code(res)).toBe("revoked_key");
    }
    // Only someone holding the secret learns the key was revoked.
    const ts = String(Math.floor(Date.now() / 1000));
    const forged = await call(invoicesRoute.GET, "/invoices", null, {
      headers: { "x-client-id": doomed.clientId, "x-timestamp": ts, "x-signature": "a".repeat(64) },
    });
    expect(code(forged)).toBe("invalid_signature");
  });

  it("the signed path includes the query string as sent", async () => {
    const path = "/api/v1/invoices?limit=1&status=unpaid";
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = signRequest(creds.secret, { method: "GET", pathWithQuery: path, timestamp: ts, body: "" });
    const res = await invoicesRoute.GET(
      new Request(`${ORIGIN}${path}`, { headers: { "x-client-id": creds.clientId, "x-timestamp": ts, "x-signature": signature } }),
    );
    expect(res.status).toBe(200);
    expect((await res.json()).data).toHaveLength(1);
  });
});
