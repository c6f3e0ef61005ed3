import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Receiver, startReceiver } from "@/test/webhook-receiver";
import { endpointUrlSchema } from "./endpoints";
import { createSender } from "./http";
import { isBlockedAddress } from "./ssrf";

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const request = (url: string) => ({ url, headers: {}, body: "{}", timeoutMs: 2000 });

describe("SSRF guard (production mode)", () => {
  // Production: private targets refused. A test name resolves to loopback through the injected resolver.
  const production = createSender({
    allowPrivate: false,
    resolve: async (host) => {
      if (host === "internal.example.test") return [{ address: "127.0.0.1", family: 4 }];
      if (host === "public.example.test") return [{ address: "93.184.215.14", family: 4 }];
      throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    },
  });
  afterAll(() => production.close());

  const refused = [
    "https://10.1.2.3/hook",
    "https://172.16.0.1/hook",
    "https://172.31.255.254/hook",
    "https://192.168.1.10/hook",
    "https://127.0.0.1/hook",
    "https://127.8.9.10/hook",
    "https://[::1]/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[fd00:ec2::254]/hook",
    "https://0.0.0.0/hook",
    "https://localhost/hook",
    "https://internal.example.test/hook",
  ];
  for (const url of refused) {
    it(`refuses ${url}`, async () => {
      const res = await production.send(request(url));
      expect(res.outcome).toBe("failed");
      expect(res.status).toBeNull();
      expect(res.error).toMatch(/Refused/);
    });
  }

  it("checks the address actually connected to: a name resolving to 127.0.0.1 never reaches the receiver on it", async () => {
    const r = await startReceiver();
    receivers.push(r);
    const res = await production.send(request(`https://internal.example.test:${r.port}/hooks`));
    expect(res.error).toMatch(/Refused: internal\.example\.test resolves to 127\.0\.0\.1/);
    expect(r.received).toHaveLength(0);
  });

  it("refuses plain http in production", async () => {
    expect((await production.send(request("http://public.example.test/hook"))).error).toMatch(/only https/);
  });

  it("endpoint forms refuse the same targets in production, and allow them in development", () => {
    const prod = endpointUrlSchema(false);
    for (const url of refused.filter((u) => !u.includes("example.test"))) expect(prod.safeParse(url).success).toBe(false);
    expect(prod.safeParse("http://example.com/hook").success).toBe(false);
    expect(prod.safeParse("https://example.com/hook").success).toBe(true);
    const dev = endpointUrlSchema(true);
    expect(dev.safeParse("http://127.0.0.1:4000/hook").success).toBe(true);
    expect(dev.safeParse("ftp://example.com/hook").success).toBe(false);
  });

  it("classifies addresses", () => {
    for (const a of ["10.0.0.1", "172.16.5.4", "192.168.0.1", "127.0.0.1", "::1", "169.254.169.254", "fe80::1", "::ffff:10.0.0.1", "100.64.0.1"]) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of ["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"]) expect(isBlockedAddress(a), a).toBe(false);
  });
});

describe("development and tests (WEBHOOKS_ALLOW_PRIVATE)", () => {
  it("reach a receiver on 127.0.0.1 over http", async () => {
    const r = await startReceiver();
    receivers.push(r);
    const dev = createSender({ allowPrivate: true });
    const res = await dev.send(request(r.url));
    await dev.close();
    expect(res).toMatchObject({ outcome: "succeeded", status: 200 });
    expect(r.received).toHaveLength(1);
  });
});
