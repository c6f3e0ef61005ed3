import { createInvoice } from "@/lib/invoices/create";
import { voidInvoice } from "@/lib/invoices/void";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/keys";
import { updateMerchant } from "@/lib/merchants";
import { createInvite, revokeInvite } from "@/lib/team/invites";
import { changeRole, removeMember } from "@/lib/team/members";
import { createInvoiceLink, createStandaloneLink } from "@/lib/payment-links/create";
import { requestInvoicePayment } from "@/lib/payment-links/invoice-payment";
import { cancelLink } from "@/lib/payment-links/lifecycle";
import { createPaymentRequest } from "@/lib/payment-links/requests";
import { createGatewayService, updateGatewayService } from "@/lib/payment-services/gateways";
import { assignNotification } from "@/lib/payment-services/notifications";
import { createService, setServiceEnabled, updateService } from "@/lib/payment-services/services";
import { recordManualPayment } from "@/lib/payments/manual";
import { checkRefund } from "@/lib/refunds/check";
import { createRefund } from "@/lib/refunds/refunds";
import { deleteTestData } from "@/lib/test-data/deletions";
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
  createInvoice,
  voidInvoice,
  // payment links, payment services, payments
  createInvoiceLink,
  createStandaloneLink,
  cancelLink,
  requestInvoicePayment,
  createPaymentRequest,
  createService,
  updateService,
  setServiceEnabled,
  createGatewayService,
  updateGatewayService,
  assignNotification,
  recordManualPayment,
  createRefund,
  checkRefund,
  // team, merchant, API keys
  createInvite,
  changeRole,
  removeMember,
  revokeInvite,
  updateMerchant,
  createApiKey,
  revokeApiKey,
  deleteTestData,
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
