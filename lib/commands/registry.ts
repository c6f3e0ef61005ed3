import type { Command } from "./command";
import { retryDelivery, startBulkRetry } from "@/lib/webhooks/deliveries";
import { createEndpoint, deleteEndpoint, revealSecret, rotateSecret, sendTestEvent, updateEndpoint } from "@/lib/webhooks/endpoints";
import { updateWebhookPolicy } from "@/lib/webhooks/settings";

/**
 * Every command of Settle. The role-matrix and cross-merchant tests
 * (registry.test.ts) run over this list, and fail when a server action or a
 * changing API operation runs a command that is not in it.
 */
export const commands: readonly Command[] = [
  // invoices
  // payment links, payment services, payments
  // team, merchant, API keys
  // webhooks
  createEndpoint,
  updateEndpoint,
  deleteEndpoint,
  revealSecret,
  rotateSecret,
  sendTestEvent,
  updateWebhookPolicy,
  retryDelivery,
  startBulkRetry,
] as unknown as readonly Command[];
