import { Agent, request } from "undici";
import { version } from "@/package.json";
import { checkUrlTarget, guardedLookup } from "./ssrf";

export const USER_AGENT = `Settle-Webhooks/${version}`;
/** How much of a response body an attempt keeps. */
export const RESPONSE_BODY_LIMIT = 4096;
/** Read and drop at most this much more, so the connection can be reused; past it, close. */
const DRAIN_LIMIT = 64 * 1024;

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface SendResult {
  outcome: "succeeded" | "failed" | "timeout";
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
  error: string | null;
  durationMs: number;
  retryAfter: string | null;
}

export interface Sender {
  send(req: OutgoingRequest): Promise<SendResult>;
  close(): Promise<void>;
}

export interface SenderOptions {
  /** False in production: private, loopback and link-local targets are refused, checked on the connected address. */
  allowPrivate: boolean;
  /** Test seam: the resolver the SSRF guard uses. */
  resolve?: Parameters<typeof guardedLookup>[0];
  /** Sockets kept per receiver origin. */
  connections?: number;
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const inner = e.cause?.message && e.cause.message !== e.message ? `: ${e.cause.message}` : "";
  const code = e.code ?? e.cause?.code;
  return `${code ? `${code} ` : ""}${e.message ?? String(err)}${inner}`.slice(0, 1000);
}

/** Posts signed webhooks with keep-alive, one deadline per request, and no redirects followed. */
export function createSender(opts: SenderOptions): Sender {
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connections: opts.connections ?? 256,
    connect: opts.allowPrivate ? { timeout: 10_000 } : { timeout: 10_000, lookup: guardedLookup(opts.resolve) },
  });

  async function send(req: OutgoingRequest): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const fail = (error: string, outcome: SendResult["outcome"] = "failed"): SendResult => ({
      outcome,
      status: null,
      headers: null,
      body: null,
      error,
      durationMs: elapsed(),
      retryAfter: null,
    });

    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return fail("Invalid URL");
    }
    if (!opts.allowPrivate) {
      const refused = url.protocol !== "https:" ? "Refused: only https URLs are allowed." : checkUrlTarget(url);
      if (refused) return fail(refused);
    }

    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, req.timeoutMs);
    try {
      const res = await request(url, {
        method: "POST",
        dispatcher: agent,
        headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...req.headers },
        body: req.body,
        signal: abort.signal,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      const chunks: Buffer[] = [];
      let kept = 0;
      let seen = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        seen += chunk.length;
        if (kept < RESPONSE_BODY_LIMIT) {
          const part = chunk.subarray(0, RESPONSE_BODY_LIMIT - kept);
          chunks.push(part);
          kept += part.length;
        }
        if (seen > RESPONSE_BODY_LIMIT + DRAIN_LIMIT) {
          res.body.destroy();
          break;
        }
      }
      const status = res.statusCode;
      const headers = flatHeaders(res.headers);
      return {
        outcome: status >= 200 && status < 300 ? "succeeded" : "failed",
        status,
        headers,
        body: new TextDecoder().decode(Buffer.concat(chunks)),
        error: status >= 300 && status < 400 ? `Redirect to ${headers.location ?? "?"} not followed` : null,
        durationMs: elapsed(),
        retryAfter: headers["retry-after"] ?? null,
      };
    } catch (err) {
      if (timedOut) return fail(`Timed out after ${req.timeoutMs} ms`, "timeout");
      return fail(describe(err));
    } finally {
      clearTimeout(timer);
    }
  }

  return { send, close: () => agent.close() };
}
