import { compactJson, finanSignature } from "@/lib/connectors/finan";
import { REQUEST_TARGET_HEADER } from "../request-target";
import { sameHex, type SignatureScheme, sentTargets } from "../auth";

/** Finan's base path: its signature covers only what follows it. */
export const FINAN_PREFIX = "/open";
/** Finan refuses an x-timestamp more than 30 seconds from its clock (its "Generating signature" page); so does Settle here. */
export const FINAN_TOLERANCE_S = 30;

/**
 * Finan's request signature, checked as Finan's "Generating signature" page
 * tells its clients to make it: x-signature = hex SHA-256 (a plain hash with
 * the secret inside, not an HMAC) of `{secret}_{METHOD}_{path}_{payload}_{timestamp}`,
 * where path is the request target after `/open`, query string included, and
 * payload is "" for a GET and the JSON body otherwise. Finan's Go sample
 * compacts the body (json.Compact) before hashing while its curl sends it as
 * written, so both the compacted body and the bytes as sent are accepted.
 * The secret is the API key's (`sk_…`), the client id its `ck_…`; no bearer
 * secret, as Finan has none.
 */
export const finanSignatures: SignatureScheme = {
  toleranceS: FINAN_TOLERANCE_S,
  bearer: false,
  verify(secret, request, body, timestamp, signature) {
    const method = request.method.toUpperCase();
    const payloads = method === "GET" || method === "HEAD" ? [""] : [...new Set([compactJson(body), body])];
    return sentTargets(request.url, request.headers.get(REQUEST_TARGET_HEADER))
      .filter((target) => target.startsWith(`${FINAN_PREFIX}/`))
      .some((target) => payloads.some((payload) => sameHex(finanSignature(secret, method, target.slice(FINAN_PREFIX.length), payload, timestamp), signature)));
  },
  messages: {
    missing: "Send Finan's signed headers: x-client-id, x-timestamp and x-signature.",
    stale: `x-timestamp must be the current time in unix seconds, within ${FINAN_TOLERANCE_S} seconds.`,
    invalid: "x-signature is not the SHA-256 hex of {secret}_{METHOD}_{path without /open}_{payload}_{timestamp} with this key's secret.",
  },
};
