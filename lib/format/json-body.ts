/**
 * A request or response body as a person reads it: JSON indented by two
 * spaces, anything else (plain text, HTML, a body cut at 4 KiB) exactly as it
 * came. The JSON is re-indented as text, never parsed into numbers and written
 * back, so an amount beyond 2^53 or `1.10` reads as it was sent.
 */
export function prettyBody(body: string): string {
  try {
    JSON.parse(body);
  } catch {
    return body;
  }
  return reindent(body);
}

/** Re-indents text known to be JSON: whitespace between tokens is replaced, every token is kept as written. */
function reindent(json: string): string {
  let out = "";
  let depth = 0;
  let inString = false;
  const newline = () => `\n${"  ".repeat(depth)}`;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (inString) {
      out += c;
      if (c === "\\") out += json[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n" || c === "\r") continue;
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      const next = nextToken(json, i + 1);
      if (json[next] === close) {
        out += c + close;
        i = next;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === "}" || c === "]") {
      depth--;
      out += newline() + c;
    } else if (c === ",") {
      out += c + newline();
    } else if (c === ":") {
      out += ": ";
    } else {
      out += c;
    }
  }
  return out;
}

/** The index of the next character that is not JSON whitespace. */
function nextToken(json: string, from: number): number {
  let i = from;
  while (i < json.length && " \t\n\r".includes(json[i]!)) i++;
  return i;
}
