/**
 * Text Postgres refuses, found and escaped. A text column takes no U+0000
 * (22021), and jsonb takes neither `\u0000` nor a lone UTF-16 surrogate
 * (22P05); a lone surrogate in a text column is silently turned into U+FFFD
 * by the driver. Untrusted text that is kept anyway (a provider's refused
 * notification, for support staff) is stored with those characters spelled
 * out as the six characters `\u0000`, `\ud800`…, so what was sent stays
 * readable and the insert never fails.
 */

// A NUL, or a surrogate code unit that is not half of a pair (with the u flag, a pair is one code point, never Cs).
const UNSTORABLE = /\u0000|\p{Cs}/u;
const UNSTORABLE_ALL = /\u0000|\p{Cs}/gu;

/** True when `text` holds a NUL or a lone surrogate. */
export const hasUnstorableText = (text: string): boolean => UNSTORABLE.test(text);

/** `text` with every NUL and lone surrogate written as its JSON escape (`\u0000`, `\udc00`). */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_ALL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * True when any string or key in `value` (a parsed JSON body, a provider's
 * facts) holds text Postgres refuses. Walked without recursion: a body may
 * nest deeper than the stack.
 */
export function containsUnstorableText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") {
      if (hasUnstorableText(item)) return true;
    } else if (Array.isArray(item)) {
      for (const v of item) stack.push(v);
    } else if (item !== null && typeof item === "object") {
      for (const [key, v] of Object.entries(item)) {
        if (hasUnstorableText(key)) return true;
        stack.push(v);
      }
    }
  }
  return false;
}

/**
 * True when a raw body, or the JSON it parses to, holds text Postgres refuses:
 * a NUL byte as sent, or one written as a JSON escape (`"\u0000"`, `"\ud800"`)
 * that becomes one once parsed.
 */
export function bodyHasUnstorableText(raw: string): boolean {
  if (hasUnstorableText(raw)) return true;
  // Cheap first: no backslash-u, nothing a parse could turn into a NUL or a surrogate.
  if (!/\\u/i.test(raw)) return false;
  try {
    return containsUnstorableText(JSON.parse(raw));
  } catch {
    return false;
  }
}
