import { type Locale, locales } from "./messages";

export const isLocale = (s: string | null | undefined): s is Locale => !!s && (locales as readonly string[]).includes(s);

/**
 * Set by proxy.ts on every checkout request (resolveLocale over ?lang= and
 * Accept-Language, never taken from the caller): the one answer the root
 * layout (<html lang dir>) and the page both read.
 */
export const LOCALE_HEADER = "x-settle-locale";

/** The checkout's language for this request, as proxy.ts decided it; English elsewhere. */
export function checkoutLocale(headers: Headers): Locale {
  const decided = headers.get(LOCALE_HEADER);
  return isLocale(decided) ? decided : "en";
}

/**
 * ?lang= wins (the switcher sets it); then the browser's Accept-Language in
 * its q order ("vi-VN,vi;q=0.9,en;q=0.8" → vi); English when nothing fits.
 */
export function resolveLocale(lang: string | string[] | undefined | null, acceptLanguage: string | null | undefined): Locale {
  const asked = (Array.isArray(lang) ? lang[0] : lang)?.toLowerCase().trim();
  if (asked && isLocale(asked)) return asked;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { base: tag.toLowerCase().split("-")[0] ?? "", q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.base && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.map((x) => x.base).find(isLocale) ?? "en";
}

/** The Intl locale for amounts: Vietnamese groups with dots, Arabic with its own digits. */
export const intlLocale: Record<Locale, string> = { en: "en-US", ar: "ar", vi: "vi-VN" };
