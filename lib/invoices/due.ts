/**
 * The calendar day it is now in the last time zone to reach it (UTC−12). A
 * due date before this day has passed for every merchant wherever they are,
 * so no one is told "in the past" or "overdue" about a day still running.
 */
export function earliestToday(now = new Date()): string {
  return new Date(now.getTime() - 12 * 3_600_000).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD day that has passed everywhere. */
export const isPastDay = (day: string, now?: Date): boolean => day < earliestToday(now);

/** Still owing after its due date: open, unpaid or part paid, the due day passed. */
export function isOverdue(inv: { status: string; paymentStatus: string; dueDate: string | null }, now?: Date): boolean {
  return inv.status === "open" && (inv.paymentStatus === "unpaid" || inv.paymentStatus === "partial") && !!inv.dueDate && isPastDay(inv.dueDate, now);
}
