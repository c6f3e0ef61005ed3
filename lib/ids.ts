import { ulid } from "ulid";

/** Prefixes of the public ids; sortable because a ULID starts with its timestamp. */
export const idPrefixes = {
  merchant: "mer",
  user: "usr",
  membership: "mem",
  invite: "inv_tok",
  audit: "aud",
} as const;

export type IdPrefix = (typeof idPrefixes)[keyof typeof idPrefixes] | (string & {});

// ulid() on its own asks the OS for one random byte per character (16 calls per id), which
// dominates hot paths such as recording thousands of webhook attempts; draw from a pool instead.
const pool = new Uint8Array(4096);
let used = pool.length;
function pooledRandom(): number {
  if (used === pool.length) {
    globalThis.crypto.getRandomValues(pool);
    used = 0;
  }
  return pool[used++]! / 256;
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid(undefined, pooledRandom).toLowerCase()}`;
}
