import { Agent, request } from "undici";
import { webhooksAllowPrivate } from "@/lib/env";
import { guardedLookup, refusedTarget } from "@/lib/webhooks/ssrf";

const STATUS_TIMEOUT_MS = 10_000;
/** A status answer is a small JSON document; anything bigger is not one. */
const BODY_LIMIT = 64 * 1024;

let guarded: Agent | undefined;
let open: Agent | undefined;

/** One agent per policy: the guarded one checks every address it connects to. */
function agentFor(allowPrivate: boolean): Agent {
  if (allowPrivate) return (open ??= new Agent({ keepAliveTimeout: 10_000 }));
  return (guarded ??= new Agent({ keepAliveTimeout: 10_000, connect: { lookup: guardedLookup() } }));
}

export interface ProviderRequest {
  method?: "GET" | "POST" | "PUT";
  headers?: Record<string, string>;
  /** Sent as is; a JSON body is the caller's `JSON.stringify`, with its content-type header. */
  body?: string;
  allowPrivate?: boolean;
  timeoutMs?: number;
}

/**
 * A request to a provider's API (status lookups, starting a payment) under the
 * same rule as webhooks: in production no private, loopback or link-local
 * address (judged on the connected address), no redirects followed, a
 * deadline, and a size limit on what is read. Only what the service's own
 * settings say goes out: never a value taken from an incoming request's headers.
 */
export async function providerRequest(
  url: URL,
  { method = "GET", headers = {}, body, allowPrivate = webhooksAllowPrivate(), timeoutMs = STATUS_TIMEOUT_MS }: ProviderRequest = {},
): Promise<{ status: number; body: string }> {
  const refused = allowPrivate ? null : refusedTarget(url);
  if (refused) throw new Error(`${refused} (the provider's URL, ${url.origin})`);
  const res = await request(url, {
    method,
    headers: { accept: "application/json", ...headers },
    body,
    dispatcher: agentFor(allowPrivate),
    signal: AbortSignal.timeout(timeoutMs),
  });
  // Bytes, decoded once at the end: a character split across chunks stays whole.
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) {
      res.body.destroy();
      throw new Error("The provider's answer is too large.");
    }
    chunks.push(chunk);
  }
  return { status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") };
}

/** GET a provider's status URL (see `providerRequest`). */
export const getProviderJson = (url: URL, options: Omit<ProviderRequest, "method" | "body"> = {}) => providerRequest(url, { ...options, method: "GET" });
