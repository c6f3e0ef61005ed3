/**
 * A webhook delivery's statuses (the `webhook_delivery_status` enum). No
 * imports, so the delivery log's client code can have them through
 * lib/webhooks/filters.ts without pulling in drizzle.
 */
export const deliveryStatuses = ["pending", "succeeded", "failed", "timeout", "url_not_set"] as const;
