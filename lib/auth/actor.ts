import type { MembershipSummary } from "@/lib/accounts/users";
import type { Actor } from "./roles";

/** A member acting in one mode of their merchant: its live row, or its test space. */
export function actorOf(userId: string, membership: MembershipSummary, livemode: boolean): Actor {
  const { merchantId: accountId, testMerchantId, role } = membership;
  return { userId, merchantId: livemode ? accountId : testMerchantId, accountId, livemode, role };
}
