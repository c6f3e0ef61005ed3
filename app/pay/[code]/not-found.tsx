import { headers } from "next/headers";
import { checkoutLocale } from "@/lib/checkout/locale";
import { translator } from "@/lib/checkout/messages";
import { PAGE_PATH_HEADER } from "@/lib/page-path";
import { LanguageSwitcher } from "./checkout-parts";
import { Shell } from "./shell";

/** An unknown payment link: answered 404, in the customer's language, with the switcher to change it. */
export default async function CheckoutNotFound() {
  const h = await headers();
  const locale = checkoutLocale(h);
  const t = translator(locale);
  // The path as proxy.ts saw it (never the caller's header); the switcher links back to it.
  const path = h.get(PAGE_PATH_HEADER) ?? "/pay/";
  return (
    <Shell locale={locale} switcher={<LanguageSwitcher locale={locale} hrefFor={(l) => `${path}?lang=${l}`} label={t("language")} />}>
      <section className="rounded-2xl bg-surface p-6 text-center shadow-sm ring-1 ring-line">
        <h1 className="text-lg font-semibold text-strong">{t("notFoundTitle")}</h1>
        <p className="mt-2 text-sm text-muted">{t("notFoundHint")}</p>
      </section>
    </Shell>
  );
}
