import { z } from "zod";
import { AppError, fieldError } from "./errors";

/**
 * Money is an integer number of the currency's minor unit (ISO 4217 exponent),
 * checked to be a safe integer, stored as bigint. No float ever holds an amount:
 * formatting goes through a decimal string, parsing through digit strings.
 */
export const currencies = {
  VND: { exponent: 0, name: "Vietnamese đồng" },
  JPY: { exponent: 0, name: "Japanese yen" },
  USD: { exponent: 2, name: "US dollar" },
  EUR: { exponent: 2, name: "Euro" },
  GBP: { exponent: 2, name: "Pound sterling" },
  AED: { exponent: 2, name: "UAE dirham" },
  SAR: { exponent: 2, name: "Saudi riyal" },
  QAR: { exponent: 2, name: "Qatari riyal" },
  EGP: { exponent: 2, name: "Egyptian pound" },
  IQD: { exponent: 3, name: "Iraqi dinar" },
  KWD: { exponent: 3, name: "Kuwaiti dinar" },
  BHD: { exponent: 3, name: "Bahraini dinar" },
  OMR: { exponent: 3, name: "Omani rial" },
  JOD: { exponent: 3, name: "Jordanian dinar" },
} as const satisfies Record<string, { exponent: 0 | 2 | 3; name: string }>;

export type CurrencyCode = keyof typeof currencies;
export const currencyCodes = Object.keys(currencies) as [CurrencyCode, ...CurrencyCode[]];
export const currencySchema = z.enum(currencyCodes, { error: "Choose a currency from the list." });

export const exponentOf = (currency: CurrencyCode): number => currencies[currency].exponent;

const invalid = (message: string) => new AppError("validation_failed", message, { amount: [message] });

