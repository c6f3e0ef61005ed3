import { Webhook } from "standardwebhooks";

const signers = new Map<string, Webhook>();

function signer(secret: string): Webhook {
  let w = signers.get(secret);
  if (!w) {
    if (signers.size > 10_000) signers.clear();
    w = new Webhook(secret);
    signers.set(secret, w);
  }
  return w;
}

/**
 * The Standard Webhooks headers for one attempt. Every secret in `secrets`
 * signs (during a rotation, the new and the previous one), space-separated, so
 * a receiver holding either verifies.
 */
export function signatureHeaders(messageId: string, at: Date, body: string, secrets: string[]): Record<string, string> {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((s) => signer(s).sign(messageId, at, body)).join(" "),
  };
}

/** The body every receiver gets: `{ type, timestamp, data }`, the same on every attempt. */
export function webhookBody(event: { type: string; createdAt: Date; data: unknown }): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
}
