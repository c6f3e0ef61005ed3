import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import { apiKeys } from "@/db/schema";
import { signRequest } from "@/lib/api/auth";
import { revokeApiKey } from "@/lib/api-keys/keys";
import { call, type Credentials, makeApiKey, ORIGIN, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";

const { db } = useApiTestDb();
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