/** A minor-unit amount as a plain major-unit decimal ("1234.50"): for inputs, CSV and the API. */
export function toMajorString(minor: number, currency: CurrencyCode): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not a safe integer amount: ${minor}`);
  const exp = exponentOf(currency);
  const digits = String(Math.abs(minor)).padStart(exp + 1, "0");
  const sign = minor < 0 ? "-" : "";
  if (exp === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

function formatter(currency: CurrencyCode, locale: string) {
  const exp = exponentOf(currency);
  // Intl's own digits for some currencies (IQD: 0) differ from ISO 4217; ours win.
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  });
}

/** Formats in the viewer's locale. The decimal string input keeps it exact past 2^53 / 100. */
export function formatAmount(minor: number, currency: CurrencyCode, locale = "en"): string {
  return formatter(currency, locale).format(toMajorString(minor, currency) as Intl.StringNumericLiteral);
}

interface Symbols {
  group: string;
  decimal: string;
  currencyMarks: string[];
}

const symbolCache = new Map<string, Symbols>();

function symbolsFor(currency: CurrencyCode, locale: string): Symbols {
  const key = `${currency}:${locale}`;
  const hit = symbolCache.get(key);
  if (hit) return hit;
  const parts = (loc: string) => formatter(currency, loc).formatToParts(1234567.5);
  // Separators from a plain decimal format: a 0-exponent currency prints no decimal mark.
  const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 1 }).formatToParts(1234567.5);
  const pick = (type: string, fallback: string) => plain.find((p) => p.type === type)?.value ?? fallback;
  const marks = [...parts(locale), ...parts("en")].filter((p) => p.type === "currency").map((p) => p.value);
  const symbols: Symbols = {
    group: pick("group", ","),
    decimal: pick("decimal", "."),
    // Longest first, so "US$" goes before "$".
    currencyMarks: [...new Set([...marks, currency])].sort((a, b) => b.length - a.length),
  };
  symbolCache.set(key, symbols);
  return symbols;
}

// Arabic-Indic (U+0660…) and Extended Arabic-Indic (U+06F0…) digits, as ar-EG or fa keyboards type them.
const toAsciiDigits = (s: string) =>
  s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
// Direction marks that Intl adds around Arabic amounts; invisible, so never meaningful.
const BIDI_MARKS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Languages written right to left: an amount inside their text is isolated (formatMoney).
const RTL_LANGUAGES = new Set(["ar", "fa", "he", "ur"]);

/**
 * An amount as a page in `locale` shows it: one string that reads the same
 * wherever it stands (a headline, a sentence, a left-to-right bank detail).
 * Intl's Arabic "168.97 US$" is otherwise drawn as "$US 168.97" inside
 * right-to-left text, so there it is isolated left to right (U+2066 … U+2069),
 * without Intl's own direction marks; other languages get Intl's string as is.
 */
export function formatMoney(minor: number, currency: CurrencyCode, locale: string): string {
  const text = formatAmount(minor, currency, locale);
  const language = locale.split("-")[0]!.toLowerCase();
  return RTL_LANGUAGES.has(language) ? `\u2066${text.replace(BIDI_MARKS, "")}\u2069` : text;
}

/**
 * Parses an amount the way a person types it (or the way `formatAmount` printed
 * it in the same locale) into minor units. Accepts surrounding spaces, the
 * locale's digit grouping ("1,234.50" in en, "1.234,50" in vi), the currency's
 * symbol or code, and Arabic-Indic digits. Rejects empty input, non-numbers,
 * negatives, more decimals than the currency has, and amounts above
 * Number.MAX_SAFE_INTEGER minor units. Errors carry a message for a person.
 */
export function parseAmount(text: string, currency: CurrencyCode, locale = "en"): number {
  const { group, decimal, currencyMarks } = symbolsFor(currency, locale);
  let s = toAsciiDigits(text.replace(BIDI_MARKS, "")).trim();
  if (s === "") throw invalid("Enter an amount.");
  for (const mark of currencyMarks) {
    s = s.replace(new RegExp(`^${escape(mark)}|${escape(mark)}$`, "i"), "").trim();
  }
  if (/^[-\u2212(]/.test(s)) throw invalid("The amount cannot be negative.");
  const pieces = s.split(decimal);
  if (pieces.length > 2) throw invalid(`"${text.trim()}" is not a number.`);
  const [whole = "", frac = ""] = pieces;
  const g = escape(group);
  const groupedOk = new RegExp(`^\\d{1,3}(?:${g}\\d{3})+$`).test(whole);
  if (!(/^\d*$/.test(whole) || groupedOk) || !/^\d*$/.test(frac) || whole + frac === "") {
    throw invalid(`"${text.trim()}" is not a number.`);
  }
  const exp = exponentOf(currency);
  if (frac.length > exp) {
    throw invalid(
      exp === 0
        ? `${currency} amounts have no decimal places.`
        : `${currency} amounts have at most ${exp} decimal places.`,
    );
  }
  const minor = BigInt((whole.split(group).join("") || "0") + frac.padEnd(exp, "0"));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid("That amount is too large.");
  return Number(minor);
}

/** A stored amount in minor units: a non-negative safe integer. */
export const minorUnitsSchema = z
  .number({ error: "Enter an amount." })
  .int("Amounts are whole numbers of the currency's smallest unit.")
  .nonnegative("The amount cannot be negative.")
  .max(Number.MAX_SAFE_INTEGER, "That amount is too large.");

/**
 * A command's amount, given as minor units (the API) or as typed ("1,250.00",
 * a form), in minor units of `currency`: more than zero, or a field error on `field`.
 */
export function positiveAmountIn(value: number | string, currency: CurrencyCode, field = "amount"): number {
  let minor: number;
  try {
    minor = typeof value === "number" ? value : parseAmount(value, currency);
  } catch (err) {
    throw fieldError(field, (err as Error).message);
  }
  if (minor <= 0) throw fieldError(field, "The amount must be more than zero.");
  return minor;
}

/** A typed amount ("1,234.50") in this currency, parsed to minor units; errors read like parseAmount's. */
export function amountSchema(currency: CurrencyCode, opts: { positive?: boolean } = {}) {
  return z.string({ error: "Enter an amount." }).transform((text, ctx) => {
    try {
      const minor = parseAmount(text, currency);
      if (opts.positive && minor === 0) {
        ctx.addIssue({ code: "custom", message: "The amount must be more than zero." });
        return z.NEVER;
      }
      return minor;
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : "Enter an amount." });
      return z.NEVER;
    }
  });
}
