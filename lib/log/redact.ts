/**
 * The defensive half of log redaction (pino's `redact` paths are the other):
 * whatever a log call is handed, a value under a sensitive key is replaced,
 * and every string is cleaned of things that look like secrets or card numbers.
 * Pure functions, so a unit test can prove each rule.
 */

export const REDACTED = "[redacted]";

/** Keys whose values are never logged, at any depth: secrets, credentials, signatures, card data, raw bodies. */
const SENSITIVE_KEY =
  /passw|passphrase|^pass$|pwd|secret|token|api[-_]?key|authorization|cookie|signature|credential|private[-_]?key|encryption[-_]?key|card[-_]?number|^pan$|^cvc$|^cvv|^(raw|body|params)$/i;

const isSensitiveKey = (key: string) => SENSITIVE_KEY.test(key);

/** Paths for pino's own `redact` (fast-redact syntax), the first line of defence for the usual places. */
export const redactPaths = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
  "authorization",
  "cookie",
  "headers.authorization",
  "headers.cookie",
  'headers["set-cookie"]',
  'headers["x-settle-signature"]',
  'headers["webhook-signature"]',
  "*.headers.authorization",
  "*.headers.cookie",
  'req.headers["set-cookie"]',
  "cardNumber",
  "*.cardNumber",
  "card_number",
  "*.card_number",
  "body",
  "*.body",
  "raw",
  "*.raw",
  "params",
  "*.params",
];

/** Luhn's check: true for a plausible card number. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// 14 to 19 digits (13-digit cards are long gone; a 13-digit number is a millisecond timestamp),
// optionally grouped by single spaces or dashes, not part of a longer number or word.
const PAN_CANDIDATE = /(?<![\w.])\d(?:[ -]?\d){13,18}(?![\w.])/g;

/** Every card number in `text`, digits only. */
export function findPans(text: string): string[] {
  return [...text.matchAll(PAN_CANDIDATE)].map((m) => m[0].replace(/[ -]/g, "")).filter(luhn);
}

/** Masks anything that passes as a card number, keeping the last four digits (what receipts show). */
export function maskPans(text: string): string {
  return text.replace(PAN_CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, "");
    return luhn(digits) ? `[card …${digits.slice(-4)}]` : match;
  });
}

/**
 * A copy of `value` (a provider's parsed body, say) with every card number
 * masked: in each string and key, and a JSON number that passes as one.
 * Only what is stored or shown is masked; nothing else about the value changes.
 */
export function maskPansDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskPans(value);
  if (typeof value === "number") return maskNumber(value);
  if (value === null || typeof value !== "object") return value;
  // Past this depth a value is replaced, not copied: nothing a provider sends nests this deep.
  if (depth > 64) return "[too deep]";
  if (Array.isArray(value)) return value.map((v) => maskPansDeep(v, depth + 1));
  // fromEntries: a key named `__proto__` stays a key like any other.
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [maskPans(key), maskPansDeep(v, depth + 1)]));
}

const TEXT_RULES: Array<[RegExp, string]> = [
  // Webhook signing secrets, payment-service secrets, password-reset tokens and API keys by their prefixes.
  [/\b(whsec|pss|prt|sk_live|sk_test|rk_live|rk_test)_[A-Za-z0-9+/=_-]{6,}/g, `$1_${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // bcrypt hashes: not the password, but never needed in a log.
  [/\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/g, REDACTED],
  // The password in a connection string.
  [/\b(postgres(?:ql)?:\/\/[^:/@\s]+):[^@\s]+@/gi, `$1:${REDACTED}@`],
];

/** Values this process holds that must never reach a log, whatever carries them (the logger reads them once). */
export function processSecrets(): string[] {
  const names = ["AUTH_SECRET", "NEXTAUTH_SECRET", "SETTLE_ENCRYPTION_KEY", "CRON_SECRET", "GITHUB_SECRET", "GOOGLE_SECRET"];
  return names.map((n) => process.env[n]).filter((v): v is string => !!v && v.length >= 8);
}

/** Cleans one string: known secret values, secret-shaped tokens, card numbers. */
export function scrubText(text: string, secrets: string[] = processSecrets()): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    // The same value as it appears inside a JSON string.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(REDACTED);
  }
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return maskPans(out);
}

/**
 * A copy of `value` safe to log: sensitive keys replaced at any depth, strings
 * scrubbed, cycles and depth bounded. Errors become plain objects (type,
 * message, stack, code, cause) first, so their text is scrubbed too.
 */
export function scrubValue(value: unknown, secrets: string[] = processSecrets(), depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return scrubText(value, secrets);
  if (typeof value === "number") return maskNumber(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return "[too deep]";
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets, depth + 1, seen));
  const source = value instanceof Error ? errorFields(value) : (value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(source)) {
    out[key] = isSensitiveKey(key) && v != null ? REDACTED : scrubValue(v, secrets, depth + 1, seen);
  }
  return out;
}

/** A card number sent as a JSON number is still a card number. */
function maskNumber(n: number): number | string {
  if (!Number.isSafeInteger(n) || n < 1e13) return n;
  const masked = maskPans(String(n));
  return masked === String(n) ? n : masked;
}

function errorFields(err: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: err.name, message: err.message, stack: err.stack };
  for (const [key, v] of Object.entries(err)) if (!(key in fields)) fields[key] = v;
  if ("cause" in err && err.cause !== undefined) fields.cause = err.cause;
  return fields;
}
