import { desc } from "drizzle-orm";
import type { Database } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { mailMode } from "./mailer";

/** /dev/outbox exists only where mail is kept rather than sent: never beside a real SMTP server, never in production unless MAIL_OUTBOX=1. */
export const outboxOpen = (): boolean => mailMode() === "outbox";

/** The newest mail first. */
export async function listOutbox(db: Database, limit = 50) {
  return db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id)).limit(limit);
}
