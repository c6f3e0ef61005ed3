import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Mail kept instead of sent: with no SMTP_URL outside production (or with
 * MAIL_OUTBOX=1), every message lands here, written in the transaction that
 * made it (a rollback keeps nothing), and a developer reads it at /dev/outbox.
 * A table, not memory, so every instance sees the same outbox.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: text("id").primaryKey(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("mail_outbox_created_idx").on(t.createdAt, t.id)],
);
