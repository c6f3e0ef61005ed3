import { randomInt } from "node:crypto";

/** No 0/O, 1/I/L: a code read aloud or typed from a screenshot survives. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const CODE_LENGTH = 8;
const REMARK_PREFIX = "SETTLE";

export function newLinkCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export const isLinkCode = (s: string) => s.length === CODE_LENGTH && [...s].every((c) => CODE_ALPHABET.includes(c));

/** The transfer remark for a link: ASCII, 15 characters, unique because the code is. */
export const remarkFor = (code: string) => `${REMARK_PREFIX} ${code}`;

/**
 * Finds the link code in a remark as banks deliver it: upper- or lower-cased,
 * spaces or dots removed or added, often wrapped in the sending bank's own text.
 * A bare code (what the Finan-compatible API gives as the remark) counts when
 * it stands alone as a word and no other word looks like one: the remark's
 * own text never guesses between two.
 */
export function codeFromRemark(remark: string): string | null {
  const upper = remark.toUpperCase();
  const squashed = upper.replace(/[^A-Z0-9]/g, "");
  const re = new RegExp(`${REMARK_PREFIX}([${CODE_ALPHABET}]{${CODE_LENGTH}})`);
  const prefixed = re.exec(squashed)?.[1];
  if (prefixed) return prefixed;
  const bare = new Set(upper.split(/[^A-Z0-9]+/).filter(isLinkCode));
  return bare.size === 1 ? [...bare][0]! : null;
}
