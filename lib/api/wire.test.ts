import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "@/lib/api/auth";
import { encryptionKey } from "@/lib/env";
import { type Credentials, makeApiKey } from "@/test/api";
import { createTestDb, onServerPostgres, type TestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { type Cluster, startCluster } from "@/test/next-cluster";
import { finanSign } from "@/test/simulators/finan";

/** Sends `target` byte for byte as the request line's target (fetch would normalise it first). */
function send(base: string, method: string, target: string, headers: Record<string, string>, body = "") {
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** What only a real `next start` can show: how Next hands the request target to the API's handlers. */
describe.runIf(onServerPostgres())("the API over HTTP, on next start", () => {
  let handle: TestDb;
  let cluster: Cluster;
  let creds: Credentials;

  beforeAll(async () => {
    handle = await createTestDb();
    const { ownerActor } = await makeMerchant(handle.db, "Wire Store");
    creds = await makeApiKey(handle.db, ownerActor);
    cluster = await startCluster(1, {
      DATABASE_URL: handle.url!,
      DATABASE_POOL_MAX: "3",
      AUTH_SECRET: `wire-auth-${randomBytes(24).toString("base64url")}`,
      SETTLE_ENCRYPTION_KEY: encryptionKey(),
      WEBHOOKS_DISPATCHER: "off",
    });
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await handle?.close();
  });

  const signed = (method: string, target: string, body = "") => {
    const ts = String(Math.floor(Date.now() / 1000));
    return {
      "x-client-id": creds.clientId,
      "x-timestamp": ts,
      "x-signature": signRequest(creds.secret, { method, pathWithQuery: target, timestamp: ts, body }),
    };
  };

  it.each([
    "/api/v1/invoices?q=Minh%20Nguyen",
    "/api/v1/invoices?q=a~b:c/d'e[f|g",
    "/api/v1/invoices?q=a%2fb",
    "/api/v1/invoices?q=it's%27s",
    "/api/v1/invoices?",
  ])("a GET signed over exactly %s verifies", async (target) => {
    const res = await send(cluster.instances[0]!.url, "GET", target, signed("GET", target));
    expect(res.status, res.text).toBe(200);
  });

  it("an unknown route, a wrong method and a trailing slash answer JSON errors; a 401 says how to authenticate", async () => {
    const base = cluster.instances[0]!.url;
    const json = (res: { headers: Record<string, string | string[] | undefined>; text: string }) => {
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      return JSON.parse(res.text) as { error: { code: string; message: string } };
    };
    for (const method of ["GET", "POST", "DELETE"]) {
      const unknown = await send(base, method, "/api/v1/nothing/here", signed(method, "/api/v1/nothing/here"));
      expect([unknown.status, json(unknown).error.code]).toEqual([404, "not_found"]);
    }
    const wrong = await send(base, "DELETE", "/api/v1/invoices", signed("DELETE", "/api/v1/invoices"));
    expect([wrong.status, json(wrong).error.code, wrong.headers.allow]).toEqual([405, "method_not_allowed", "GET, POST, HEAD, OPTIONS"]);
    for (const method of ["GET", "POST"]) {
      const slash = await send(base, method, "/api/v1/invoices/", signed(method, "/api/v1/invoices/"));
      expect([slash.status, json(slash).error]).toEqual([404, { code: "not_found", message: expect.stringContaining("/api/v1/invoices") }]);
    }
    const unsigned = await send(base, "GET", "/api/v1/invoices", {});
    expect([unsigned.status, json(unsigned).error.code]).toEqual([401, "missing_credentials"]);
    expect(unsigned.headers["www-authenticate"]).toMatch(/^Bearer realm="settle-api", SettleSignature/);
    // A person's trailing slash still goes to the page.
    const page = await send(base, "GET", "/login/?next=1", {});
    expect([page.status, new URL(String(page.headers.location), base).pathname + new URL(String(page.headers.location), base).search]).toEqual([308, "/login?next=1"]);
  });

  it("Finan's paths answer Finan-signed requests (over the target as sent) in Finan's envelope, never a sign-in redirect", async () => {
    const base = cluster.instances[0]!.url;
    const finan = (method: string, target: string, body = "") => {
      const ts = String(Math.floor(Date.now() / 1000));
      const signature = finanSign(creds.secret, method, target.slice("/open".length), body, ts);
      return { "content-type": "application/json", "x-client-id": creds.clientId, "x-timestamp": ts, "x-signature": signature };
    };
    const body = JSON.stringify({ payment_method: "bank_transfer", amount: 6000000, reference_id: "WIRE-FINAN-1" });
    const created = await send(base, "POST", "/open/api/v1/payments", finan("POST", "/open/api/v1/payments", body), body);
    expect([created.status, JSON.parse(created.text).code], created.text).toEqual([200, 102001]);
    const target = "/open/api/v1/payments?reference_id=WIRE-FINAN-1&x=a%20b~c";
    const listed = await send(base, "GET", target.replace("&x=a%20b~c", ""), finan("GET", target.replace("&x=a%20b~c", "")));
    expect([listed.status, JSON.parse(listed.text).data.length], listed.text).toEqual([200, 1]);
    // An unknown query parameter, signed over its raw bytes: the signature verifies, the parameter is refused.
    const raw = await send(base, "GET", target, finan("GET", target));
    expect([raw.status, JSON.parse(raw.text).error.code], raw.text).toEqual([422, "validation_failed"]);
    const unsigned = await send(base, "GET", "/open/api/v1/payments", {});
    expect([unsigned.status, JSON.parse(unsigned.text).code, JSON.parse(unsigned.text).error.code]).toEqual([401, 102401, "missing_credentials"]);
    const slash = await send(base, "GET", "/open/api/v1/payments/", {});
    expect([slash.status, JSON.parse(slash.text).code]).toEqual([404, 102404]);
  });
});

if (!onServerPostgres()) console.info("[wire.test] needs server Postgres (set DATABASE_URL) and a next build.");
