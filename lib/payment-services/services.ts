import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { type PaymentService, type PaymentServiceConfig, paymentServices } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { connectorFor } from "@/lib/connectors";
import { bankByBin } from "@/lib/connectors/banks";
import type { Flow, ServiceContext } from "@/lib/connectors/types";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { AppError, notFound } from "@/lib/errors";
import { livemodeOf } from "@/lib/merchants";
import { newId } from "@/lib/ids";
import type { Keyset } from "@/lib/paging";
import { checkbox, optional } from "@/lib/validation";

/** The secret a provider signs its notifications with; stored sealed, never shown again. */
export const signingSecretSchema = z.string().min(16, "The signing secret must be at least 16 characters.").max(200, "The signing secret can be at most 200 characters.");
const signingSecret = optional(signingSecretSchema);

export const bankServiceSchema = z.object({
  kind: z.literal("bank_transfer"),
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name customers will recognise.").max(60, "Use at most 60 characters."),
  bankBin: z
    .string({ error: "Choose the bank." })
    .refine((bin) => !!bankByBin(bin), "Choose the bank from the list."),
  accountNumber: z
    .string({ error: "Enter the account number." })
    .trim()
    .regex(/^[0-9A-Za-z]{4,19}$/, "An account number is 4 to 19 letters or digits, without spaces."),
  accountName: z
    .string({ error: "Enter the account holder's name." })
    .trim()
    .min(2, "Enter the account holder's name as the bank shows it.")
    .max(50, "Use at most 50 characters."),
  secret: signingSecret,
});

export const redirectServiceSchema = z.object({
  kind: z.literal("redirect"),
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name customers will recognise.").max(60, "Use at most 60 characters."),
  baseUrl: z
    .url({ error: "Enter the provider's base URL, like https://pay.example.com/." })
    .refine((u) => /^https?:\/\//.test(u), "The base URL must start with https:// (or http:// for a local test)."),
  secret: signingSecret,
});

export const createServiceSchema = z.discriminatedUnion("kind", [bankServiceSchema, redirectServiceSchema], {
  error: "Choose bank transfer or redirect.",
});
export type CreateServiceInput = z.input<typeof createServiceSchema>;

/**
 * A linked service's settings, all of them, as the add form has them: the kind
 * must be the one it was linked as. The secret is kept when left out, replaced
 * when given, and dropped with `removeSecret` (callbacks are then unsigned and
 * confirmed by a status lookup).
 */
const serviceEdit = { serviceId: z.string({ error: "Choose a service." }).min(1, "Choose a service."), removeSecret: checkbox.optional() };
export const updateServiceSchema = z
  .discriminatedUnion("kind", [bankServiceSchema.extend(serviceEdit), redirectServiceSchema.extend(serviceEdit)], {
    error: "Choose bank transfer or redirect.",
  })
  .refine((d) => !(d.secret && d.removeSecret), { path: ["secret"], message: "Give a new signing secret or remove it, not both." });
export type UpdateServiceInput = z.input<typeof updateServiceSchema>;

export const toggleServiceSchema = z.object({
  serviceId: z.string().min(1, "Choose a service."),
  enabled: checkbox,
});

export const newSigningSecret = () => `pss_${randomBytes(24).toString("base64url")}`;

/** A service with its secret opened, for connectors; never sent to a browser. */
/** A gateway's secret fields, opened: sealed together as one JSON object in `credentials_sealed`. */
export const openCredentials = (row: Pick<PaymentService, "credentialsSealed">): Record<string, string> =>
  row.credentialsSealed ? (JSON.parse(openSecret(row.credentialsSealed)) as Record<string, string>) : {};

export function serviceContext(row: PaymentService): ServiceContext {
  return {
    id: row.id,
    merchantId: row.merchantId,
    kind: row.kind,
    name: row.name,
    config: row.config,
    secret: row.secretSealed ? openSecret(row.secretSealed) : null,
    credentials: openCredentials(row),
  };
}

/** The flows a service offers in a currency; the first is its default. */
export const flowsOf = (service: PaymentService, currency: string): Flow[] => connectorFor(service.kind).flows(serviceContext(service), currency);

/**
 * Every test space has the built-in sandbox: made at sign-up, or on first
 * need for merchants older than it. A live space never has one (Postgres
 * refuses it too: migration 0017's trigger), so live mode offers only what the
 * merchant linked.
 */
export async function ensureSandbox(db: Database, merchantId: string): Promise<void> {
  if (await livemodeOf(db, merchantId)) return;
  await db
    .insert(paymentServices)
    .values({ id: newId("svc"), merchantId, kind: "sandbox", name: "Sandbox", secretSealed: sealSecret(newSigningSecret()) })
    .onConflictDoNothing();
}

export async function listServices(db: Database, merchantId: string): Promise<PaymentService[]> {
  await ensureSandbox(db, merchantId);
  return db
    .select()
    .from(paymentServices)
    .where(eq(paymentServices.merchantId, merchantId))
    .orderBy(asc(paymentServices.createdAt), asc(paymentServices.id));
}

/** A page of the merchant's services in the order they were linked, after `after`; one row more than `limit` says there is another page. */
export async function listServicesPage(db: Database, { merchantId, after, limit }: { merchantId: string; after?: Keyset; limit: number }): Promise<PaymentService[]> {
  await ensureSandbox(db, merchantId);
  return db
    .select()
    .from(paymentServices)
    .where(
      and(
        eq(paymentServices.merchantId, merchantId),
        after ? sql`(${paymentServices.createdAt}, ${paymentServices.id}) > (${after.createdAt}::timestamptz, ${after.id})` : undefined,
      ),
    )
    .orderBy(asc(paymentServices.createdAt), asc(paymentServices.id))
    .limit(limit + 1);
}

/** The notify endpoint's lookup: the service id in the URL is the only scope a provider has. */
export async function findServiceById(db: Database, serviceId: string): Promise<PaymentService | undefined> {
  const [row] = await db.select().from(paymentServices).where(eq(paymentServices.id, serviceId));
  return row;
}

export async function getService(db: Database, { merchantId, id }: { merchantId: string; id: string }) {
  const [row] = await db
    .select()
    .from(paymentServices)
    .where(and(eq(paymentServices.merchantId, merchantId), eq(paymentServices.id, id)));
  if (!row) throw notFound("Payment service not found.");
  return row;
}

/** What a service keeps of its settings: the account (holder in capitals, as banks print it) or the provider's URL. */
function configOf(data: z.output<typeof createServiceSchema>): PaymentServiceConfig {
  return data.kind === "bank_transfer"
    ? { bankBin: data.bankBin, accountNumber: data.accountNumber, accountName: data.accountName.toUpperCase() }
    : { baseUrl: data.baseUrl };
}

/** A bank account or a redirect provider the merchant's links can offer. */
export const createService = defineCommand({
  name: "payment_services.create",
  permission: "merchant.manage",
  input: createServiceSchema,
  async run({ tx, actor, merchantId }, data): Promise<PaymentService> {
    const config = configOf(data);
    const [row] = await tx
      .insert(paymentServices)
      .values({
        id: newId("svc"),
        merchantId,
        kind: data.kind,
        name: data.name,
        config,
        secretSealed: data.secret ? sealSecret(data.secret) : null,
      })
      .returning();
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "payment_service.created",
      targetType: "payment_service",
      targetId: row!.id,
      after: { kind: data.kind, name: data.name, config, signed: !!data.secret },
    });
    return row!;
  },
});

