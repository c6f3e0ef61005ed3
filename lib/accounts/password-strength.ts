import "server-only";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

/**
 * zxcvbn's scale: 3 is "safely unguessable" (about 10^8 guesses or more), what
 * its authors advise for an account password. Below that are the common
 * passwords (`12345678`, `password`), keyboard walks, dates, repeats, and
 * anything built from the person's own name or email.
 */
export const MIN_SCORE = 3;

export const WEAK_PASSWORD = "This password is too easy to guess. Use a longer phrase of unrelated words.";
export const PERSONAL_PASSWORD = "Do not build your password from your name or email address.";

// Built once: the dictionaries (the common-password list among them) are ~1 MB.
let zxcvbn: ZxcvbnFactory | undefined;
const estimator = () => (zxcvbn ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }));

/** The words a guesser would try first for this person: their email, its parts, their name and its parts. */
function personalWords({ email, name }: { email?: string; name?: string }): string[] {
  const words = new Set<string>();
  for (const value of [email, name]) {
    const v = value?.trim().toLowerCase();
    if (!v) continue;
    words.add(v);
    words.add(v.replace(/[^\p{L}\p{N}]+/gu, ""));
    for (const part of v.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  }
  return [...words].filter(Boolean);
}

/** Why a password is refused, or null when it is strong enough. */
export function passwordWeakness(password: string, person: { email?: string; name?: string } = {}): string | null {
  const result = estimator().check(password, personalWords(person));
  if (result.score >= MIN_SCORE) return null;
  return result.sequence.some((m) => m.pattern === "dictionary" && m.dictionaryName === "userInputs") ? PERSONAL_PASSWORD : WEAK_PASSWORD;
}
