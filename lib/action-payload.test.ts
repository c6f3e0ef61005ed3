import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptionKey } from "@/lib/env";
import { createTestDb, onServerPostgres, type TestDb } from "@/test/db";
import { type Cluster, startCluster } from "@/test/next-cluster";
import { ACTION_BODY_LIMIT, actionPayloadProblem, isFetchAction } from "./action-payload";

const action = (body: BodyInit, contentType = "text/plain;charset=UTF-8") =>
  new Request("http://localhost/signup", { method: "POST", headers: { "next-action": "7f00", "content-type": contentType }, body });

/** Multipart as a browser's FormData sends it, with the boundary Request chose. */
function multipart(fields: Record<string, string>): Request {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const encoded = new Request("http://localhost", { method: "POST", body: form });
  return new Request("http://localhost/signup", { method: "POST", headers: { "next-action": "7f00", "content-type": encoded.headers.get("content-type")! }, body: encoded.body, duplex: "half" } as RequestInit);
}

describe("a server action's envelope", () => {
  it("passes what React's encodeReply sends: JSON text, or form data with JSON in row 0", async () => {
    expect(await actionPayloadProblem(action('[null,{"name":"Ada"}]'))).toBeNull();
    expect(await actionPayloadProblem(multipart({ "0": '[null,"$K1"]', "1_name": "Ada" }))).toBeNull();
  });

  it("refuses a body that cannot be one: 400, or 413 past Next's limit", async () => {
    expect(await actionPayloadProblem(action("{not json"))).toMatchObject({ status: 400, code: "bad_request" });
    expect(await actionPayloadProblem(action("garbage", "multipart/form-data"))).toMatchObject({ status: 400 });
    expect(await actionPayloadProblem(action("garbage", "multipart/form-data; boundary=abc"))).toMatchObject({ status: 400 });
    expect(await actionPayloadProblem(multipart({ name: "Ada" }))).toMatchObject({ status: 400 });
    expect(await actionPayloadProblem(multipart({ "0": "{nope" }))).toMatchObject({ status: 400 });
    expect(await actionPayloadProblem(action(`["${"a".repeat(ACTION_BODY_LIMIT)}"]`))).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("is asked only of fetch actions: POSTs with a Next-Action header that are not URL-encoded forms", () => {
    expect(isFetchAction(action("x"))).toBe(true);
    expect(isFetchAction(action("a=b", "application/x-www-form-urlencoded"))).toBe(false);
    expect(isFetchAction(new Request("http://localhost/signup", { method: "POST", body: "x" }))).toBe(false);
    expect(isFetchAction(new Request("http://localhost/signup", { headers: { "next-action": "7f00" } }))).toBe(false);
  });
});

/** What only `next start` can show: what a malformed action body gets back, and that sound ones still run. */
describe.runIf(onServerPostgres())("server-action payloads over HTTP, on next start", () => {
  let handle: TestDb;
  let cluster: Cluster;
  let signupActionId: string;

  beforeAll(async () => {
    handle = await createTestDb();
    cluster = await startCluster(1, {
      DATABASE_URL: handle.url!,
      DATABASE_POOL_MAX: "3",
      AUTH_SECRET: `payload-auth-${randomBytes(24).toString("base64url")}`,
      SETTLE_ENCRYPTION_KEY: encryptionKey(),
      WEBHOOKS_DISPATCHER: "off",
    });
    const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName?: string }>;
    };
    signupActionId = Object.entries(manifest.node).find(([, a]) => a.exportedName === "signupAction")![0];
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await handle?.close();
  });

  const post = async (body: string, contentType = "text/plain;charset=UTF-8") => {
    const res = await fetch(`${cluster.instances[0]!.url}/signup`, {
      method: "POST",
      headers: { "next-action": signupActionId, "content-type": contentType, origin: cluster.instances[0]!.url },
      body,
    });
    return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
  };

  it("a body that cannot be a server action's arguments is a JSON 400 (413 past the limit), not a 500", async () => {
    for (const [body, type] of [
      ["{not json", undefined],
      ["garbage", "multipart/form-data"],
      ["garbage", "multipart/form-data; boundary=abc"],
    ] as const) {
      const res = await post(body, type);
      expect([res.status, res.type, JSON.parse(res.text).error.code], `${type ?? "text"}: ${body}`).toEqual([400, "application/json", "bad_request"]);
    }
    const big = await post(`["${"a".repeat(ACTION_BODY_LIMIT)}"]`);
    expect([big.status, JSON.parse(big.text).error.code]).toEqual([413, "payload_too_large"]);
  });

  it("a sound body still reaches the action; one whose JSON names rows it lacks is still Next's 500", async () => {
    const sound = await post('[null,{"name":""}]');
    expect(sound.status).toBe(200);
    expect(sound.text).toContain("Enter your name.");
    // The limit of the envelope check (lib/action-payload.ts): React's own reply format, decoded inside Next.
    expect((await post('["$1"]')).status).toBe(500);
  });
});