/** Changes a linked service's name, account or provider URL, and its signing secret; its kind and its payments stay. */
export const updateService = defineCommand({
  name: "payment_services.update",
  permission: "merchant.manage",
  input: updateServiceSchema,
  async run({ tx, actor, merchantId }, data): Promise<PaymentService> {
    const before = await getService(tx, { merchantId, id: data.serviceId });
    if (before.kind === "sandbox") throw new AppError("validation_failed", "Some fields need attention.", { kind: ["The sandbox is built in: it can only be turned on or off."] });
    if (before.kind !== data.kind) {
      throw new AppError("validation_failed", "Some fields need attention.", { kind: ["A service's kind cannot change: link a new service instead."] });
    }
    const config = configOf(data);
    const secretSealed = data.secret ? sealSecret(data.secret) : data.removeSecret ? null : before.secretSealed;
    const [after] = await tx
      .update(paymentServices)
      .set({ name: data.name, config, secretSealed, updatedAt: new Date() })
      .where(and(eq(paymentServices.merchantId, merchantId), eq(paymentServices.id, data.serviceId)))
      .returning();
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "payment_service.updated",
      targetType: "payment_service",
      targetId: data.serviceId,
      before: { name: before.name, config: before.config, signed: !!before.secretSealed },
      after: { name: data.name, config, signed: !!secretSealed, secretReplaced: !!data.secret },
    });
    return after!;
  },
});

/** Turns a service on or off: a turned-off service is neither offered on new links nor shown at checkout. */
export const setServiceEnabled = defineCommand({
  name: "payment_services.toggle",
  permission: "merchant.manage",
  input: toggleServiceSchema,
  async run({ tx, actor, merchantId }, { serviceId, enabled }): Promise<PaymentService> {
    const before = await getService(tx, { merchantId, id: serviceId });
    const [after] = await tx
      .update(paymentServices)
      .set({ enabled, updatedAt: new Date() })
      .where(and(eq(paymentServices.merchantId, merchantId), eq(paymentServices.id, serviceId)))
      .returning();
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: enabled ? "payment_service.enabled" : "payment_service.disabled",
      targetType: "payment_service",
      targetId: serviceId,
      before: { enabled: before.enabled },
      after: { enabled },
    });
    return after!;
  },
});

/** The sandbox's own secret, for the sandbox pages that sign as the provider. */
export async function sandboxSecret(db: Database, serviceId: string): Promise<ServiceContext | null> {
  const row = await findServiceById(db, serviceId);
  return row && row.kind === "sandbox" ? serviceContext(row) : null;
}
