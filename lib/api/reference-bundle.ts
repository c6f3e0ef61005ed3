import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

/** The installed @scalar/api-reference package's folder (its package.json is not exported, its entry is). */
function scalarDir(): string {
  const entry = createRequire(path.join(process.cwd(), "package.json")).resolve("@scalar/api-reference");
  let dir = path.dirname(entry);
  while (path.basename(dir) !== "api-reference") dir = path.dirname(dir);
  return dir;
}

/** Where /docs/api loads Scalar's renderer from: this app, versioned so browsers may cache it for good. */
export function scalarScriptPath(): string {
  const { version } = JSON.parse(readFileSync(path.join(scalarDir(), "package.json"), "utf8")) as { version: string };
  return `/docs/api/scalar.js?v=${version}`;
}

/** Scalar's self-contained browser bundle (no CDN, no fonts from elsewhere). */
export function scalarBundle(): Promise<Buffer> {
  return readFile(path.join(scalarDir(), "dist/browser/standalone.js"));
}
