import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import type { Database } from "@/db/client";
import { queueAppend } from "@/db/transaction";
import { auditLog, users } from "@/db/schema";
import { newId } from "./ids";

export interface AuditEntry {
  merchantId: string;
  actorUserId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
}

/** In a transaction of db/transaction.ts the entry is written with the commit. */
export async function writeAudit(db: Database, entry: AuditEntry): Promise<void> {
  const row = { id: newId("aud"), ...entry, before: entry.before ?? null, after: entry.after ?? null };
  await queueAppend(db, auditLog, db.insert(auditLog).values(row));
}

/** What belongs to the account rather than one mode: logged in the live space, shown in both. */
export const ACCOUNT_TARGETS = ["membership", "invite", "merchant"];

/**
 * A space's audit log, newest first: its own entries, and (in test mode)
 * the account's team and business-name changes, which belong to no one mode.
 */
export async function listAudit(
  db: Database,
  { merchantId, accountId = merchantId, before, limit = 50 }: { merchantId: string; accountId?: string; before?: { createdAt: Date; id: string }; limit?: number },
) {
  const cursor = before
    ? or(lt(auditLog.createdAt, before.createdAt), and(eq(auditLog.createdAt, before.createdAt), lt(auditLog.id, before.id)))
    : undefined;
  return db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      before: auditLog.before,
      after: auditLog.after,
      createdAt: auditLog.createdAt,
      actorEmail: users.email,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(
      and(
        accountId === merchantId
          ? eq(auditLog.merchantId, merchantId)
          : or(eq(auditLog.merchantId, merchantId), and(eq(auditLog.merchantId, accountId), inArray(auditLog.targetType, ACCOUNT_TARGETS))),
        cursor,
      ),
    )
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit);
}
