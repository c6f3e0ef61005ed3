import { z } from "zod";
import { version } from "@/package.json";
import { can, type Permission } from "@/lib/auth/roles";
import { errorStatus } from "@/lib/errors";
import { apiGuide, formatGuides } from "./guide";
import { catalogue, exampleRequest, payloadSchema } from "./webhook-catalogue";
import { webhookFormats } from "@/lib/webhooks/formats/catalogue";
import { MAX_IDEMPOTENCY_KEY_LENGTH } from "./idempotency";
import { apiKeyAccess, apiKeyRoles } from "@/lib/auth/roles";
import type { Operation } from "./operation";
import { operations } from "./operations";

type Json = Record<string, unknown>;

export const errorObject = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorStatus) as [keyof typeof errorStatus, ...(keyof typeof errorStatus)[]]),
      message: z.string().meta({ description: "For a person to read." }),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({ description: "Every field that needs attention, by path (`items.0.unit_price`)." }),
    }),
  })
  .meta({ id: "Error" });

/** The two routes that need no key. */
export const openApiOp = {
  operationId: "getOpenApiDocument",
  method: "GET",
  path: "/openapi.json",
  tag: "Meta",
  summary: "This document",
  response: z.object({ openapi: z.string() }).loose(),
} as const satisfies Omit<Operation, "run">;
export const pingOp = {
  operationId: "ping",
  method: "GET",
  path: "/ping",
  tag: "Meta",
  summary: "Liveness: answers without touching the database",
  response: z.object({ ok: z.literal(true) }),
  examples: { response: { ok: true } },
} as const satisfies Omit<Operation, "run">;

/**
 * z.toJSONSchema gives JSON Schema 2020-12, which OpenAPI 3.1 uses as is.
 * Shapes with a `meta({ id })` go to components and are referenced, so an
 * Invoice is described once.
 */
class SchemaSet {
  readonly components: Record<string, Json> = {};

  convert(schema: z.ZodType, io: "input" | "output"): Json {
    const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
    delete json.$schema;
    const defs = (json.$defs ?? {}) as Record<string, Json>;
    delete json.$defs;
    for (const [id, def] of Object.entries(defs)) this.components[id] ??= this.rewrite(def) as Json;
    const rootId = z.globalRegistry.get(schema)?.id;
    if (rootId) {
      this.components[rootId] ??= this.rewrite(json) as Json;
      return { $ref: `#/components/schemas/${rootId}` };
    }
    return this.rewrite(json) as Json;
  }

  private rewrite(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.rewrite(n));
    if (!node || typeof node !== "object") return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace(/^#\/\$defs\//, "#/components/schemas/") : this.rewrite(v)]),
    );
  }
}

/** The key accesses that allow a permission, in words: "full access", "full access or support". */
const neededAccess = (permission: Permission) =>
  apiKeyRoles
    .filter((role) => can(role, permission))
    .map((role) => apiKeyAccess[role].label.toLowerCase())
    .join(" or ");

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

