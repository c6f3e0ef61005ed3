import { Agent, type Dispatcher } from "undici";
import { version } from "@/package.json";
import { guardedLookup, refusedTarget } from "./ssrf";

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
  /**
   * Sockets per receiver origin; unlimited by default: the dispatcher's caps
   * bound them, and a limit here would let a hanging endpoint hold every socket
   * to its host, so another endpoint on that host would wait behind it.
   */
  connections?: number;
}

const utf8 = new TextDecoder();

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
    connections: opts.connections ?? null,
    connect: opts.allowPrivate ? { timeout: 10_000 } : { timeout: 10_000, lookup: guardedLookup(opts.resolve) },
  });

  // The URL of each endpoint, parsed once: every delivery to it posts to the same one.
  const parsed = new Map<string, URL | null>();
  const parse = (raw: string) => {
    let url = parsed.get(raw);
    if (url === undefined) {
      if (parsed.size > 10_000) parsed.clear();
      url = URL.canParse(raw) ? new URL(raw) : null;
      parsed.set(raw, url);
    }
    return url;
  };

  // undici's dispatch with a handler of our own, not request(): no body stream, async
  // iterator or AbortSignal per delivery, which at thousands a second were much of the CPU.
  function send(req: OutgoingRequest): Promise<SendResult> {
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

    const url = parse(req.url);
    if (!url) return Promise.resolve(fail("Invalid URL"));
    if (!opts.allowPrivate) {
      const refused = refusedTarget(url);
      if (refused) return Promise.resolve(fail(refused));
    }

    return new Promise<SendResult>((resolve) => {
      let controller: Dispatcher.DispatchController | undefined;
      let settled = false;
      let timedOut = false;
      let status = 0;
      let headers: Record<string, string> = {};
      const chunks: Buffer[] = [];
      let kept = 0;
      let seen = 0;
      let tooLong = false;
      const settle = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const received = (): SendResult => ({
        outcome: status >= 200 && status < 300 ? "succeeded" : "failed",
        status,
        headers,
        body: utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)),
        error: status >= 300 && status < 400 ? `Redirect to ${headers.location ?? "?"} not followed` : null,
        durationMs: elapsed(),
        retryAfter: headers["retry-after"] ?? null,
      });
      const timer = setTimeout(() => {
        timedOut = true;
        controller?.abort(new Error("timed out"));
        settle(fail(`Timed out after ${req.timeoutMs} ms`, "timeout"));
      }, req.timeoutMs);

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          // The deadline passed while the request waited for a connection.
          if (timedOut) c.abort(new Error("timed out"));
        },
        onResponseStart(_c, statusCode, responseHeaders) {
          if (statusCode < 200) return; // 1xx: the real response follows
          status = statusCode;
          headers = flatHeaders(responseHeaders);
        },
        onResponseData(c, chunk) {
          seen += chunk.length;
          if (kept < RESPONSE_BODY_LIMIT) {
            const part = chunk.subarray(0, RESPONSE_BODY_LIMIT - kept);
            chunks.push(part);
            kept += part.length;
          }
          if (seen > RESPONSE_BODY_LIMIT + DRAIN_LIMIT) {
            // Enough of it: close the connection rather than read the rest.
            tooLong = true;
            c.abort(new Error("response body too long"));
          }
        },
        onResponseEnd() {
          settle(received());
        },
        onResponseError(_c, err) {
          settle(tooLong ? received() : timedOut ? fail(`Timed out after ${req.timeoutMs} ms`, "timeout") : fail(describe(err)));
        },
      };
      const options: Dispatcher.DispatchOptions = {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...req.headers },
        body: req.body,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      };
      try {
        agent.dispatch(options, handler);
      } catch (err) {
        settle(fail(describe(err)));
      }
    });
  }

  return { send, close: () => agent.close() };
}
