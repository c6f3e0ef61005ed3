import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getProviderJson } from "./provider-http";

describe("a provider status lookup obeys the outgoing-request rules", () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === "/moved") return void res.writeHead(302, { location: "/payments/x" }).end();
      if (req.url === "/big") return void res.writeHead(200).end("x".repeat(200 * 1024));
      // 80 KiB in 40,960 characters: over the limit in bytes, under it in characters.
      if (req.url === "/wide") return void res.writeHead(200).end("é".repeat(40 * 1024));
      if (req.url === "/split") {
        // "Nguyễn" with its "ễ" (3 bytes) cut in two writes that arrive apart.
        const bytes = Buffer.from(JSON.stringify({ customer: "Nguyễn" }));
        const cut = bytes.indexOf(Buffer.from("ễ")) + 1;
        res.writeHead(200, { "content-type": "application/json" });
        res.write(bytes.subarray(0, cut));
        return void setTimeout(() => res.end(bytes.subarray(cut)), 50);
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "x", status: "succeeded" }));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it("in development a local provider is reached", async () => {
    const res = await getProviderJson(new URL(`http://127.0.0.1:${port}/payments/x`), { allowPrivate: true });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ id: "x", status: "succeeded" });
  });

  it("in production loopback, private and metadata addresses and a name for loopback are refused before any request", async () => {
    const before = hits;
    for (const url of [
      `https://127.0.0.1:${port}/payments/x`,
      "https://10.1.2.3/payments/x",
      "https://192.168.1.1/payments/x",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/payments/x",
      `https://localhost:${port}/payments/x`,
    ]) {
      await expect(getProviderJson(new URL(url), { allowPrivate: false }), url).rejects.toThrow(/Refused/);
    }
    await expect(getProviderJson(new URL(`http://127.0.0.1:${port}/payments/x`), { allowPrivate: false })).rejects.toThrow(/https/);
    expect(hits).toBe(before);
  });

  it("a redirect is not followed, and an oversized answer is cut off", async () => {
    const moved = await getProviderJson(new URL(`http://127.0.0.1:${port}/moved`), { allowPrivate: true });
    expect(moved.status).toBe(302);
    await expect(getProviderJson(new URL(`http://127.0.0.1:${port}/big`), { allowPrivate: true })).rejects.toThrow(/too large/);
    await expect(getProviderJson(new URL(`http://127.0.0.1:${port}/wide`), { allowPrivate: true })).rejects.toThrow(/too large/);
  });

  it("reads the answer as bytes: a character split across packets arrives whole", async () => {
    const res = await getProviderJson(new URL(`http://127.0.0.1:${port}/split`), { allowPrivate: true });
    expect(JSON.parse(res.body)).toEqual({ customer: "Nguyễn" });
  });
});
