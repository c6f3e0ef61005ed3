/**
 * How the dashboard words a stored status, in one place: every badge, filter,
 * tab and tile reads its text from here (colours stay with the components).
 * Type-only imports, so client components can use it without pulling in the
 * schema. The hosted checkout has its own per-language words (lib/checkout/messages.ts).
 */
import type {
  DeliveryStatus,
  NotificationOutcome,
  PaymentLinkCancellationReason,
  PaymentLinkStatus,
  PaymentMethod,
  PaymentServiceKind,
  PaymentStatus,
  RefundStatus,
  invoiceStatusEnum,
  paymentResultEnum,
} from "@/db/schema";
import type { InvoiceTab } from "@/lib/invoices/schemas";

/** The stored statuses the labels word, for components, which never import db/. */
export type { DeliveryStatus, NotificationOutcome, PaymentLinkCancellationReason, PaymentLinkStatus, PaymentMethod, PaymentStatus, RefundStatus };

type InvoiceStatus = (typeof invoiceStatusEnum.enumValues)[number];
type PaymentResult = (typeof paymentResultEnum.enumValues)[number];

/** What has arrived against an invoice or a payment link. */
export const paymentStatusLabels = {
  unpaid: "Unpaid",
  partial: "Partial",
  paid: "Paid",
  extra: "Extra",
} as const satisfies Record<PaymentStatus, string>;

/** An invoice's lifecycle. */
export const invoiceStatusLabels = {
  open: "Open",
  void: "Void",
} as const satisfies Record<InvoiceStatus, string>;

/** The invoice list's tabs: every payment status, and void. */
export const invoiceTabLabels = {
  all: "All",
  ...paymentStatusLabels,
  void: invoiceStatusLabels.void,
} as const satisfies Record<InvoiceTab, string>;

/** A payment link's lifecycle. */
export const linkStatusLabels = {
  active: "Active",
  expired: "Expired",
  canceled: "Canceled",
} as const satisfies Record<PaymentLinkStatus, string>;

/** A canceled link's badge: "Closed" when its invoice, not the merchant, ended it. */
export const linkCancellationLabels = {
  merchant: "Canceled",
  invoice_paid: "Closed: invoice paid",
  invoice_void: "Closed: invoice void",
} as const satisfies Record<PaymentLinkCancellationReason, string>;

export const linkStateLabel = (link: { status: PaymentLinkStatus; cancellationReason: PaymentLinkCancellationReason | null }) =>
  link.cancellationReason ? linkCancellationLabels[link.cancellationReason] : linkStatusLabels[link.status];

/** One payment attempt recorded on an invoice. */
export const paymentResultLabels = {
  succeeded: "Succeeded",
  failed: "Failed",
  processing: "Processing",
} as const satisfies Record<PaymentResult, string>;

/** Money given back on a payment: asked of its gateway (pending), made, or refused. */
export const refundStatusLabels = {
  pending: "Pending",
  succeeded: "Succeeded",
  failed: "Failed",
} as const satisfies Record<RefundStatus, string>;

/** A webhook delivery (and each of its attempts). */
export const deliveryStatusLabels = {
  pending: "Pending",
  succeeded: "Succeeded",
  failed: "Failed",
  timeout: "Timeout",
  url_not_set: "URL not set",
} as const satisfies Record<DeliveryStatus, string>;

/** A webhook endpoint's state. */
export const endpointStateLabels = {
  enabled: "Enabled",
  disabled: "Disabled",
  auto_disabled: "Auto-disabled",
} as const;

/** A payment service's kind, on its badge. */
export const serviceKindLabels = {
  sandbox: "Sandbox",
  bank_transfer: "Bank transfer",
  redirect: "Redirect",
  myfatoorah: "MyFatoorah",
  foloosi: "Foloosi",
  ipint: "iPint",
  finan: "Finan",
  furatpay: "FuratPay",
} as const satisfies Record<PaymentServiceKind, string>;

/** What a provider notification led to. */
export const notificationOutcomeLabels = {
  recorded: "Recorded",
  duplicate: "Duplicate",
  unmatched: "Unmatched",
  assigned: "Assigned",
  currency_mismatch: "Currency mismatch",
  rejected: "Rejected",
  error: "Error",
  ignored: "Ignored",
} as const satisfies Record<NotificationOutcome, string>;

/** How a payment was made. */
export const paymentMethodLabels: Record<string, string> = {
  cash: "Cash",
  bank_transfer: "Bank transfer",
  card: "Card",
  ewallet: "E-wallet",
  qr: "QR",
  other: "Other",
} satisfies Record<PaymentMethod, string>;

/** What each event type reads as, for people (the invoice timeline, recent activity). */
export const eventLabels: Record<string, string> = {
  "invoice.created": "Invoice created",
  "invoice.partially_paid": "Partially paid",
  "invoice.paid": "Paid in full",
  "invoice.overpaid": "Overpaid",
  "invoice.voided": "Invoice voided",
  "payment.processing": "Payment detected, confirming",
  "payment.succeeded": "Payment received",
  "payment.failed": "Payment failed",
  "payment_link.expired": "Payment link expired",
  "refund.created": "Refund requested",
  "refund.succeeded": "Refunded",
  "refund.failed": "Refund failed",
  "webhook.test": "Test event",
};
