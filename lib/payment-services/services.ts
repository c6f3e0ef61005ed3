import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { type PaymentService, paymentServices } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { defineCommand } from "@/lib/commands/command";
import { connectorFor } from "@/lib/connectors";
import { bankByBin } from "@/lib/connectors/banks";
import type { Flow, ServiceContext } from "@/lib/connectors/types";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { checkbox, optional } from "@/lib/validation";

const signingSecret = optional(z.string().min(16, "The signing secret must be at least 16 characters.").max(200));

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

export const toggleServiceSchema = z.object({
  serviceId: z.string().min(1, "Choose a service."),
  enabled: checkbox,
});

export const newSigningSecret = () => `pss_${randomBytes(24).toString("base64url")}`;

/** A service with its secret opened, for connectors; never sent to a browser. */
export function serviceContext(row: PaymentService): ServiceContext {
  return {
    id: row.id,
    merchantId: row.merchantId,
    kind: row.kind,
    name: row.name,
    config: row.config,
    secret: row.secretSealed ? openSecret(row.secretSealed) : null,
  };
}

/** The flows a service offers in a currency; the first is its default. */
export const flowsOf = (service: PaymentService, currency: string): Flow[] => connectorFor(service.kind).flows(serviceContext(service), currency);

/** Every merchant has the built-in sandbox: made at sign-up, or on first need for merchants older than it. */
export async function ensureSandbox(db: Database, merchantId: string): Promise<void> {
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

/** A bank account or a redirect provider the merchant's links can offer. */
export const createService = defineCommand({
  name: "payment_services.create",
  permission: "merchant.manage",
  input: createServiceSchema,
  async run({ tx, actor, merchantId }, data): Promise<PaymentService> {
    const config =
      data.kind === "bank_transfer"
        ? { bankBin: data.bankBin, accountNumber: data.accountNumber, accountName: data.accountName.toUpperCase() }
        : { baseUrl: data.baseUrl };
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
