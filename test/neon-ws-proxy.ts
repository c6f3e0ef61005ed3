import net from "node:net";
import { WebSocketServer } from "ws";

/**
 * Test harness only: what Neon's edge does for its serverless driver, a
 * WebSocket per Postgres connection, piped to a TCP socket of local Postgres.
 */
export async function startNeonWsProxy(target = { host: "127.0.0.1", port: 5432 }) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.on("connection", (ws) => {
    const socket = net.connect(target.port, target.host);
    ws.on("message", (data: Buffer) => socket.write(data));
    socket.on("data", (chunk) => ws.send(chunk));
    socket.on("close", () => ws.close());
    socket.on("error", () => ws.close());
    ws.on("close", () => socket.destroy());
  });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  const { port } = wss.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}
