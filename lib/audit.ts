import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Database } from "@/db/client";
import { queueWrite } from "@/db/transaction";
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
  await queueWrite(db, () => db.insert(auditLog).values(row));
}

export async function listAudit(
  db: Database,
  { merchantId, before, limit = 50 }: { merchantId: string; before?: { createdAt: Date; id: string }; limit?: number },
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
    .where(and(eq(auditLog.merchantId, merchantId), cursor))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit);
}
