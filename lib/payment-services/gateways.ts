import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { type PaymentService, paymentServices } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { connectorFor } from "@/lib/connectors";
import type { ConnectorSetup } from "@/lib/connectors/types";
import { sealSecret } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { getService, openCredentials } from "./services";

/** The gateways Settle speaks to in their own protocol (lib/connectors), linked with their own credentials. */
export const gatewayKindList = ["myfatoorah", "foloosi", "ipint", "finan", "furatpay"] as const;
export type GatewayKind = (typeof gatewayKindList)[number];
export const isGatewayKind = (kind: string): kind is GatewayKind => (gatewayKindList as readonly string[]).includes(kind);

const name = z.string({ error: "Enter a name." }).trim().min(1, "Enter a name customers will recognise.").max(60, "Use at most 60 characters.");
const kind = z.enum(gatewayKindList, { error: "Choose a gateway." });

const serviceId = z.string({ error: "Choose a service." }).min(1, "Choose a service.");

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/**
 * Every field's error at once: the name (and service) and the gateway's own
 * fields, checked with its connector's setup. Editing, a secret left empty is
 * kept, so it is not checked here (`run` checks it with the kept value).
 */
const withGatewayFields = (shape: z.ZodRawShape, editing: boolean) =>
  z
    .looseObject({})
    .superRefine((input, ctx) => {
      const base = z.object(shape).safeParse(input);
      if (!base.success) for (const issue of base.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      const k = kind.safeParse(input.kind);
      const setup = k.success ? connectorFor(k.data).setup : undefined;
      if (!k.success || !setup) return;
      const values: Record<string, unknown> = {};
      for (const f of setup.fields) values[f.name] = isBlank(input[f.name]) ? undefined : input[f.name];
      const parsed = setup.schema.safeParse(values);
      if (parsed.success) return;
      for (const issue of parsed.error.issues) {
        const field = setup.fields.find((f) => f.name === issue.path[0]);
        if (editing && field?.secret && isBlank(input[field.name])) continue;
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      }
    })
    .pipe(z.looseObject(shape));

/** The form's fields as posted: the gateway's own fields are checked against its connector's setup. */
export const gatewayServiceSchema = withGatewayFields({ kind, name }, false) as unknown as z.ZodType<z.output<z.ZodObject<{ kind: typeof kind; name: typeof name }>> & Record<string, unknown>, Record<string, unknown>>;
export const updateGatewayServiceSchema = withGatewayFields({ kind, name, serviceId }, true) as unknown as z.ZodType<
  z.output<z.ZodObject<{ kind: typeof kind; name: typeof name; serviceId: typeof serviceId }>> & Record<string, unknown>,
  Record<string, unknown>
>;

function setupOf(kind: GatewayKind): ConnectorSetup {
  const setup = connectorFor(kind).setup;
  if (!setup) throw new AppError("validation_failed", "Some fields need attention.", { kind: ["This gateway cannot be linked yet."] });
  return setup;
}

/**
 * The gateway's fields, checked with its connector's schema: public ones go to
 * `config`, secret ones are sealed together. `keep`: the current secrets, kept
 * for each secret field left empty when editing.
 */
function splitFields(setup: ConnectorSetup, input: Record<string, unknown>, keep: Record<string, string> = {}) {
  const values: Record<string, unknown> = {};
  for (const f of setup.fields) {
    const v = input[f.name];
    const blank = v === undefined || v === null || (typeof v === "string" && v.trim() === "");
    values[f.name] = blank ? (f.secret ? keep[f.name] : undefined) : v;
  }
  const parsed = setup.schema.safeParse(values);
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fields[issue.path.join(".") || "_form"] ??= []).push(issue.message);
    throw new AppError("validation_failed", "Some fields need attention.", fields);
  }
  const data = parsed.data as Record<string, unknown>;
  const config: Record<string, string> = {};
  const credentials: Record<string, string> = {};
  for (const f of setup.fields) {
    const v = data[f.name];
    if (v === undefined || v === null || v === "") continue;
    (f.secret ? credentials : config)[f.name] = String(v);
  }
  return { config, credentials };
}


/** Links a gateway (MyFatoorah, Foloosi, iPint, Finan, FuratPay) with the credentials its connector asks for. */
export const createGatewayService = defineCommand({
  name: "payment_services.gateway.create",
  permission: "merchant.manage",
  input: gatewayServiceSchema,
  async run({ tx, actor, merchantId }, input): Promise<PaymentService> {
    const { config, credentials } = splitFields(setupOf(input.kind), input);
    const [row] = await tx
      .insert(paymentServices)
      .values({
        id: newId("svc"),
        merchantId,
        kind: input.kind,
        name: input.name,
        config,
        credentialsSealed: Object.keys(credentials).length ? sealSecret(JSON.stringify(credentials)) : null,
      })
      .returning();
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "payment_service.created",
      targetType: "payment_service",
      targetId: row!.id,
      // Which secrets were given, never their values.
      after: { kind: input.kind, name: input.name, config, credentials: Object.keys(credentials) },
    });
    return row!;
  },
});

/** Changes a linked gateway's name and settings; a secret field left empty keeps its current value. */
export const updateGatewayService = defineCommand({
  name: "payment_services.gateway.update",
  permission: "merchant.manage",
  input: updateGatewayServiceSchema,
  async run({ tx, actor, merchantId }, input): Promise<PaymentService> {
    const before = await getService(tx, { merchantId, id: input.serviceId });
    if (before.kind !== input.kind) {
      throw new AppError("validation_failed", "Some fields need attention.", { kind: ["A service's kind cannot change: link a new service instead."] });
    }
    const kept = openCredentials(before);
    const { config, credentials } = splitFields(setupOf(input.kind), input, kept);
    const [after] = await tx
      .update(paymentServices)
      .set({
        name: input.name,
        config,
        credentialsSealed: Object.keys(credentials).length ? sealSecret(JSON.stringify(credentials)) : null,
        updatedAt: new Date(),
      })
      .where(and(eq(paymentServices.merchantId, merchantId), eq(paymentServices.id, input.serviceId)))
      .returning();
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "payment_service.updated",
      targetType: "payment_service",
      targetId: input.serviceId,
      before: { name: before.name, config: before.config, credentials: Object.keys(kept) },
      after: { name: input.name, config, credentials: Object.keys(credentials), replaced: Object.keys(credentials).filter((k) => credentials[k] !== kept[k]) },
    });
    return after!;
  },
});
