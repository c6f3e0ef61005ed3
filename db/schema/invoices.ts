import { relations, type SQL, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { merchants, users } from "./accounts";

export const paymentStatusEnum = pgEnum("payment_status", ["unpaid", "partial", "paid", "extra"]);
export const invoiceStatusEnum = pgEnum("invoice_status", ["open", "void"]);
export const paymentMethodEnum = pgEnum("payment_method", ["cash", "bank_transfer", "card", "ewallet", "qr", "other"]);
export const paymentResultEnum = pgEnum("payment_result", ["succeeded", "failed", "processing"]);
export const refundStatusEnum = pgEnum("refund_status", ["pending", "succeeded", "failed"]);

/** Money: integer minor units; bigint in the database, a safe-integer number in JS. */
const money = (name: string) => bigint(name, { mode: "number" });
// Millisecond precision, so a JS Date round-trips exactly and keyset cursors never skip a row.
/** Postgres full-text lexemes; written by Postgres only (a generated column), read by `@@`. */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const createdAt = () => timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow();

/**
 * One row per merchant, updated in the same transaction as each invoice change:
 * the row lock serialises invoice numbering (no gap, no duplicate), and the
 * per-tab counts make the list page's status tabs O(1) at any size.
 */
export const merchantCounters = pgTable(
  "merchant_counters",
  {
    merchantId: text("merchant_id")
      .primaryKey()
      .references(() => merchants.id, { onDelete: "cascade" }),
    invoiceSeq: integer("invoice_seq").notNull().default(0),
    unpaidCount: integer("unpaid_count").notNull().default(0),
    partialCount: integer("partial_count").notNull().default(0),
    paidCount: integer("paid_count").notNull().default(0),
    extraCount: integer("extra_count").notNull().default(0),
    voidCount: integer("void_count").notNull().default(0),
  },
  (t) => [check("merchant_counters_nonnegative", sql`least(${t.unpaidCount}, ${t.partialCount}, ${t.paidCount}, ${t.extraCount}, ${t.voidCount}) >= 0`)],
);

export const invoices = pgTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    referenceId: text("reference_id"),
    currency: text("currency").notNull(),
    amount: money("amount").notNull(),
    paidAmount: money("paid_amount").notNull().default(0),
    /** Σ succeeded refunds of its payments. Never moves the payment status: that says what was paid. */
    refundedAmount: money("refunded_amount").notNull().default(0),
    paymentStatus: paymentStatusEnum("payment_status").notNull().default("unpaid"),
    status: invoiceStatusEnum("status").notNull().default("open"),
    customerName: text("customer_name").notNull(),
    customerEmail: text("customer_email"),
    customerPhone: text("customer_phone"),
    customerAddress: text("customer_address"),
    description: text("description"),
    dueDate: date("due_date", { mode: "string" }),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    /** A succeeded payment landed on a void invoice: money to refund or reconcile by hand. */
    needsReview: boolean("needs_review").notNull().default(false),
    /**
     * Every prefix (up to 20 letters) of every word of the customer's name, as exact lexemes:
     * a typed prefix is then one GIN entry, and several words intersect posting lists instead
     * of unioning every lexeme that starts with them. Folded like invoice_search_fold (lower
     * case, no accents, đ → d), so "nguyen" finds "Nguyễn". The function is created by hand
     * in migration 0001 and folds since 0016 (drizzle-kit does not manage functions).
     */
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      (): SQL => sql`invoice_search_prefixes(${invoices.customerName})`,
    ),
    createdAt: createdAt(),
    voidedAt: timestamp("voided_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    uniqueIndex("invoices_merchant_number_key").on(t.merchantId, t.number),
    uniqueIndex("invoices_merchant_reference_key").on(t.merchantId, t.referenceId),
    // Keyset pages of the All tab (and date ranges) in either direction. Ascending on
    // purpose: drizzle-kit writes `.desc()` as DESC NULLS LAST, which ORDER BY … DESC
    // (NULLS FIRST) cannot use; a backward scan of ASC NULLS LAST matches it exactly.
    index("invoices_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    // The Unpaid / Partial / Paid / Extra tabs only show open invoices; Void has its own.
    index("invoices_merchant_tab_idx")
      .on(t.merchantId, t.paymentStatus, t.createdAt, t.id)
      .where(sql`${t.status} = 'open'`),
    index("invoices_merchant_void_idx")
      .on(t.merchantId, t.createdAt, t.id)
      .where(sql`${t.status} = 'void'`),
    index("invoices_search_idx").using("gin", t.searchVector),
    // The same lexemes filed under the week of created_at ("2866@layla"): the newest matches
    // of a word too rare to fill a page from the newest rows come from a few weeks' entries.
    // The function is created by hand in migration 0007.
    index("invoices_search_weekly_idx").using("gin", sql`invoice_search_weekly(${t.searchVector}, ${t.createdAt})`),
    // The start of an email or a reference id: a btree range (pattern ops: any collation).
    // Emails are ASCII (zod's email format), so lower() folds them as invoice_search_fold would.
    index("invoices_merchant_email_idx").on(t.merchantId, sql`lower(${t.customerEmail}) text_pattern_ops`),
    index("invoices_merchant_reference_idx").on(t.merchantId, sql`lower(${t.referenceId}) text_pattern_ops`),
    check("invoices_amounts_nonnegative", sql`${t.amount} >= 0 and ${t.paidAmount} >= 0`),
    check("invoices_refunded_within_paid", sql`${t.refundedAmount} >= 0 and ${t.refundedAmount} <= ${t.paidAmount}`),
  ],
);

