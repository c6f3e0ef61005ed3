"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { redirect } from "next/navigation";
import { publicAction, userAction } from "@/lib/actions";
import { getViewer, setCurrentMerchant, setCurrentMode } from "@/lib/auth/session";
import { notFound } from "@/lib/errors";

export const switchMerchantAction = publicAction(z.object({ merchantId: z.string().min(1).max(100) }), async ({ merchantId }) => {
  const viewer = await getViewer();
  // Only a merchant the user belongs to can become current.
  if (!viewer?.memberships.some((m) => m.merchantId === merchantId)) throw notFound("Merchant not found.");
  await setCurrentMerchant(merchantId);
  revalidatePath("/", "layout");
  return { merchantId };
});

/**
 * The shell's mode switch: this browser works in live or test mode from now
 * on. It lands on the section it was pressed in (an object of one mode is
 * not found in the other), so a path is kept only up to its first segment.
 */
export const switchModeAction = userAction(
  z.object({
    mode: z.enum(["live", "test"], { error: "Choose live or test mode." }),
    back: z
      .string()
      .max(2000)
      .regex(/^\/[a-z-]*/, "Not a page of the dashboard.")
      .optional(),
  }),
  async ({ mode, back }) => {
    await setCurrentMode(mode === "live");
    revalidatePath("/", "layout");
    const section = /^\/[a-z-]+/.exec(back ?? "")?.[0] ?? "/dashboard";
    redirect(section);
  },
);
