import { readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import type { Operation, RouteHandler } from "@/lib/api/operation";
import { buildOpenApiDocument, pingOp } from "@/lib/api/openapi";
import { operations } from "@/lib/api/operations";

const root = path.resolve(__dirname, "../../app/api/v1");
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route.ts under app/api/v1, as the path Next serves it (`[id]` → `{id}`). */
function routeFiles(dir = root): { file: string; path: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    if (entry.name !== "route.ts") return [];
    const rel = path.relative(root, dir).split(path.sep).filter(Boolean);
    return [{ file: full, path: `/${rel.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}` }];
  });
}

type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>> };
const doc = buildOpenApiDocument() as Doc;

describe("the OpenAPI document", () => {
  it("has every method of every route under app/api/v1, and nothing else", async () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThanOrEqual(16);
    const served: string[] = [];
    for (const { file, path: p } of files) {
      const mod = (await import(file)) as Record<string, RouteHandler | undefined>;
      for (const m of methods) {
        const handler = mod[m];
        // The methods a route does not serve, and paths no route serves, answer 405/404 (lib/api/wire-errors.test.ts).
        if (!handler || "fallback" in handler) continue;
        served.push(`${m} ${p}`);
        // The handler serves the operation it is documented as.
        expect(handler.operation, `${m} ${p}`).toMatchObject({ method: m, path: p });
      }
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(served.sort()).toEqual(documented.sort());
  });

  it("names every operation's tag among its tags, so the reference shows each group in order", () => {
    const tags = (doc as unknown as { tags: { name: string }[] }).tags.map((t) => t.name);
    for (const op of operations) expect(tags, op.operationId).toContain(op.tag);
    expect(tags.indexOf("Refunds")).toBe(tags.indexOf("Payment requests") + 1);
  });

  it("is valid OpenAPI 3.1 and every $ref resolves", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(doc)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(() => validator.resolveRefs()).not.toThrow();
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    const components = (doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas;
    for (const ref of refs) expect(Object.keys(components)).toContain(ref.replace(/^"\$ref":"#\/components\/schemas\//, "").replace(/"$/, ""));
  });

  it("every operation's response example is a true instance of its response shape", () => {
    for (const op of [...operations, pingOp] as Omit<Operation, "run">[]) {
      if (!op.examples?.response) throw new Error(`${op.operationId} has no response example`);
      const parsed = op.response.safeParse(op.examples.response);
      expect(parsed.success, `${op.operationId}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      const body = "body" in op ? op.body : undefined;
      if (body && op.examples.request) expect(body.safeParse(op.examples.request).success, op.operationId).toBe(true);
    }
  });

  it("shows an example body for every operation that takes one, and the guide to signing and webhooks", () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const content = op.requestBody?.content["application/json"];
        if (content) expect(content.example, `${m} ${p}`).toBeDefined();
      }
    }
    const guide = (doc as unknown as { info: { description: string } }).info.description;
    expect(guide).toContain("x-signature");
    expect(guide).toContain('from "standardwebhooks"');
    expect(guide).toContain("Idempotency-Key");
  });
});
