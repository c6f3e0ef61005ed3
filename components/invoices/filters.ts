import type { InvoiceFiltersInput } from "@/lib/invoices/schemas";

/** The list's URL for a set of filters; empty values are left out so links stay short. */
export function invoicesHref(filters: InvoiceFiltersInput, base = "/invoices"): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined || v === null || v === "") continue;
    if ((k === "status" && v === "all") || (k === "sort" && v === "created_desc")) continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

export function firstParam(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
