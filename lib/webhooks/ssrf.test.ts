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
      if (host === "sixtofour.example.test") return [{ address: "2002:a9fe:a9fe::1", family: 6 }];
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
    // IPv6 forms that carry to a private IPv4 host or are not public unicast
    "https://[2002:a9fe:a9fe::1]/latest/meta-data", // 6to4 of 169.254.169.254
    "https://[2002:7f00:1::]/hook", // 6to4 of 127.0.0.1
    "https://[::127.0.0.1]/hook", // IPv4-compatible
    "https://[::a9fe:a9fe]/hook", // IPv4-compatible, metadata
    "https://[::ffff:0:a00:1]/hook", // IPv4-translated (RFC 6145) of 10.0.0.1
    "https://[fec0::1]/hook", // site-local
    "https://[64:ff9b:1::a00:1]/hook", // local-use NAT64 (RFC 8215)
    "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook", // Teredo
    "https://[4000::1]/hook", // outside global unicast 2000::/3
    "https://sixtofour.example.test/hook", // a name resolving to 6to4 of the metadata address
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

  it("names the 6to4 address a name resolved to, judged on the IPv4 host it carries to", async () => {
    const res = await production.send(request("https://sixtofour.example.test/hook"));
    expect(res.error).toMatch(/Refused: sixtofour\.example\.test resolves to 2002:a9fe:a9fe::1/);
  });

  it("judges an IPv6 form by the IPv4 host it embeds: private refused, public allowed", () => {
    const embedded = [
      ["::ffff:7f00:1", "::ffff:808:808"], // IPv4-mapped, hex
      ["::10.0.0.1", "::8.8.8.8"], // IPv4-compatible
      ["64:ff9b::10.0.0.1", "64:ff9b::8.8.8.8"], // NAT64 (DNS64)
      ["64:ff9b::a9fe:a9fe", "64:ff9b::5db8:d70e"],
      ["2002:c0a8:101::1", "2002:808:808::1"], // 6to4 of 192.168.1.1 / 8.8.8.8
      ["2002:6440:1::", "2002:5db8:d70e::"], // 6to4 of 100.64.0.1 (CGNAT) / 93.184.215.14
    ];
    for (const [bad, good] of embedded) {
      expect(isBlockedAddress(bad!), bad).toBe(true);
      expect(isBlockedAddress(good!), good).toBe(false);
    }
  });

  it("refuses every IPv6 range that is not public unicast", () => {
    for (const a of ["fec0::1", "feff::1", "2001::1", "2001:db8::1", "100::1", "ff02::1", "fc00::1", "3fff::1", "::", "::2", "4000::1", "5f00::1"]) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of ["2606:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001:80b::200e"]) expect(isBlockedAddress(a), a).toBe(false);
  });

  it("refuses what is not an IP literal, and IPv4 outside public unicast", () => {
    for (const a of ["example.com", "127.1", "0x7f.0.0.1", "", "255.255.255.255", "192.0.2.1", "198.18.0.1", "240.0.0.1", "224.0.0.1"]) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
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
