import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const root = process.cwd();
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
/** What a production build is made from; tests and specs are not. */
const SOURCES = ["app", "lib", "components", "db", "proxy.ts", "instrumentation.ts", "next.config.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"];

function newestSource(entry: string): number {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(entry) ? 0 : stat.mtimeMs;
  return readdirSync(full).reduce((newest, name) => Math.max(newest, newestSource(path.join(entry, name))), 0);
}

/**
 * The `.next` production build, made now only when it is missing or older
 * than a source file. `npm test` builds before it runs vitest, so there this
 * reuses the build the e2e suite runs on; run alone after an edit, it builds once.
 */
export function ensureBuild(): void {
  const buildId = path.join(root, ".next/BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= Math.max(...SOURCES.map(newestSource))) return;
  console.info("[next-cluster] .next is missing or older than the sources: running next build once");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("next build failed");
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Instance {
  index: number;
  url: string;
  logFile: string;
  alive: () => boolean;
  /** Everything the process has written to stdout and stderr so far. */
  log: () => string;
  /** SIGKILL: no graceful shutdown, no chance to finish anything. */
  kill: () => Promise<void>;
}

async function waitUntilHealthy(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${readFileSync(logFile, "utf8").slice(-2000)}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start at ${url} did not become healthy:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
}

/**
 * `count` real `next start` processes on the current build, each on its own
 * port with its own log file, sharing nothing but `env` (the database URL,
 * the secrets). Resolves once every one answers /api/health with 200.
 */
export async function startCluster(count: number, env: Record<string, string>) {
  ensureBuild();
  const logDir = mkdtempSync(path.join(tmpdir(), "settle-cluster-"));
  const starting = await Promise.all(
    Array.from({ length: count }, async (_, index): Promise<Instance & { ready: Promise<void> }> => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const logFile = path.join(logDir, `instance-${index}.log`);
      const out = openSync(logFile, "a");
      const child = spawn(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(port)], {
        cwd: root,
        // Its own process group, so a kill takes next's workers with it and nothing else.
        detached: true,
        stdio: ["ignore", out, out],
        env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXTAUTH_URL: url, ...env },
      });
      closeSync(out);
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      const instance = {
        index,
        url,
        logFile,
        alive: () => child.exitCode === null && child.signalCode === null,
        log: () => readFileSync(logFile, "utf8"),
        async kill() {
          if (!instance.alive()) return;
          process.kill(-child.pid!, "SIGKILL");
          await exited;
        },
        ready: waitUntilHealthy(url, child, logFile),
      };
      return instance;
    }),
  );
  const instances: Instance[] = starting;
  try {
    await Promise.all(starting.map((i) => i.ready));
  } catch (err) {
    await Promise.all(instances.map((i) => i.kill()));
    throw err;
  }
  return {
    instances,
    logDir,
    alive: () => instances.filter((i) => i.alive()),
    stop: () => Promise.all(instances.map((i) => i.kill())),
  };
}
export type Cluster = Awaited<ReturnType<typeof startCluster>>;
