import type { Database } from "@/db/client";
import { type CurrencyCode, toMajorString } from "@/lib/money";
import { tabOf } from "./counters";
import { type InvoiceListRow, parseFilters, selectPage } from "./queries";
import { formatInvoiceNumber, type InvoiceFiltersInput } from "./schemas";

const BATCH = 1000;

const header = [
  "number",
  "id",
  "reference_id",
  "created_at",
  "due_date",
  "status",
  "currency",
  "amount",
  "paid_amount",
  "remaining",
  "refunded",
  "net",
  "customer_name",
  "customer_email",
  "customer_phone",
  "description",
  "needs_review",
];

/**
 * One RFC 4180 field. Text a spreadsheet would run as a formula (=, +, -, @)
 * gets a leading apostrophe: customer names come from strangers.
 */
export function csvField(value: string | number | boolean | null | undefined, { text = false } = {}): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (fields: string[]) => `${fields.join(",")}\r\n`;

/**
 * The UTF-8 byte order mark. Excel (and Numbers) read a CSV without it in the
 * machine's legacy code page, which turns "Nguyễn" into "Nguyá»…n"; with it they
 * read UTF-8. Parsers that follow RFC 4180 strip it.
 */
export const UTF8_BOM = "\uFEFF";

function toLine(r: InvoiceListRow): string {
  const c = r.currency as CurrencyCode;
  return line([
    csvField(formatInvoiceNumber(r.number)),
    csvField(r.id),
    csvField(r.referenceId, { text: true }),
    csvField(r.createdAt.toISOString()),
    csvField(r.dueDate),
    csvField(tabOf(r)),
    csvField(r.currency),
    csvField(toMajorString(r.amount, c)),
    csvField(toMajorString(r.paidAmount, c)),
    csvField(toMajorString(Math.max(0, r.amount - r.paidAmount), c)),
    csvField(toMajorString(r.refundedAmount, c)),
    // What the merchant keeps: paid less refunded (the payment status still says what was paid).
    csvField(toMajorString(r.paidAmount - r.refundedAmount, c)),
    csvField(r.customerName, { text: true }),
    csvField(r.customerEmail, { text: true }),
    csvField(r.customerPhone, { text: true }),
    csvField(r.description, { text: true }),
    csvField(r.needsReview),
  ]);
}

/**
 * Exactly the filtered list (every page of it, the cursor ignored), as CSV
 * lines ending in CRLF, the byte order mark and header first. Reads keyset batches as the consumer
 * pulls, so memory stays at one batch however many rows there are.
 */
export async function* exportInvoicesCsv(
  db: Database,
  { merchantId, filters: input }: { merchantId: string; filters: InvoiceFiltersInput },
): AsyncGenerator<string> {
  const filters = { ...parseFilters(input), cursor: undefined };
  yield UTF8_BOM + line(header);
  let after: { createdAt: string; id: string } | undefined;
  for (;;) {
    const rows = await selectPage(db, { merchantId, filters, after, limit: BATCH });
    for (const r of rows) yield toLine(r);
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.createdAt.toISOString(), id: last.id };
  }
}
