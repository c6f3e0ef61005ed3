import { z } from "zod";
import { currencySchema } from "@/lib/money";
import { blankAsAbsent, httpUrl, optional } from "@/lib/validation";

/** A single value from a form arrives as a string, several as an array. */
const serviceIds = z.preprocess(
  (v) => (typeof v === "string" ? [v] : v),
  z
    .array(z.string().min(1), { error: "Choose at least one payment service." })
    .min(1, "Choose at least one payment service.")
    .max(20, "Choose at most 20 payment services."),
);

export const DEFAULT_EXPIRY_MINUTES = 30;

export const linkOptionsSchema = z.object({
  serviceIds,
  expiresInMinutes: z.preprocess(
    blankAsAbsent,
    z.coerce
      .number({ error: "Enter the expiry in minutes." })
      .int("The expiry is a whole number of minutes.")
      .min(1, "A link must stay open at least 1 minute.")
      .max(43_200, "A link can stay open at most 30 days (43,200 minutes).")
      .default(DEFAULT_EXPIRY_MINUTES),
  ),
  successUrl: optional(httpUrl("The success URL")),
  failureUrl: optional(httpUrl("The failure URL")),
});

export type LinkOptions = z.output<typeof linkOptionsSchema>;

export const createInvoiceLinkSchema = linkOptionsSchema.extend({
  invoiceId: z.string({ error: "Choose an invoice." }).min(1, "Choose an invoice."),
  /** What the customer sees; the invoice's description when left out. */
  description: optional(z.string().trim().max(200, "Keep the description under 200 characters.")),
});
export type CreateInvoiceLinkInput = z.input<typeof createInvoiceLinkSchema>;

export const createStandaloneLinkSchema = linkOptionsSchema.extend({
  currency: currencySchema,
  amount: z.string({ error: "Enter an amount." }).trim().min(1, "Enter an amount."),
  description: z
    .string({ error: "Say what the payment is for." })
    .trim()
    .min(1, "Say what the payment is for.")
    .max(200, "Keep the description under 200 characters."),
  customerName: optional(z.string().trim().max(200, "Keep the name under 200 characters.")),
});
export type CreateStandaloneLinkInput = z.input<typeof createStandaloneLinkSchema>;

export const cancelLinkSchema = z.object({ linkId: z.string({ error: "Choose a link." }).min(1, "Choose a link.") });

export const linkFiltersSchema = z.object({
  status: z.enum(["all", "active", "expired", "canceled"]).catch("all").default("all"),
  payment: z.enum(["all", "unpaid", "partial", "paid", "extra"]).catch("all").default("all"),
  q: optional(z.string().trim().max(100)).catch(undefined),
});
export type LinkFilters = z.output<typeof linkFiltersSchema>;
