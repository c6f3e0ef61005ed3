import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptionKey } from "@/lib/env";
import { createTestDb, onServerPostgres, type TestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { type Cluster, startCluster } from "@/test/next-cluster";

/**
 * The session cookie as next-auth sets it on a deployment served over https
 * (NEXTAUTH_URL), through `next start`: what only a real response shows.
 */
describe.runIf(onServerPostgres())("the session cookie over https, on next start", () => {
  let handle: TestDb;
  let cluster: Cluster;
  let shop: Awaited<ReturnType<typeof makeMerchant>>;

  beforeAll(async () => {
    handle = await createTestDb();
    shop = await makeMerchant(handle.db, "Cookie Store");
    cluster = await startCluster(1, {
      DATABASE_URL: handle.url!,
      DATABASE_POOL_MAX: "3",
      AUTH_SECRET: `cookie-auth-${randomBytes(24).toString("base64url")}`,
      SETTLE_ENCRYPTION_KEY: encryptionKey(),
      WEBHOOKS_DISPATCHER: "off",
      NEXTAUTH_URL: "https://settle.example",
    });
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await handle?.close();
  });

  it("is __Secure-, Secure, HttpOnly and SameSite=Lax, and opens the dashboard only until sign-out", async () => {
    const base = cluster.instances[0]!.url;
    const csrf = await fetch(`${base}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookies = csrf.headers.getSetCookie();
    expect(csrfCookies.every((c) => /;\s*Secure/i.test(c)), csrfCookies.join("\n")).toBe(true);
    const jar = csrfCookies.map((c) => c.split(";")[0]).join("; ");
    const signIn = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
      body: new URLSearchParams({ csrfToken, email: shop.owner.email, password: "correct-horse", json: "true" }),
    });
    const set = signIn.headers.getSetCookie().find((c) => c.startsWith("__Secure-next-auth.session-token="));
    expect(set, signIn.headers.getSetCookie().join("\n")).toBeDefined();
    const attributes = set!.split(";").slice(1).map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));

    const session = set!.split(";")[0]!;
    expect((await fetch(`${base}/dashboard`, { headers: { cookie: session }, redirect: "manual" })).status).toBe(200);
    const out = await fetch(`${base}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${jar}; ${session}` },
      body: new URLSearchParams({ csrfToken, json: "true" }),
    });
    expect(out.status).toBe(200);
    expect((await fetch(`${base}/dashboard`, { headers: { cookie: session }, redirect: "manual" })).status).toBe(307);
  });
});
