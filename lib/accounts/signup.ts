import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { ensureSandbox } from "@/lib/payment-services/services";
import { acceptInvite } from "@/lib/team/invites";
import { createMerchant, createUser } from "./users";
import type { SignupInput } from "./schemas";

/**
 * Creates the user and, in the same transaction, either a new merchant they
 * own or their membership through an invite.
 */
export async function signUp(db: Database, input: SignupInput) {
  return transaction(db, async (tx) => {
    const user = await createUser(tx, input);
    if (input.inviteToken) {
      const membership = await acceptInvite(tx, { token: input.inviteToken, userId: user.id, email: user.email });
      return { user, merchantId: membership.merchantId };
    }
    const merchant = await createMerchant(tx, {
      name: input.merchantName ?? `${input.name}'s business`,
      ownerId: user.id,
    });
    await ensureSandbox(tx, merchant.testId);
    return { user, merchantId: merchant.id };
  });
}
