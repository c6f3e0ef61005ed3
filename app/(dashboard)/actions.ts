"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publicAction } from "@/lib/actions";
import { getViewer, setCurrentMerchant } from "@/lib/auth/session";
import { notFound } from "@/lib/errors";

export const switchMerchantAction = publicAction(z.object({ merchantId: z.string().min(1).max(100) }), async ({ merchantId }) => {
  const viewer = await getViewer();
  // Only a merchant the user belongs to can become current.
  if (!viewer?.memberships.some((m) => m.merchantId === merchantId)) throw notFound("Merchant not found.");
  await setCurrentMerchant(merchantId);
  revalidatePath("/", "layout");
  return { merchantId };
});
