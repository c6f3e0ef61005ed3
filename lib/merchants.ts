import { eq, or } from "drizzle-orm";
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
  async run({ tx, actor, accountId }, input) {
    const before = await getMerchant(tx, accountId);
    // The test space carries a copy, for the pages that show it (the test checkout).
    await tx
      .update(merchants)
      .set({ name: input.name })
      .where(or(eq(merchants.id, accountId), eq(merchants.liveMerchantId, accountId)));
    await writeAudit(tx, {
      merchantId: accountId,
      actorUserId: actor.userId,
      action: "merchant.updated",
      targetType: "merchant",
      targetId: accountId,
      before: { name: before.name },
      after: { name: input.name },
    });
    return { name: input.name };
  },
});

const modes = new Map<string, boolean>();

/**
 * Whether a data space is live (true) or test (false). A space never changes
 * mode, so the answer is kept for the life of the process.
 */
export async function livemodeOf(db: Database, merchantId: string): Promise<boolean> {
  const known = modes.get(merchantId);
  if (known !== undefined) return known;
  const [row] = await db.select({ livemode: merchants.livemode }).from(merchants).where(eq(merchants.id, merchantId));
  if (!row) throw notFound("Merchant not found.");
  if (modes.size > 10_000) modes.clear();
  modes.set(merchantId, row.livemode);
  return row.livemode;
}

/** The test space of an account (its live row's id). */
export async function testSpaceOf(db: Database, accountId: string): Promise<string> {
  const [row] = await db.select({ id: merchants.id }).from(merchants).where(eq(merchants.liveMerchantId, accountId));
  if (!row) throw notFound("Merchant not found.");
  return row.id;
}