export const invoiceItems = pgTable(
  "invoice_items",
  {
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    unitPrice: money("unit_price").notNull(),
    quantity: integer("quantity").notNull(),
    amount: money("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.position] })],
);

export const payments = pgTable(
  "payments",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    invoiceId: text("invoice_id").references(() => invoices.id),
    // The payment links and services tables come with their own issues; no FK until then.
    paymentLinkId: text("payment_link_id"),
    serviceId: text("service_id").notNull(),
    providerRef: text("provider_ref").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    method: paymentMethodEnum("method").notNull(),
    status: paymentResultEnum("status").notNull(),
    message: text("message"),
    cardLast4: text("card_last4"),
    /** A crypto payment's block confirmations while it is processing: seen so far, and needed to be final. */
    confirmations: integer("confirmations"),
    confirmationsRequired: integer("confirmations_required"),
    raw: jsonb("raw"),
    /** Σ its succeeded refunds, and Σ its pending ones: together never more than the payment (the check below). */
    refundedAmount: money("refunded_amount").notNull().default(0),
    refundPendingAmount: money("refund_pending_amount").notNull().default(0),
    /** Arrived after its payment link expired: still counted, flagged for the merchant. */
    late: boolean("late").notNull().default(false),
    recordedBy: text("recorded_by").references(() => users.id),
    note: text("note"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    // Idempotency: one row per provider transaction, however many notifications arrive.
    uniqueIndex("payments_merchant_service_ref_key").on(t.merchantId, t.serviceId, t.providerRef),
    index("payments_invoice_idx").on(t.invoiceId, t.createdAt),
    check("payments_amount_nonnegative", sql`${t.amount} >= 0`),
    check(
      "payments_refunds_within_amount",
      sql`${t.refundedAmount} >= 0 and ${t.refundPendingAmount} >= 0 and ${t.refundedAmount} + ${t.refundPendingAmount} <= ${t.amount}`,
    ),
  ],
);

/**
 * Money given back on a succeeded payment (lib/refunds/ledger.ts), through
 * the payment's connector or recorded by hand. `pending` holds its amount on
 * the payment until it ends `succeeded` or `failed`.
 */
export const refunds = pgTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.id),
    invoiceId: text("invoice_id").references(() => invoices.id),
    /** The payment's service: its connector makes the refund, and scopes the provider's refund id. */
    serviceId: text("service_id").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    status: refundStatusEnum("status").notNull().default("pending"),
    /** The gateway's refund id, or the transfer's reference for a refund recorded by hand. */
    providerRef: text("provider_ref"),
    /** Made outside Settle (a bank transfer back, cash) and recorded by a person. */
    manual: boolean("manual").notNull().default(false),
    failureMessage: text("failure_message"),
    requestedBy: text("requested_by").references(() => users.id),
    raw: jsonb("raw"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** When it became succeeded or failed: the day a succeeded one counts against the money collected. */
    settledAt: timestamp("settled_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    // Idempotency on the provider's refund id: however many notifications name it, one refund.
    uniqueIndex("refunds_merchant_service_ref_key").on(t.merchantId, t.serviceId, t.providerRef),
    index("refunds_payment_idx").on(t.paymentId, t.createdAt),
    index("refunds_invoice_idx").on(t.invoiceId, t.createdAt),
    index("refunds_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    // The status sweep (lib/refunds/check.ts): only refunds still pending, those not looked at for longest first.
    index("refunds_pending_idx").on(t.updatedAt, t.id).where(sql`${t.status} = 'pending'`),
    check("refunds_amount_positive", sql`${t.amount} > 0`),
  ],
);

/** The transactional outbox: written with the change it describes; the webhook engine delivers from here. */
export const events = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    // Commit-independent total order: several events share one transaction timestamp.
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    invoiceId: text("invoice_id").references(() => invoices.id),
    data: jsonb("data").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("events_merchant_invoice_idx").on(t.merchantId, t.invoiceId, t.seq),
    index("events_merchant_seq_idx").on(t.merchantId, t.seq),
  ],
);

export type Invoice = typeof invoices.$inferSelect;
export type InvoiceItem = typeof invoiceItems.$inferSelect;
export type Payment = typeof payments.$inferSelect;
export type Refund = typeof refunds.$inferSelect;
export type RefundStatus = (typeof refundStatusEnum.enumValues)[number];
export type InvoiceEvent = typeof events.$inferSelect;
export type PaymentStatus = (typeof paymentStatusEnum.enumValues)[number];
export type PaymentMethod = (typeof paymentMethodEnum.enumValues)[number];

/** For one-statement reads of an invoice with its lines and payments (db.query.invoices). */
export const invoicesRelations = relations(invoices, ({ many }) => ({ items: many(invoiceItems), payments: many(payments) }));
export const invoiceItemsRelations = relations(invoiceItems, ({ one }) => ({
  invoice: one(invoices, { fields: [invoiceItems.invoiceId], references: [invoices.id] }),
}));
export const paymentsRelations = relations(payments, ({ one }) => ({
  invoice: one(invoices, { fields: [payments.invoiceId], references: [invoices.id] }),
}));
