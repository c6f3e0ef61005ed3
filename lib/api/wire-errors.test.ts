import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as catchAll from "@/app/api/v1/[...path]/route";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import type { FallbackHandler, RouteHandler } from "@/lib/api/operation";
import { ORIGIN, call, useApiTestDb } from "@/test/api";

useApiTestDb();

const root = path.resolve(__dirname, "../../app/api/v1");
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

const errorShape = { error: { code: expect.any(String), message: expect.any(String) } };

describe("every /api/v1 answer is JSON", () => {
  it("every route answers every method it does not serve with 405, Allow and the error body", async () => {
    let checked = 0;
    for (const file of routeFiles()) {
      if (file.includes("[...path]")) continue;
      const mod = (await import(file)) as Record<string, RouteHandler | FallbackHandler | undefined>;
      const served = methods.filter((m) => mod[m] && !("fallback" in mod[m]!));
      if (!served.length) {
        // Serves nothing outside the benchmark (lib/api/floor.ts): a 404 for every method, like a path no route serves.
        for (const m of methods) expect((await mod[m]!(new Request(`${ORIGIN}/api/v1/x`, { method: m }))).status, `${m} ${file}`).toBe(404);
        continue;
      }
      for (const m of methods.filter((x) => !served.includes(x))) {
        const handler = mod[m];
        expect(handler, `${m} ${file}`).toBeDefined();
        const res = await handler!(new Request(`${ORIGIN}/api/v1/x`, { method: m }));
        expect(res.status).toBe(405);
        expect(res.headers.get("content-type")).toBe("application/json");
        expect(res.headers.get("allow")?.split(", ")).toEqual(expect.arrayContaining([...served, "OPTIONS"]));
        expect(await res.json()).toEqual({ error: { code: "method_not_allowed", message: expect.stringContaining(m) } });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("a path no route serves is a JSON 404 for every method", async () => {
    for (const m of [...methods, "OPTIONS"] as const) {
      const handler = (catchAll as unknown as Record<string, FallbackHandler>)[m]!;
      const res = await handler(new Request(`${ORIGIN}/api/v1/nothing/here`, { method: m }));
      expect([res.status, res.headers.get("content-type")]).toEqual([404, "application/json"]);
      expect(await res.json()).toEqual({ error: { code: "not_found", message: expect.stringContaining("/api/v1/nothing/here") } });
    }
  });

  it("every 401 says how to authenticate in WWW-Authenticate", async () => {
    for (const res of [
      await call(invoicesRoute.GET, "/invoices", null),
      await call(invoicesRoute.GET, "/invoices", null, { headers: { authorization: "Bearer sk_made_up" } }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.json).toEqual(errorShape);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="settle-api", SettleSignature realm="settle-api"/);
    }
  });
});
