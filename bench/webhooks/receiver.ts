import { Worker } from "node:worker_threads";

/**
 * The bench's receiver, on its own thread (the other core), as a fast merchant
 * server would be: `/hooks` answers 200 at once; `/hang` never answers (an
 * endpoint down behind a load balancer that holds the connection); `/healthy`
 * answers 200 and keeps when each webhook-id arrived; `/dup…` answers 200 and
 * counts requests and distinct (path, webhook-id) pairs.
 */
export interface BenchReceiver {
  url: (path: string) => string;
  count: () => Promise<number>;
  arrivals: () => Promise<Array<[string, number]>>;
  sends: () => Promise<{ total: number; distinct: number }>;
  stop: () => Promise<void>;
}

const source = `
  const http = require("node:http");
  const { parentPort } = require("node:worker_threads");
  let n = 0;
  const arrivals = [];
  const dup = new Set();
  let dupTotal = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["webhook-id"] ?? "");
      if (req.url.startsWith("/hang")) return;
      if (req.url.startsWith("/healthy")) arrivals.push([id, Date.now()]);
      if (req.url.startsWith("/dup")) { dupTotal++; dup.add(req.url + " " + id); }
      n++;
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
  parentPort.on("message", (m) => {
    if (m === "count") parentPort.postMessage(n);
    if (m === "arrivals") parentPort.postMessage(arrivals);
    if (m === "sends") parentPort.postMessage({ total: dupTotal, distinct: dup.size });
    if (m === "stop") { server.closeAllConnections(); server.close(() => process.exit(0)); }
  });`;

export function startBenchReceiver(): Promise<BenchReceiver> {
  const worker = new Worker(source, { eval: true });
  const ask = <T>(m: string) =>
    new Promise<T>((resolve) => {
      worker.once("message", (answer: T) => resolve(answer));
      worker.postMessage(m);
    });
  return new Promise((resolve) => {
    worker.once("message", ({ port }: { port: number }) => {
      resolve({
        url: (path) => `http://127.0.0.1:${port}${path}`,
        count: () => ask<number>("count"),
        arrivals: () => ask<Array<[string, number]>>("arrivals"),
        sends: () => ask<{ total: number; distinct: number }>("sends"),
        stop: async () => {
          worker.postMessage("stop");
          await new Promise((r) => worker.once("exit", r));
        },
      });
    });
  });
}
