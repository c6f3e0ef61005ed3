import { z } from "zod";
import { paymentMethodEnum } from "@/db/schema";
import { minorUnitsSchema } from "@/lib/money";
import type { NotificationFacts } from "./types";
import { parseJson, firstIssue } from "./parse";

/**
 * The JSON body signed providers (and the sandbox) send to the notify
 * endpoint, after Finan's payment webhook: the transaction id, the amount in
 * minor units, and what identifies the link (its id or code, or a remark).
 */
export const notificationBodySchema = z
  .object({
    id: z.string({ error: "id (the provider's transaction id) is required." }).trim().min(1, "id must not be empty.").max(200, "id must be at most 200 characters."),
    status: z.enum(["succeeded", "failed"], { error: "status must be succeeded or failed." }).default("succeeded"),
    amount: minorUnitsSchema,
    currency: z.string().regex(/^[A-Z]{3}$/, "currency must be a three-letter ISO code.").optional(),
    payment_link_id: z.string().min(1).max(100).optional(),
    reference: z.string().min(1).max(100).optional(),
    remark: z.string().max(500, "remark must be at most 500 characters.").optional(),
    payment_method: z.enum(paymentMethodEnum.enumValues).optional(),
    message: z.string().max(1000).optional(),
    card_last4: z.string().regex(/^\d{4}$/, "card_last4 must be four digits.").optional(),
  })
  .refine((b) => b.payment_link_id || b.reference || b.remark !== undefined, {
    message: "One of payment_link_id, reference or remark is required.",
  });
export type NotificationBody = z.input<typeof notificationBodySchema>;

export type ParsedBody = { ok: true; facts: NotificationFacts } | { ok: false; message: string };

export function parseNotificationBody(raw: string, defaultMethod: NotificationFacts["method"]): ParsedBody {
  const json = parseJson(raw);
  if (json === undefined) return { ok: false, message: "The body is not valid JSON." };
  const parsed = notificationBodySchema.safeParse(json);
  if (!parsed.success) return { ok: false, message: firstIssue(parsed.error, "The body is not a valid notification.") };
  const b = parsed.data;
  return {
    ok: true,
    facts: {
      providerRef: b.id,
      status: b.status,
      amount: b.amount,
      currency: b.currency,
      paymentLinkId: b.payment_link_id,
      linkCode: b.reference,
      remark: b.remark,
      method: b.payment_method ?? defaultMethod,
      message: b.message,
      cardLast4: b.card_last4,
    },
  };
}
