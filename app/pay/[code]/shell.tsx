import { dirOf, type Locale, translator } from "@/lib/checkout/messages";
import { DocumentLanguage } from "./document-language";

/** The checkout's frame: the test ribbon, the header with the language switcher, the footer. */
export function Shell({
  locale,
  switcher,
  heading,
  test = false,
  children,
}: {
  locale: Locale;
  switcher: React.ReactNode;
  heading?: React.ReactNode;
  /** A test mode link: a ribbon says no money moves. */
  test?: boolean;
  children: React.ReactNode;
}) {
  const t = translator(locale);
  return (
    // lang and dir are on <html> (app/layout.tsx), from the same answer; here too, for a page that arrives
    // without a new document (back from the sandbox's server actions), until DocumentLanguage sets <html>.
    <div lang={locale} dir={dirOf(locale)} className="min-h-dvh bg-slate-100 dark:bg-slate-800">
      <DocumentLanguage lang={locale} dir={dirOf(locale)} />
      {test ? (
        <div role="note" className="bg-amber-400 px-4 py-2 text-center text-amber-950" data-testid="test-payment-ribbon">
          <p className="text-sm font-semibold">{t("testPayment")}</p>
          <p className="text-xs">{t("testPaymentHint")}</p>
        </div>
      ) : null}
      <main className="mx-auto max-w-md space-y-4 px-4 py-5 sm:py-10">
        <header className="flex flex-wrap items-start justify-between gap-3">
          {heading ?? <span />}
          {switcher}
        </header>
        {children}
        <footer className="pt-2 text-center text-xs text-muted">{t("securedBy")}</footer>
      </main>
    </div>
  );
}
