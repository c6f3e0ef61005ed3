import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { merchants, users } from "./accounts";
import { invoices, paymentStatusEnum } from "./invoices";

export const paymentServiceKindEnum = pgEnum("payment_service_kind", [
  "bank_transfer",
  "redirect",
  "sandbox",
  "myfatoorah",
  "foloosi",
  "ipint",
  "finan",
  "furatpay",
]);
export const paymentLinkStatusEnum = pgEnum("payment_link_status", ["active", "expired", "canceled"]);
/** Why a link was canceled: by the merchant, or closed because its invoice no longer owes anything. */
export const paymentLinkCancellationReasonEnum = pgEnum("payment_link_cancellation_reason", ["merchant", "invoice_paid", "invoice_void"]);
export const notificationOutcomeEnum = pgEnum("notification_outcome", [
  "recorded",
  "duplicate",
  "unmatched",
  "assigned",
  "currency_mismatch",
  "rejected",
  "error",
  /** Understood and authentic, but nothing Settle acts on (a gateway's balance transfer, say). */
  "ignored",
]);

const money = (name: string) => bigint(name, { mode: "number" });
const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** Public settings of a service; secrets never live here (see `secretSealed`). */
export interface PaymentServiceConfig {
  bankBin?: string;
  accountNumber?: string;
  accountName?: string;
  baseUrl?: string;
  /** A gateway connector's public settings (its API base URL, account ids): what its `setup` declares as not secret. */
  [field: string]: string | undefined;
}

export const paymentServices = pgTable(
  "payment_services",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    kind: paymentServiceKindEnum("kind").notNull(),
    name: text("name").notNull(),
    config: jsonb("config").$type<PaymentServiceConfig>().notNull().default({}),
    /** The notification signing secret, AES-256-GCM sealed (lib/crypto/secret-box); null = unsigned callbacks. */
    secretSealed: text("secret_sealed"),
    /** A gateway connector's credentials (API keys, webhook secrets) as one sealed JSON object; null for the built-in kinds. */
    credentialsSealed: text("credentials_sealed"),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("payment_services_merchant_idx").on(t.merchantId, t.createdAt),
    // One built-in sandbox per merchant, so the lazy "ensure" is race-free.
    uniqueIndex("payment_services_one_sandbox_key").on(t.merchantId).where(sql`${t.kind} = 'sandbox'`),
  ],
);

export const paymentLinks = pgTable(
  "payment_links",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id),
    /** The public short code in /pay/{code}; also the heart of the bank transfer remark. */
    code: text("code").notNull(),
    serviceIds: text("service_ids").array().notNull(),
    currency: text("currency").notNull(),
    /**
     * What this link asks for in all: the invoice's outstanding amount when it
     * was made, lowered (never raised) while the link is active so that what it
     * still asks never exceeds what the invoice still owes (refreshInvoiceLinks).
     */
    amount: money("amount").notNull(),
    paidAmount: money("paid_amount").notNull().default(0),
    paymentStatus: paymentStatusEnum("payment_status").notNull().default("unpaid"),
    status: paymentLinkStatusEnum("status").notNull().default("active"),
    description: text("description"),
    successUrl: text("success_url"),
    failureUrl: text("failure_url"),
    expiresAt: at("expires_at").notNull(),
    expiredAt: at("expired_at"),
    canceledAt: at("canceled_at"),
    /** Set exactly when status is canceled. */
    cancellationReason: paymentLinkCancellationReasonEnum("cancellation_reason"),
    createdBy: text("created_by").references(() => users.id),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("payment_links_code_key").on(t.code),
    index("payment_links_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    index("payment_links_invoice_idx").on(t.merchantId, t.invoiceId),
    // The sweeper's scan: only active links, by due time.
    index("payment_links_due_idx").on(t.expiresAt).where(sql`${t.status} = 'active'`),
    check("payment_links_amounts_nonnegative", sql`${t.amount} >= 0 and ${t.paidAmount} >= 0`),
    check("payment_links_cancellation_reason", sql`(${t.status} = 'canceled') = (${t.cancellationReason} is not null)`),
  ],
);

