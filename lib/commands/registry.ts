import { createInvoice } from "@/lib/invoices/create";
import { voidInvoice } from "@/lib/invoices/void";
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
  // webhooks
] as unknown as readonly Command[];
