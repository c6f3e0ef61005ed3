import { signatureHeaders, webhookBodyOf } from "../signing";
import type { WebhookFormatBuilder } from "./types";

/**
 * Settle's own format: `{ type, timestamp, data }` with the Standard Webhooks
 * headers, every secret in force signing. The body is put together from the
 * event's stored JSON text without parsing it: the engine's hot path.
 */
export const standardFormat: WebhookFormatBuilder = {
  id: "standard",
  request(event, ctx) {
    const body = webhookBodyOf(event.type, event.createdAt, event.dataJson);
    return { body, headers: signatureHeaders(ctx.messageId, ctx.at, body, ctx.secrets) };
  },
  body: (event) => webhookBodyOf(event.type, event.createdAt, event.dataJson),
};