/**
 * A payment started at a gateway that makes its own session for it (an order,
 * an invoice, a checkout): what Settle asked for, what the gateway answered,
 * and its reference, so the gateway's notification finds the link again and the
 * checkout reuses a session instead of opening one per page view.
 */
export const providerSessions = pgTable(
  "provider_sessions",
  {
    /** Also the merchant reference Settle gives the gateway (its order id, customer reference…). */
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    serviceId: text("service_id")
      .notNull()
      .references(() => paymentServices.id, { onDelete: "cascade" }),
    paymentLinkId: text("payment_link_id")
      .notNull()
      .references(() => paymentLinks.id, { onDelete: "cascade" }),
    flow: text("flow").$type<"qr" | "redirect">().notNull(),
    /** What the session asks for, in minor units of the link's currency. */
    amount: money("amount").notNull(),
    /** The gateway's own id for the session (MyFatoorah's InvoiceId, iPint's session_id, FuratPay's invoice id). */
    providerRef: text("provider_ref"),
    /** What the customer is given: the redirect URL, or the QR and its details. */
    instruction: jsonb("instruction").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("provider_sessions_link_idx").on(t.paymentLinkId, t.serviceId, t.createdAt),
    index("provider_sessions_ref_idx").on(t.serviceId, t.providerRef),
  ],
);

/** Every call to /api/providers/{serviceId}/notify, kept verbatim for support staff. */
export const providerNotifications = pgTable(
  "provider_notifications",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    serviceId: text("service_id")
      .notNull()
      .references(() => paymentServices.id, { onDelete: "cascade" }),
    headers: jsonb("headers").$type<Record<string, string>>().notNull(),
    body: text("body").notNull(),
    /** How the facts were trusted: the signature, a status lookup at the provider, or not at all. */
    verifiedBy: text("verified_by").$type<"signature" | "status">(),
    outcome: notificationOutcomeEnum("outcome").notNull(),
    message: text("message"),
    providerRef: text("provider_ref"),
    amount: money("amount"),
    currency: text("currency"),
    remark: text("remark"),
    paymentLinkId: text("payment_link_id").references(() => paymentLinks.id),
    invoiceId: text("invoice_id").references(() => invoices.id),
    paymentId: text("payment_id"),
    /** A refund notification's refund (MyFatoorah's RefundStatusChanged). */
    refundId: text("refund_id"),
    assignedBy: text("assigned_by").references(() => users.id),
    assignedAt: at("assigned_at"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("provider_notifications_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    index("provider_notifications_invoice_idx").on(t.merchantId, t.invoiceId),
    index("provider_notifications_link_idx").on(t.paymentLinkId, t.createdAt),
    // What an outsider can make Settle store (lib/payment-services/refused-notifications.ts): capped per service, swept by age.
    index("provider_notifications_refused_idx")
      .on(t.serviceId, t.createdAt)
      .where(sql`${t.outcome} = 'rejected' or (${t.outcome} = 'error' and ${t.verifiedBy} is null)`),
    index("provider_notifications_refused_age_idx")
      .on(t.createdAt)
      .where(sql`${t.outcome} = 'rejected' or (${t.outcome} = 'error' and ${t.verifiedBy} is null)`),
  ],
);

export type PaymentService = typeof paymentServices.$inferSelect;
export type PaymentServiceKind = (typeof paymentServiceKindEnum.enumValues)[number];
export type PaymentLink = typeof paymentLinks.$inferSelect;
export type PaymentLinkStatus = (typeof paymentLinkStatusEnum.enumValues)[number];
export type PaymentLinkCancellationReason = (typeof paymentLinkCancellationReasonEnum.enumValues)[number];
export type ProviderSession = typeof providerSessions.$inferSelect;
export type ProviderNotification = typeof providerNotifications.$inferSelect;
export type NotificationOutcome = (typeof notificationOutcomeEnum.enumValues)[number];