function operationObject(op: Omit<Operation, "run">, schemas: SchemaSet): Json {
  const parameters: Json[] = [];
  for (const [where, schema] of [
    ["path", op.params],
    ["query", op.query],
  ] as const) {
    if (!schema) continue;
    const json = schemas.convert(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = prop;
      parameters.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest });
    }
  }
  if (op.idempotency) {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: "Retry safely: the same key and request within 24 hours replays the first response.",
      schema: { type: "string", maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
    });
  }
  const responses: Json = {
    [String(op.status ?? 200)]: {
      description: "Success",
      ...(op.idempotency
        ? { headers: { "Idempotent-Replayed": { description: "`true` when this is a stored response replayed.", schema: { type: "string", enum: ["true"] } } } }
        : {}),
      content: {
        "application/json": { schema: schemas.convert(op.response, "output"), ...(op.examples?.response ? { example: op.examples.response } : {}) },
      },
    },
  };
  if (!op.public) {
    responses["401"] = errorResponse("Missing or invalid credentials; `error.code` says which.");
    responses["429"] = {
      ...errorResponse("This key made more requests this second than its limit (`rate_limited`); wait for `Retry-After` seconds."),
      headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } },
    };
    if (op.command) responses["403"] = errorResponse(`This key's access does not allow it (\`forbidden\`): it needs ${neededAccess(op.command.permission)}.`);
    if (op.params) responses["404"] = errorResponse("Not found (or another merchant's).");
    if (op.query || op.body || op.method === "POST" || op.method === "PATCH") responses["422"] = errorResponse("Some fields need attention: `error.fields`.");
    if (op.method === "POST" || op.method === "PATCH") {
      responses["400"] = errorResponse("The body is not valid JSON.");
      responses["413"] = errorResponse("The body is over 1 MiB.");
      responses["415"] = errorResponse("The body is not `application/json`.");
    }
    if (op.idempotency) responses["409"] = errorResponse("A conflict: the resource's state, or the Idempotency-Key (`idempotency_conflict`, `idempotency_in_progress`).");
  }
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.public ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schemas.convert(op.body, "input"), ...(op.examples?.request ? { example: op.examples.request } : {}) } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The event catalogue as OpenAPI 3.1 `webhooks`: one entry per event each
 * format sends, named `{format}/{event}`, with the body's shape, the headers
 * that sign it, and an example request as the engine builds it.
 */
function webhooksSection(schemas: SchemaSet): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const { format, type, name } of catalogue) {
    const schema = payloadSchema(format, type);
    const example = exampleRequest(format, type);
    if (!schema || !example || !name) continue;
    const entry = webhookFormats[format];
    const guide = formatGuides[format];
    const as = format === "standard" ? "" : ` as ${entry.label}'s ${name}`;
    out[`${format}/${type}`] = {
      post: {
        operationId: `webhook_${format}_${type.replace(/\W/g, "_")}`,
        tags: [`Webhook format: ${entry.label}`],
        summary: `${type}${as}`,
        description: `${entry.summary}\n\n${guide.verify}`,
        parameters: guide.headers.map((h) => ({
          name: h.name,
          in: "header",
          required: true,
          description: h.description,
          schema: { type: "string" },
          example: example.headers[h.name] ?? example.headers[h.name.toLowerCase()],
        })),
        requestBody: { required: true, content: { "application/json": { schema: schemas.convert(schema, "output"), example: JSON.parse(example.body) } } },
        responses: { "200": { description: "Any 2xx acknowledges it; anything else (or no answer in time) is retried on the endpoint's schedule." } },
      },
    };
  }
  return out;
}

/** The OpenAPI 3.1 document of /api/v1, built from the same zod shapes that validate the requests. */
export function buildOpenApiDocument(): Json {
  const schemas = new SchemaSet();
  schemas.convert(errorObject, "output");
  const paths: Record<string, Json> = {};
  const all: Omit<Operation, "run">[] = [...operations, { ...openApiOp, public: true }, { ...pingOp, public: true }];
  for (const op of all) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op, schemas);
  return {
    openapi: "3.1.0",
    info: { title: "Settle API", version, description: apiGuide },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }, { clientId: [], timestamp: [], signature: [] }],
    tags: [
      ...["Invoices", "Payment services", "Payment requests", "Refunds", "Webhooks", "Meta"].map((name) => ({ name })),
      ...Object.values(webhookFormats).map((f) => ({ name: `Webhook format: ${f.label}`, description: f.summary })),
    ],
    paths,
    webhooks: webhooksSection(schemas),
    components: {
      schemas: schemas.components,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "`Authorization: Bearer sk_…`, the key's secret." },
        clientId: { type: "apiKey", in: "header", name: "x-client-id", description: "The key's client id (`ck_…`)." },
        timestamp: { type: "apiKey", in: "header", name: "x-timestamp", description: "Unix seconds, within 5 minutes of now." },
        signature: { type: "apiKey", in: "header", name: "x-signature", description: "hex HMAC-SHA256 of `METHOD\\nPATH_WITH_QUERY\\nTIMESTAMP\\nBODY`." },
      },
    },
  };
}
