import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP server on 127.0.0.1 that notes every TCP connection made to it
 * (before any request arrives, so a connection that sends nothing counts too)
 * and answers every request 200 with what Settle's notify endpoint would say.
 * Point a request's Host / X-Forwarded-Host at it: if any code path built an
 * outgoing URL from those headers, it shows up here.
 * No vitest here: Playwright imports it as well.
 */
export async function startConnectionRecorder() {
  const connections: { at: number; from: string }[] = [];
  const requests: { method: string; path: string }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "" });
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"received":true,"outcome":"recorded"}'));
  });
  server.on("connection", (socket) => connections.push({ at: Date.now(), from: `${socket.remoteAddress}:${socket.remotePort}` }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    /** host:port, as a Host or X-Forwarded-Host header names it. */
    host: `127.0.0.1:${port}`,
    connections,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type ConnectionRecorder = Awaited<ReturnType<typeof startConnectionRecorder>>;
