/**
 * The payload formats a webhook endpoint can receive (the `webhook_format`
 * enum): Settle's own Standard Webhooks, or a gateway's dialect
 * (lib/webhooks/formats). No imports, so client code can list them.
 */
export const webhookFormatIds = ["standard", "finan", "myfatoorah_v1", "foloosi", "furatpay"] as const;
export type WebhookFormatId = (typeof webhookFormatIds)[number];
