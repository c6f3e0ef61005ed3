import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { merchants } from "@/db/schema";
import { notFound } from "@/lib/errors";

/** Serialises membership changes of one merchant, so "the last owner" stays true under concurrency. */
export async function lockMerchant(tx: Database, merchantId: string) {
  const [row] = await tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId)).for("update");
  if (!row) throw notFound("Merchant not found.");
}
