import { z } from "zod";
import { type CurrencyCode, currencySchema, minorUnitsSchema, parseAmount } from "@/lib/money";
import { isPastDay } from "./due";
import { isLargeTotal } from "./limits";
import { isoDate, optional, optionalText, referenceIdSchema } from "@/lib/validation";

const optionalDate = (label: string) => optional(isoDate(label));

export const invoiceItemSchema = z.object({
  name: z.string({ error: "Enter what this line is for." }).trim().min(1, "Enter what this line is for.").max(200, "Keep the item name under 200 characters."),
  /** Minor units; a typed string ("12.50") is also accepted and read in the invoice's currency. */
  unitPrice: z.union([minorUnitsSchema, z.string()], { error: "Enter a unit price." }),
  quantity: z.coerce
    .number({ error: "Enter a quantity." })
    .int("The quantity must be a whole number.")
    .min(1, "The quantity must be at least 1.")
    .max(1_000_000, "The quantity must be at most 1,000,000."),
});

export const customerSchema = z.object({
  name: z.string({ error: "Enter the customer's name." }).trim().min(1, "Enter the customer's name.").max(200, "Keep the name under 200 characters."),
  email: optional(z.email("Enter a valid email address, like name@example.com.").max(254, "That email address is too long.")),
  phone: optional(
    z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()\-.]{4,32}$/, "Enter a phone number with digits, like +971 50 123 4567."),
  ),
  address: optionalText(500, "The address"),
});

export const createInvoiceSchema = z
  .object({
    currency: currencySchema,
    items: z.array(invoiceItemSchema, { error: "Add at least one line item." }).min(1, "Add at least one line item.").max(100, "An invoice can have at most 100 lines."),
    customer: customerSchema,
    description: optionalText(2000, "The description"),
    dueDate: optionalDate("The due date"),
    /** A due date in the past is likely a typo: the form asks, and this says the person meant it (the API always means it). */
    confirmPastDue: z.union([z.boolean(), z.literal("on")]).optional(),
    /**
     * The dashboard's form sends false until the person ticks "this large total is right" (see
     * isLargeTotal); the API and other callers leave it out and are never asked.
     */
    confirmLargeAmount: z.union([z.boolean(), z.literal("on")]).optional(),
    referenceId: optional(referenceIdSchema),
    metadata: z
      .record(
        z.string().trim().min(1, "Metadata keys cannot be empty.").max(40, "Metadata keys must be at most 40 characters."),
        z.string().max(500, "Metadata values must be at most 500 characters."),
      )
      .refine((m) => Object.keys(m).length <= 50, "At most 50 metadata entries.")
      .optional(),
  })
  // Runs even when other fields failed, so a bad unit price is reported with them, not after.
  .superRefine(
    (input, ctx) => {
      if (typeof input?.dueDate === "string" && isPastDay(input.dueDate) && !input.confirmPastDue) {
        ctx.addIssue({
          code: "custom",
          path: ["confirmPastDue"],
          message: "This due date is in the past, so the invoice would be overdue at once. Tick the box to confirm, or change the date.",
        });
      }
      const currency = currencySchema.safeParse(input?.currency);
      if (!currency.success || !Array.isArray(input?.items)) return;
      input.items.forEach((item, i) => {
        if (typeof item?.unitPrice !== "string") return;
        try {
          parseAmount(item.unitPrice, currency.data);
        } catch (err) {
          ctx.addIssue({ code: "custom", path: ["items", i, "unitPrice"], message: (err as Error).message });
        }
      });
    },
    { when: () => true },
  )
  .transform((input, ctx) => {
    let linesOk = true;
    const items = input.items.map((item, i) => {
      let unitPrice = 0;
      if (typeof item.unitPrice === "number") unitPrice = item.unitPrice;
      else {
        try {
          unitPrice = parseAmount(item.unitPrice, input.currency as CurrencyCode);
        } catch (err) {
          linesOk = false;
          ctx.addIssue({ code: "custom", path: ["items", i, "unitPrice"], message: (err as Error).message });
        }
      }
      const amount = unitPrice * item.quantity;
      if (!Number.isSafeInteger(amount)) {
        linesOk = false;
        ctx.addIssue({ code: "custom", path: ["items", i, "unitPrice"], message: "This line's amount is too large." });
      }
      return { ...item, unitPrice, amount };
    });
    const amount = items.reduce((sum, item) => sum + item.amount, 0);
    // A total is only worth a message once every line is readable.
    if (!linesOk) return z.NEVER;
    if (!Number.isSafeInteger(amount)) {
      ctx.addIssue({ code: "custom", path: ["items"], message: "The invoice total is too large." });
    } else if (amount === 0) {
      ctx.addIssue({ code: "custom", path: ["items"], message: "The invoice total must be more than zero." });
    } else if (input.confirmLargeAmount === false && isLargeTotal(amount, input.currency as CurrencyCode)) {
      ctx.addIssue({
        code: "custom",
        path: ["confirmLargeAmount"],
        message: "This total is unusually large: an extra zero is easy to type. Tick the box to confirm it, or correct the amounts.",
      });
    }
    const { confirmPastDue: _confirmed, confirmLargeAmount: _large, ...rest } = input;
    return { ...rest, items, amount, metadata: input.metadata ?? {} };
  });

export type CreateInvoiceInput = z.input<typeof createInvoiceSchema>;
export type CreateInvoiceData = z.output<typeof createInvoiceSchema>;

export const invoiceTabs = ["all", "unpaid", "partial", "paid", "extra", "void"] as const;
export type InvoiceTab = (typeof invoiceTabs)[number];

/** A URL param given twice (?q=a&q=b) arrives as an array: the first one counts. */
const firstOf = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** The list page's URL params: tabs and sort fall back to defaults, typed dates get a message. */
export const invoiceFiltersSchema = z
  .preprocess(
    (v) => (v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, firstOf(x)])) : v),
    z.object({
    status: z.enum(invoiceTabs).catch("all").default("all"),
    q: optionalText(200, "The search"),
    /** An exact reference ID (the API's `reference_id` filter); `q` matches its start instead. */
    reference: optionalText(100, "The reference ID"),
    from: optionalDate("The start date"),
    to: optionalDate("The end date"),
    cursor: optionalText(200, "The page cursor"),
    sort: z.enum(["created_desc", "created_asc"]).catch("created_desc").default("created_desc"),
    }),
  )
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], message: "The end date must be on or after the start date." });

export type InvoiceFilters = z.output<typeof invoiceFiltersSchema>;
/** What the page passes: its URL search params as they come (unknown or repeated ones included). */
export type InvoiceFiltersInput = Partial<
  Record<"q" | "reference" | "from" | "to" | "cursor", string | string[] | undefined> & {
    status: InvoiceTab | string[] | (string & {}) | undefined;
    sort: "created_desc" | "created_asc" | string[] | (string & {}) | undefined;
  }
> &
  Record<string, string | string[] | undefined>;

export const voidInvoiceSchema = z.object({ invoiceId: z.string({ error: "Choose an invoice." }).min(1, "Choose an invoice.") });

export const formatInvoiceNumber = (n: number) => `INV-${String(n).padStart(6, "0")}`;

/** "INV-000042", "inv-42", "#42" or "42" → 42: what a person types to find an invoice by number. */
export function parseInvoiceNumber(q: string): number | null {
  const m = /^(?:inv-?|#)?0*(\d{1,9})$/i.exec(q.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 && n <= 2_147_483_647 ? n : null;
}
