import { z } from "zod";
import { currencySchema } from "@/lib/money";

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const redirectUrl = (label: string) =>
  z.preprocess(
    blank,
    z
      .url({ error: `${label} must be a full URL, like https://shop.example.com/thanks.` })
      .refine((u) => /^https?:\/\//i.test(u), `${label} must start with https:// or http://.`)
      .max(2000, `${label} must be at most 2000 characters.`)
      .optional(),
  );

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
    blank,
    z.coerce
      .number({ error: "Enter the expiry in minutes." })
      .int("The expiry is a whole number of minutes.")
      .min(1, "A link must stay open at least 1 minute.")
      .max(43_200, "A link can stay open at most 30 days (43,200 minutes).")
      .default(DEFAULT_EXPIRY_MINUTES),
  ),
  successUrl: redirectUrl("The success URL"),
  failureUrl: redirectUrl("The failure URL"),
});

export const createInvoiceLinkSchema = linkOptionsSchema.extend({
  invoiceId: z.string({ error: "Choose an invoice." }).min(1, "Choose an invoice."),
  /** What the customer sees; the invoice's description when left out. */
  description: z.preprocess(blank, z.string().trim().max(200, "Keep the description under 200 characters.").optional()),
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
  customerName: z.preprocess(blank, z.string().trim().max(200, "Keep the name under 200 characters.").optional()),
});
export type CreateStandaloneLinkInput = z.input<typeof createStandaloneLinkSchema>;

export const cancelLinkSchema = z.object({ linkId: z.string({ error: "Choose a link." }).min(1, "Choose a link.") });

export const linkFiltersSchema = z.object({
  status: z.enum(["all", "active", "expired", "canceled"]).catch("all").default("all"),
  payment: z.enum(["all", "unpaid", "partial", "paid", "extra"]).catch("all").default("all"),
  q: z.preprocess(blank, z.string().trim().max(100).optional()).catch(undefined),
});
export type LinkFilters = z.output<typeof linkFiltersSchema>;
