import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** Which of the receiver's secrets verified it (index), or -1 for none. */
  verifiedWith: number[];
  headers: IncomingMessage["headers"];
  /** When the whole request had arrived (ms since the epoch). */
  at: number;
  /** The request target (path and query): which endpoint it was sent to when several share a receiver. */
  path: string;
}

export type Behaviour = (req: Received, res: ServerResponse) => void | Promise<void>;

/**
 * A real HTTP receiver on 127.0.0.1 that checks every request the way a
 * merchant would, with the `standardwebhooks` package, against each secret it
 * was given. `behave` decides the answer (default 200).
 */
export async function startReceiver(opts: { secrets?: string[]; behave?: Behaviour; port?: number } = {}) {
  const received: Received[] = [];
  let secrets = opts.secrets ?? [];
  let behave: Behaviour = opts.behave ?? ((_r, res) => void res.writeHead(200).end("ok"));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      const verifiedWith: number[] = [];
      const headers = {
        "webhook-id": String(req.headers["webhook-id"] ?? ""),
        "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
        "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
      };
      secrets.forEach((s, i) => {
        try {
          new Webhook(s).verify(body, headers);
          verifiedWith.push(i);
        } catch {
          // not signed with this one
        }
      });
      const r: Received = {
        id: headers["webhook-id"],
        timestamp: headers["webhook-timestamp"],
        signature: headers["webhook-signature"],
        body,
        verifiedWith,
        headers: req.headers,
        at: Date.now(),
        path: req.url ?? "",
      };
      received.push(r);
      void Promise.resolve(behave(r, res)).catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    setSecrets(next: string[]) {
      secrets = next;
    },
    behave(next: Behaviour) {
      behave = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
