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

/**
 * GET a provider's status URL under the same rule as webhooks: in production
 * no private, loopback or link-local address (judged on the connected address),
 * no redirects followed, a deadline, and a size limit on what is read.
 */
export async function getProviderJson(
  url: URL,
  { allowPrivate = webhooksAllowPrivate(), timeoutMs = STATUS_TIMEOUT_MS } = {},
): Promise<{ status: number; body: string }> {
  const refused = allowPrivate ? null : refusedTarget(url);
  if (refused) throw new Error(`${refused} (the provider's status URL, ${url.origin})`);
  const res = await request(url, {
    method: "GET",
    headers: { accept: "application/json" },
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
      throw new Error("The provider's status answer is too large.");
    }
    chunks.push(chunk);
  }
  return { status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") };
}
