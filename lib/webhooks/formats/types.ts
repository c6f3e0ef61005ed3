import type { WebhookFormatId } from "./catalogue";

/** An event as the engine holds it: its data is the stored JSON text, parsed only by the formats that need it. */
export interface FormatEvent {
  type: string;
  createdAt: Date;
  dataJson: string;
}

/** What signs one attempt. */
export interface SignContext {
  /** `webhook-id`: the same on every attempt of an event. */
  messageId: string;
  /** When this attempt starts: the timestamp it is signed with. */
  at: Date;
  /** The endpoint's signing secrets in force (the current one first; the previous one during a rotation). */
  secrets: string[];
  /** The endpoint's URL as stored. */
  url: string;
  endpointId: string;
}

export interface FormattedRequest {
  /** The exact bytes sent. */
  body: string;
  headers: Record<string, string>;
}

/**
 * One webhook format: a gateway's payload shape, event names, amount units
 * and signature, built from Settle's events. `body` is what `request` sends,
 * without the signing (the log rebuilds an interrupted attempt's body with it).
 */
export interface WebhookFormatBuilder {
  id: WebhookFormatId;
  /** The request of one attempt; null when the format has no equivalent of the event (not sent). */
  request(event: FormatEvent, ctx: SignContext): FormattedRequest | null;
  body(event: FormatEvent, at: Date): string | null;
}
