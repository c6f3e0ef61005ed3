import { createInvoice } from "@/lib/invoices/create";
import { voidInvoice } from "@/lib/invoices/void";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/keys";
import { updateMerchant } from "@/lib/merchants";
import { createInvite, revokeInvite } from "@/lib/team/invites";
import { changeRole, removeMember } from "@/lib/team/members";
import type { Command } from "./command";

/**
 * Every command of Settle. The role-matrix and cross-merchant tests
 * (registry.test.ts) run over this list, and fail when a server action or a
 * changing API operation runs a command that is not in it.
 */
export const commands: readonly Command[] = [
  // invoices
  createInvoice,
  voidInvoice,
  // payment links, payment services, payments
  // team, merchant, API keys
  createInvite,
  changeRole,
  removeMember,
  revokeInvite,
  updateMerchant,
  createApiKey,
  revokeApiKey,
  // webhooks
] as unknown as readonly Command[];
