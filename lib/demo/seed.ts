import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiKeys, merchants, users } from "@/db/schema";
import { transaction } from "@/db/transaction";
import { createMerchant, createUser, findUserByEmail, membershipsOf } from "@/lib/accounts/users";
import { type ClearCredentials, createApiKey, DEMO_KEY_NAME } from "@/lib/api-keys/keys";
import { actorOf } from "@/lib/auth/actor";
import { rebuildRollups } from "@/lib/dashboard/rollups";
import { createService } from "@/lib/payment-services/services";
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
  const existing = await findUserByEmail(db, DEMO.email);
  if (existing) {
    // A demo seeded before test mode existed has a key in one mode only: make the other.
    await ensureDemoKeys(db, existing.id);
    return { created: false };
  }
  const owner = await transaction(db, async (tx) => {
    const user = await createUser(tx, { email: DEMO.email, name: "Demo Owner", password: DEMO.password });
    await createMerchant(tx, { name: DEMO.merchant, ownerId: user.id });
    return user;
  });
  const [membership] = await membershipsOf(db, owner.id);
  // The month of history is test data: the owner's first session opens in test mode, where it is.
  const test = actorOf(owner.id, membership!, false);
  const live = actorOf(owner.id, membership!, true);

  try {
    await seedHistory(db, test, now);
    await replayDeliveries(db, test, now);
    // The history was dated back after it was written: count the dashboard's days again from the rows.
    await rebuildRollups(db, { merchantId: test.merchantId });
    // Live mode holds the demo bank account and nothing else: no sandbox, no made-up money.
    await createService(db, live, DEMO_BANK_ACCOUNT);
    // Made once per mode; their credentials are printed at every development start.
    await ensureDemoKeys(db, owner.id);
  } catch (err) {
    // Half a demo would stay half forever (the user exists, so no later start seeds):
    // take it all back, merchant first (its rows cascade), and let the next start try again.
    await db.delete(merchants).where(eq(merchants.id, live.accountId));
    await db.delete(users).where(eq(users.id, owner.id));
    throw err;
  }
  return { created: true };
}

/** The demo's VietQR bank account, in both modes (the test one is made by the history). */
export const DEMO_BANK_ACCOUNT = {
  kind: "bank_transfer",
  name: "Techcombank account",
  bankBin: "970407",
  accountNumber: "19036512345016",
  accountName: "Demo Store",
} as const;

async function ensureDemoKeys(db: Database, ownerId: string): Promise<void> {
  const [membership] = await membershipsOf(db, ownerId);
  if (!membership) return;
  const have = await db
    .select({ merchantId: apiKeys.merchantId })
    .from(apiKeys)
    .where(and(eq(apiKeys.createdBy, ownerId), eq(apiKeys.name, DEMO_KEY_NAME), isNull(apiKeys.revokedAt)));
  for (const livemode of [false, true]) {
    const actor = actorOf(ownerId, membership, livemode);
    if (!have.some((k) => k.merchantId === actor.merchantId)) await createApiKey(db, actor, { name: DEMO_KEY_NAME });
  }
}

export function printDemoSignIn(keys?: { test: ClearCredentials | null; live: ClearCredentials | null }): void {
  const keyLines = (mode: string, key: ClearCredentials | null | undefined) =>
    key
      ? [
          `    ${mode} API client_id: ${key.clientId}`,
          `    ${mode} API secret:    ${key.secret}`,
          `    curl http://localhost:3000/api/v1/invoices -H "Authorization: Bearer ${key.secret}"`,
        ]
      : [];
  console.log(
    [
      "",
      '  Settle demo merchant "Demo Store" (its month of history is in test mode)',
      "    sign in at http://localhost:3000/login",
      `    email:    ${DEMO.email}`,
      `    password: ${DEMO.password}`,
      ...keyLines("test", keys?.test),
      ...keyLines("live", keys?.live),
      "",
    ].join("\n"),
  );
}
