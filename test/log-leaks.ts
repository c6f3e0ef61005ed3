import { findPans } from "@/lib/log/redact";

export interface Secret {
  label: string;
  value: string;
}

export interface Leak {
  label: string;
  /** The log line, with the secret itself starred out so the report does not leak it again. */
  line: string;
}

/** Secret-shaped tokens that must never appear whole in a log, whoever they belong to. */
const SHAPES: Array<[string, RegExp]> = [
  ["a webhook signing secret (whsec_…)", /whsec_(?!\[redacted\])[A-Za-z0-9+/=]{8,}/g],
  ["a payment-service signing secret (pss_…)", /pss_(?!\[redacted\])[A-Za-z0-9_-]{8,}/g],
  ["a password-reset token (prt_…)", /prt_(?!\[redacted\])[A-Za-z0-9_-]{8,}/g],
];

const star = (line: string, value: string) => line.split(value).join("***").slice(0, 300);

/**
 * Scans a server log for the secrets a run used (passwords, keys, signing
 * secrets, card numbers) and for anything shaped like a secret or a card
 * number. Returns one entry per line and secret found.
 */
export function findLeaks(log: string, secrets: Secret[]): Leak[] {
  const leaks: Leak[] = [];
  const wanted = secrets.filter((s) => s.value.length >= 6);
  for (const line of log.split("\n")) {
    for (const { label, value } of wanted) {
      const escaped = JSON.stringify(value).slice(1, -1);
      if (line.includes(value)) leaks.push({ label, line: star(line, value) });
      else if (line.includes(escaped)) leaks.push({ label, line: star(line, escaped) });
    }
    for (const [label, shape] of SHAPES) {
      for (const match of line.match(shape) ?? []) leaks.push({ label, line: star(line, match) });
    }
    for (const pan of findPans(line)) leaks.push({ label: "a card number", line: star(line, pan) });
  }
  return leaks;
}
