// Playwright's web server: `next start` with the arguments given, every line
// of its output written to a log file (for the run's teardown, which checks
// that no secret was logged) and the ones worth reading passed on to
// Playwright: Next's own messages and log lines at warn or above. Signals
// pass through; the exit code is next's.
import { spawn } from "node:child_process";
import { mkdirSync, openSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";

const [logFile, ...args] = process.argv.slice(2);
if (!logFile) throw new Error("usage: node e2e/serve.mjs <log file> [next start options]");
mkdirSync(path.dirname(logFile), { recursive: true });
const fd = openSync(logFile, "a");
const next = createRequire(import.meta.url).resolve("next/dist/bin/next");
const child = spawn(process.execPath, [next, "start", ...args], { stdio: ["ignore", "pipe", "pipe"], env: process.env });

const QUIET = new Set(["trace", "debug", "info"]);
function worthShowing(line) {
  if (!line.startsWith("{")) return true;
  try {
    return !QUIET.has(JSON.parse(line).level);
  } catch {
    return true;
  }
}

for (const [from, to] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
]) {
  createInterface({ input: from, crlfDelay: Infinity }).on("line", (line) => {
    // Synchronous, so the file is complete as soon as the server has written.
    writeSync(fd, `${line}\n`);
    if (worthShowing(line)) to.write(`${line}\n`);
  });
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
