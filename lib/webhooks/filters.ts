import { z } from "zod";

/** Delivery statuses (the `webhook_delivery_status` enum); free of server imports so the log's client code can use them. */
import { deliveryStatuses } from "@/db/schema/delivery-statuses";
import { isoDate, optional } from "@/lib/validation";

export { deliveryStatuses };

const day = optional(isoDate("The date"));

/** An endpoint as the log names it, in its filter and its rows; a deleted one stays, marked. */
export interface EndpointOption {
  id: string;
  url: string;
  description: string | null;
  deleted: boolean;
}

/**
 * What people call an endpoint: its description when it has one, else its
 * URL's host (the path of a URL cut to fit a column says nothing).
 */
export function endpointName(e: { url: string | null; description: string | null }): string {
  if (e.description) return e.description;
  if (!e.url) return "—";
  return URL.canParse(e.url) ? new URL(e.url).host : e.url;
}

/** The log's filters, as they stand in the URL. */
export const deliveryFilterSchema = z.object({
  status: z.preprocess(
    (v) => (v == null || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(deliveryStatuses, { error: "Unknown status." })),
  ),
  endpoint: optional(z.string().max(100)),
  type: optional(z.string().max(100)),
  from: day,
  to: day,
  /** An event, delivery or message id, an invoice id, or an invoice number. */
  q: optional(z.string().trim().max(100)),
});
export type DeliveryFilter = z.output<typeof deliveryFilterSchema>;
export type DeliveryFilterInput = z.input<typeof deliveryFilterSchema>;

/** Filters from URL search params (a status may repeat); anything unreadable means no filter. */
export function filterFromSearchParams(params: Record<string, string | string[] | undefined>): DeliveryFilter {
  const parsed = deliveryFilterSchema.safeParse(params);
  return parsed.success ? parsed.data : { status: [] };
}

export function filterToSearchParams(f: DeliveryFilter): URLSearchParams {
  const p = new URLSearchParams();
  for (const s of f.status) p.append("status", s);
  for (const k of ["endpoint", "type", "from", "to", "q"] as const) if (f[k]) p.set(k, f[k]!);
  return p;
}

/** URL search params as the filter schema reads them: a name given several times (status) becomes an array. */
export function searchParamsRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length > 1 ? all : all[0]!;
  }
  return out;
}
