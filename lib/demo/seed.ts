import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { merchants, users } from "@/db/schema";
import { transaction } from "@/db/transaction";
import { createMerchant, createUser, findUserByEmail, membershipsOf } from "@/lib/accounts/users";
import { createApiKey, DEMO_KEY_NAME } from "@/lib/api-keys/keys";
import type { Actor } from "@/lib/auth/roles";
import { rebuildRollups } from "@/lib/dashboard/rollups";
import { replayDeliveries } from "./deliveries";
import { seedHistory } from "./history";

// "demo-password" is below the sign-up form's strength policy (lib/accounts/password-strength.ts) on purpose:
// it is the published demo sign-in, not user input, and the seed calls createUser without the form's schema.
export const DEMO = { email: "demo@settle.dev", password: "demo-password", merchant: "Demo Store" } as const;

/**
 * Seeds the demo merchant once; running it again changes nothing. A believable
 * month, written through the same commands the dashboard and the API run
 * (createInvoice, createService, createEndpoint, createApiKey...) and dated
 * back step by step (lib/demo/): invoices in every status, payments by bank transfer, cash, card
 * and QR (some declined first), payment links, two webhook endpoints with
 * successful, failed and retried deliveries.
 */
export async function seedDemo(db: Database, now = new Date()): Promise<{ created: boolean }> {
  if (await findUserByEmail(db, DEMO.email)) return { created: false };
  const owner = await transaction(db, async (tx) => {
    const user = await createUser(tx, { email: DEMO.email, name: "Demo Owner", password: DEMO.password });
    await createMerchant(tx, { name: DEMO.merchant, ownerId: user.id });
    return user;
  });
  const [membership] = await membershipsOf(db, owner.id);
  const actor: Actor = { userId: owner.id, merchantId: membership!.merchantId, role: "owner" };

  try {
    await seedHistory(db, actor, now);
    await replayDeliveries(db, actor, now);
    // The history was dated back after it was written: count the dashboard's days again from the rows.
    await rebuildRollups(db, { merchantId: actor.merchantId });
    // Made once; its credentials are printed at every development start.
    await createApiKey(db, actor, { name: DEMO_KEY_NAME });
  } catch (err) {
    // Half a demo would stay half forever (the user exists, so no later start seeds):
    // take it all back, merchant first (its rows cascade), and let the next start try again.
    await db.delete(merchants).where(eq(merchants.id, actor.merchantId));
    await db.delete(users).where(eq(users.id, owner.id));
    throw err;
  }
  return { created: true };
}

export function printDemoSignIn(apiKey?: { clientId: string; secret: string } | null): void {
  console.log(
    [
      "",
      '  Settle demo merchant "Demo Store"',
      "    sign in at http://localhost:3000/login",
      `    email:    ${DEMO.email}`,
      `    password: ${DEMO.password}`,
      ...(apiKey
        ? [
            `    API client_id: ${apiKey.clientId}`,
            `    API secret:    ${apiKey.secret}`,
            `    curl http://localhost:3000/api/v1/invoices -H "Authorization: Bearer ${apiKey.secret}"`,
          ]
        : []),
      "",
    ].join("\n"),
  );
}
