import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { merchants } from "@/db/schema";
import { writeAudit } from "./audit";
import { defineCommand } from "./commands/command";
import { notFound } from "./errors";

export const merchantSettingsSchema = z.object({
  name: z.string().trim().min(1, "Enter the business name.").max(100, "Use at most 100 characters."),
});

export async function getMerchant(db: Database, merchantId: string) {
  const [row] = await db.select().from(merchants).where(eq(merchants.id, merchantId));
  if (!row) throw notFound("Merchant not found.");
  return row;
}

/** The merchant's own settings (its business name); audit-logged with the value before. */
export const updateMerchant = defineCommand({
  name: "merchant.settings.update",
  permission: "merchant.manage",
  input: merchantSettingsSchema,
  async run({ tx, actor, merchantId }, input) {
    const before = await getMerchant(tx, merchantId);
    await tx.update(merchants).set({ name: input.name }).where(eq(merchants.id, merchantId));
    await writeAudit(tx, {
      merchantId,
      actorUserId: actor.userId,
      action: "merchant.updated",
      targetType: "merchant",
      targetId: merchantId,
      before: { name: before.name },
      after: { name: input.name },
    });
    return { name: input.name };
  },
});
