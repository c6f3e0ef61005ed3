import { createHmac, timingSafeEqual } from "node:crypto";

export const TIMESTAMP_HEADER = "x-settle-timestamp";
export const SIGNATURE_HEADER = "x-settle-signature";
/** A signed notification older (or newer) than this is refused, so a captured one cannot be replayed later. */
export const TOLERANCE_SECONDS = 5 * 60;

const mac = (secret: string, timestamp: string, body: string) =>
  createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");

/** The headers a provider (or the sandbox) sends with `body`: a unix timestamp and `v1=<hex HMAC-SHA256>` over `timestamp.body`. */
export function signNotification(secret: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `v1=${mac(secret, timestamp, body)}` };
}

export type SignatureCheck = { ok: true } | { ok: false; message: string };

/** Checks the signature first, in constant time, then the timestamp window. */
export function verifySignature(secret: string, headers: Headers, body: string, now = new Date()): SignatureCheck {
  const timestamp = headers.get(TIMESTAMP_HEADER) ?? "";
  const signature = headers.get(SIGNATURE_HEADER) ?? "";
  if (!timestamp || !signature) return { ok: false, message: `Missing ${TIMESTAMP_HEADER} or ${SIGNATURE_HEADER} header.` };
  const expected = Buffer.from(`v1=${mac(secret, timestamp, body)}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, message: "The signature does not match." };
  }
  const seconds = Number(timestamp);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now.getTime() / 1000 - seconds) > TOLERANCE_SECONDS) {
    return { ok: false, message: "The timestamp is outside the 5-minute window." };
  }
  return { ok: true };
}
