import { createInvoiceOp, getInvoiceOp, listInvoicesOp, voidInvoiceOp } from "./invoices";
import type { Operation } from "./operation";
import { createPaymentServiceOp, getPaymentServiceOp, listPaymentServicesOp, requestInvoicePaymentOp, updatePaymentServiceOp } from "./payment-services";
import { createPaymentOp, getPaymentOp, listPaymentsOp } from "./payments";
import { createRefundOp, getRefundOp, listRefundsOp } from "./refunds";
import {
  createEndpointOp,
  deleteEndpointOp,
  getDeliveryOp,
  getEndpointOp,
  listDeliveriesOp,
  listEndpointsOp,
  retryDeliveryOp,
  rotateSecretOp,
  testEndpointOp,
  updateEndpointOp,
} from "./webhooks";
import { getWebhookSettingsOp, updateWebhookSettingsOp } from "./webhook-settings";

/** Every authenticated operation of /api/v1, in the order the document lists them. */
export const operations: Operation[] = [
  createInvoiceOp,
  listInvoicesOp,
  getInvoiceOp,
  voidInvoiceOp,
  listPaymentServicesOp,
  createPaymentServiceOp,
  getPaymentServiceOp,
  updatePaymentServiceOp,
  requestInvoicePaymentOp,
  createPaymentOp,
  listPaymentsOp,
  getPaymentOp,
  createRefundOp,
  listRefundsOp,
  getRefundOp,
  listEndpointsOp,
  createEndpointOp,
  getEndpointOp,
  updateEndpointOp,
  deleteEndpointOp,
  rotateSecretOp,
  testEndpointOp,
  listDeliveriesOp,
  getDeliveryOp,
  retryDeliveryOp,
  getWebhookSettingsOp,
  updateWebhookSettingsOp,
] as Operation[];
