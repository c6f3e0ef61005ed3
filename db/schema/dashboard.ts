import { sql } from "drizzle-orm";
import { bigint, check, date, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { merchants } from "./accounts";

const money = (name: string) => bigint(name, { mode: "number" });
const merchantId = () =>
  text("merchant_id")
    .notNull()
    .references(() => merchants.id, { onDelete: "cascade" });

/**
 * The dashboard's figures per merchant, currency and UTC day, kept in step by
 * the ledger, invoice create and void in their own transactions
 * (lib/dashboard/rollups.ts), so the overview reads at most 90 rows per
 * currency however many invoices there are.
 */
export const dashboardDaily = pgTable(
  "dashboard_daily",
  {
    merchantId: merchantId(),
    currency: text("currency").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    /** Σ succeeded payments, counted on the day each became succeeded (payments.updated_at). */
    collected: money("collected").notNull().default(0),
    /** Σ refunds that succeeded that day (refunds.settled_at): the dashboard shows collected net of them. */
    refunded: money("refunded").notNull().default(0),
    invoicesCreated: integer("invoices_created").notNull().default(0),
    /** Open invoices that reached paid (or overpaid) that day; each counts once. */
    invoicesPaid: integer("invoices_paid").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.currency, t.day] }),
    check("dashboard_daily_nonnegative", sql`least(${t.collected}, ${t.refunded}, ${t.invoicesCreated}, ${t.invoicesPaid}) >= 0`),
  ],
);

/** What open invoices still owe, per merchant and currency: Σ (amount − paid) over unpaid and partial ones. */
export const dashboardOutstanding = pgTable(
  "dashboard_outstanding",
  {
    merchantId: merchantId(),
    currency: text("currency").notNull(),
    amount: money("amount").notNull().default(0),
    invoices: integer("invoices").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.currency] }),
    check("dashboard_outstanding_nonnegative", sql`least(${t.amount}, ${t.invoices}) >= 0`),
  ],
);

export type DashboardDay = typeof dashboardDaily.$inferSelect;
export type DashboardOutstanding = typeof dashboardOutstanding.$inferSelect;
