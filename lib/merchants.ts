import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { merchants } from "@/db/schema";
import { writeAudit } from "./audit";
import { type Actor, requireRole } from "./auth/roles";
import { notFound } from "./errors";

export const merchantSettingsSchema = z.object({
  name: z.string().trim().min(1, "Enter the business name.").max(100, "Use at most 100 characters."),
});

export async function getMerchant(db: Database, merchantId: string) {
  const [row] = await db.select().from(merchants).where(eq(merchants.id, merchantId));
  if (!row) throw notFound("Merchant not found.");
  return row;
}

export async function updateMerchant(db: Database, actor: Actor, input: z.infer<typeof merchantSettingsSchema>) {
  requireRole(actor, "merchant.manage");
  return db.transaction(async (tx) => {
    const before = await getMerchant(tx, actor.merchantId);
    await tx.update(merchants).set({ name: input.name }).where(eq(merchants.id, actor.merchantId));
    await writeAudit(tx, {
      merchantId: actor.merchantId,
      actorUserId: actor.userId,
      action: "merchant.updated",
      targetType: "merchant",
      targetId: actor.merchantId,
      before: { name: before.name },
      after: { name: input.name },
    });
  });
}
