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

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}
